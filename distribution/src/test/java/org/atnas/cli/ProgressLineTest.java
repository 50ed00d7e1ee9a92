package org.atnas.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressLineTest
{
    @Test
    void withoutATerminalALineEveryTenthWithTheEta()
    {
        StringWriter err = new StringWriter();
        AtomicLong now = new AtomicLong();
        ProgressLine progress = new ProgressLine(new PrintWriter(err), false, "meta-test tasks", now::get);
        for (int done = 1; done <= 20; done++) {
            now.addAndGet(1_000_000_000L);
            progress.update(done, 20);
        }
        assertThat(err.toString()).startsWith("[#.......................]   5% meta-test tasks 1/20 ETA 19s\n"
                        + "[##......................]  10% meta-test tasks 2/20 ETA 18s\n"
                        + "[####....................]  20% meta-test tasks 4/20 ETA 16s\n")
                .endsWith("[########################] 100% meta-test tasks 20/20 ETA 0s\n")
                .hasLineCount(11);
    }

    @Test
    void workDoneWithinASecondPrintsNothing()
    {
        StringWriter err = new StringWriter();
        AtomicLong now = new AtomicLong();
        ProgressLine progress = new ProgressLine(new PrintWriter(err), false, "images read", now::get);
        for (int done = 1; done <= 1000; done++) {
            now.addAndGet(100_000L);
            progress.update(done, 1000);
        }
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAndNotesGoAboveIt()
    {
        StringWriter err = new StringWriter();
        AtomicLong now = new AtomicLong(0);
        ProgressLine progress = new ProgressLine(new PrintWriter(err), true, "runs", now::get);
        var lines = progress.counting(2);
        now.set(2_000_000_000L);
        lines.accept("run 1/2: ga best 93.1");
        now.set(4_000_000_000L);
        lines.accept("run 2/2: ga best 93.4");
        assertThat(err.toString()).isEqualTo("run 1/2: ga best 93.1\n"
                + "\r[############............]  50% runs 1/2 ETA 2s   "
                + "\r" + " ".repeat(84) + "\r"
                + "run 2/2: ga best 93.4\n"
                + "\r[########################] 100% runs 2/2 ETA 0s   \n");
    }
}
