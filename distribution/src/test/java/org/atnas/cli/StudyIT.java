package org.atnas.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code atnas study} end to end on the assembled distribution: a tiny study of glyphs, run whole and run stopped and continued. */
class StudyIT
{
    private static final Path DISTRIBUTION = Path.of(System.getProperty("atnas.distribution", "target/atnas-0.1.0"));
    /** Two variants on one seed, a budget of meta-steps (CPU minutes would differ between runs), settings as SearchIT's tiny search. */
    static final String STUDY = """
            study.seeds = 1
            study.budget.steps = 16
            study.tasks = 6
            search.method = atnas | fixed
            search.fixed-code = 4,4,4,4,0,3,4,0,0,3,0,6,0,0,1,1,0,1,3,1,0,3,0,0,1,3,0,0
            glyphs.classes = 60
            data.image-size = 14
            darts.channels = 4
            darts.stem-multiplier = 1
            djl.threads = 1
            search.population = 4
            search.arch-batch = 2
            search.task-batch = 2
            search.warmup-steps = 2
            search.evolve-every = 2
            search.validation-tasks = 2
            search.inner-steps = 2
            task.queries = 3
            search.task-pool = 8
            search.checkpoint-every = 1
            train.evaluate-every = 4
            """;

    @TempDir
    Path temporary;

    @Test
    void aStoppedStudyContinuesToTheResultsOfAnUninterruptedOne()
            throws Exception
    {
        Path file = temporary.resolve("tiny.properties");
        Files.writeString(file, STUDY);

        LauncherTest.Result dry = LauncherTest.run(DISTRIBUTION, "study", file.toString(), "--dir", temporary.resolve("whole").toString(), "--dry-run");
        assertThat(dry.status()).as(dry.err()).isZero();
        assertThat(dry.out()).startsWith("Study tiny (" + file + "): 2 cells in " + temporary.resolve("whole") + "\n"
                + "Budget per cell: 16 meta-steps, 50% to the search and 50% to the final training; meta-test on 6 tasks\n")
                .contains("atnas-s1  atnas    1     16      8       8               not started\n")
                .endsWith("In all: 32 meta-steps\nNothing was run (--dry-run).\n");

        LauncherTest.Result whole = LauncherTest.run(DISTRIBUTION, "study", file.toString(), "--dir", temporary.resolve("whole").toString());
        assertThat(whole.status()).as(whole.err()).isZero();
        assertThat(whole.err()).contains("[1/2] atnas-s1: search (log: ", "[2/2] fixed-s1 finished: ");
        Path report = temporary.resolve("whole/report.html");
        assertThat(report).isRegularFile();
        assertThat(Files.readString(report)).contains(" src=\"data:image/png;base64,").doesNotContain("http://", "https://");
        assertThat(temporary.resolve("whole/plots/accuracy.png")).isRegularFile();
        List<String> results = withoutCpuMinutes(temporary.resolve("whole/results.csv"));
        assertThat(results).hasSize(3);
        assertThat(results.get(1)).startsWith("atnas-s1,atnas,atnas,1,16,steps,8,8,");
        assertThat(results.get(2)).startsWith("fixed-s1,fixed,fixed,1,16,steps,8,8,\"4,4,4,4,0,3,4,0,0,3,0,6,0,0,1,1,0,1,3,1,0,3,0,0,1,3,0,0\",");
        assertThat(Files.readAllLines(temporary.resolve("whole/summary.csv"))).hasSize(4).element(3).asString().startsWith("difference,atnas,fixed,16,1,");

        // the same study in a process stopped by SIGTERM once the first cell has a checkpoint, then continued in this one
        Path stopped = temporary.resolve("stopped");
        Process process = new ProcessBuilder(DISTRIBUTION.resolve("bin/atnas").toAbsolutePath().toString(), "study", file.toString(), "--dir", stopped.toString())
                .redirectErrorStream(true).redirectOutput(temporary.resolve("stopped.log").toFile()).start();
        try {
            Path checkpoints = stopped.resolve("cells/atnas-s1/search/checkpoints");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!hasCheckpoint(checkpoints) && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(hasCheckpoint(checkpoints)).as(Files.readString(temporary.resolve("stopped.log"))).isTrue();
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor()).isZero();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            process.destroyForcibly();
        }
        String log = Files.readString(temporary.resolve("stopped.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("Stopped with 0 of 2 cells finished; continue with: atnas study " + file + " --dir " + stopped);
        assertThat(stopped.resolve("results.csv")).doesNotExist();

        LauncherTest.Result continued = LauncherTest.run(DISTRIBUTION, "study", file.toString(), "--dir", stopped.toString());
        assertThat(continued.status()).as(continued.err()).isZero();
        assertThat(continued.err()).contains("Study tiny: 2 cells (0 finished before)", "[1/2] atnas-s1: search (resumed)");
        assertThat(withoutCpuMinutes(stopped.resolve("results.csv"))).isEqualTo(results);

        // a changed study file is refused in the folder of the old one
        Files.writeString(file, STUDY.replace("study.tasks = 6", "study.tasks = 7"));
        LauncherTest.Result changed = LauncherTest.run(DISTRIBUTION, "study", file.toString(), "--dir", stopped.toString());
        assertThat(changed.status()).isEqualTo(1);
        assertThat(changed.err()).startsWith("error: The study folder [" + stopped + "] was started from another version of " + file + " or other --set values");
    }

    private static boolean hasCheckpoint(Path checkpoints)
            throws IOException
    {
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(checkpoints)) {
            return entries.anyMatch(entry -> entry.getFileName().toString().startsWith("step-"));
        }
    }

    /** The rows of results.csv without the CPU minutes, which differ from run to run. */
    static List<String> withoutCpuMinutes(Path csv)
            throws IOException
    {
        List<String> lines = Files.readAllLines(csv);
        int column = Arrays.asList(lines.get(0).split(",")).indexOf("cpu_minutes");
        assertThat(column).isPositive();
        return lines.stream().map(line -> {
            List<String> fields = List.of(line.split(",", -1));
            return Stream.concat(fields.subList(0, column).stream(), fields.subList(column + 1, fields.size()).stream()).collect(Collectors.joining(","));
        }).toList();
    }
}
