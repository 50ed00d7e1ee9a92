package org.atnas.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.atnas.core.Progress;

import static java.util.Objects.requireNonNull;

/**
 * The progress of one piece of work on standard error, the way {@link ProgressBar} shows a search:
 * a bar with the ETA redrawn in place on a terminal, a line every 10% otherwise (logs, CI). Work
 * that ends within {@link #QUIET_SECONDS} prints nothing, so quick commands stay quiet.
 */
final class ProgressLine
        implements Progress
{
    private static final int WIDTH = 24;
    private static final double QUIET_SECONDS = 1;

    private final PrintWriter err;
    private final boolean terminal;
    private final String label;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private long lastDecile = -1;
    private boolean shown;
    private boolean finished;

    ProgressLine(PrintWriter err, boolean terminal, String label)
    {
        this(err, terminal, label, System::nanoTime);
    }

    ProgressLine(PrintWriter err, boolean terminal, String label, LongSupplier nanoTime)
    {
        this.err = requireNonNull(err, "err is null");
        this.terminal = terminal;
        this.label = requireNonNull(label, "label is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.startNanos = nanoTime.getAsLong();
    }

    /** A progress line on {@code launcher}'s standard error, drawn in place when the process has a console. */
    static ProgressLine of(Launcher launcher, String label)
    {
        return new ProgressLine(launcher.err(), System.console() != null, label);
    }

    /** A line of the work's own (a benchmark's result so far), printed above the bar. */
    synchronized void note(String line)
    {
        if (terminal && shown && !finished) {
            // over the bar, which the next update draws again below
            err.print("\r" + " ".repeat(WIDTH + 60) + "\r");
        }
        err.println(line);
        err.flush();
    }

    /** Counts one unit done of {@code total} with each line: for work that reports lines, one per unit. */
    java.util.function.Consumer<String> counting(long total)
    {
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        return line -> {
            note(line);
            update(done.incrementAndGet(), total);
        };
    }

    @Override
    public synchronized void update(long done, long total)
    {
        if (finished || total <= 0) {
            return;
        }
        double elapsed = (nanoTime.getAsLong() - startNanos) / 1e9;
        boolean last = done >= total;
        if (!shown && elapsed < QUIET_SECONDS) {
            return;
        }
        long decile = 10 * done / total;
        if (!terminal && decile == lastDecile && !last) {
            return;
        }
        lastDecile = decile;
        shown = true;
        double share = Math.min(1, (double) done / total);
        double eta = done <= 0 ? 0 : elapsed / done * (total - done);
        int filled = (int) (WIDTH * share);
        String line = String.format(Locale.ROOT, "[%s] %3d%% %s %,d/%,d ETA %s", "#".repeat(filled) + ".".repeat(WIDTH - filled), (int) (100 * share), label, done, total,
                ProgressBar.duration(eta));
        if (terminal) {
            err.print("\r" + line + "   ");
            if (last) {
                err.println();
            }
        }
        else {
            err.println(line);
        }
        finished = last;
        err.flush();
    }
}
