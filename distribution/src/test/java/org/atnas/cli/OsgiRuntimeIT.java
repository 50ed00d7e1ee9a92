package org.atnas.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same short search in both runtimes, each in a process of its own (PyTorch's natives bind to
 * one class loader per JVM): the plugins in class loaders of their own, then as bundles of the
 * embedded Felix framework. Same population, same metrics but for the times.
 */
class OsgiRuntimeIT
{
    private static final Path DISTRIBUTION = Path.of(System.getProperty("atnas.distribution", "target/atnas-0.1.0"));
    private static final List<String> TINY = List.of(
            "glyphs.classes=60", "data.image-size=14", "darts.channels=4", "darts.stem-multiplier=1", "djl.threads=1",
            "search.population=4", "search.arch-batch=2", "search.task-batch=2", "search.warmup-steps=2", "search.steps=4",
            "search.evolve-every=2", "search.validation-tasks=2", "search.inner-steps=2", "task.queries=3");

    @TempDir
    Path temporary;

    @Test
    void aSearchGivesTheSamePopulationAndMetricsInBothRuntimes()
            throws Exception
    {
        String plugins = atnas(List.of("--runtime", "osgi", "plugins"));
        assertThat(plugins).containsPattern("evolution-ga +0\\.1\\.0 +1\\.2 +evolver +ga ")
                .contains("\nWith native libraries: backend-djl, backend-nd4j, cluster-hazelcast, predictor-weka. A native library binds to one class loader per JVM, in both runtimes: ")
                .endsWith("9 plugins in " + DISTRIBUTION.toAbsolutePath().resolve("plugins") + "\n");
        String classLoaders = atnas(search(List.of(), "classloader"));
        String bundles = atnas(search(List.of("--runtime", "osgi"), "osgi"));
        assertThat(classLoaders).contains("Search finished (atnas): 6 meta-steps, population of 4");
        assertThat(bundles).contains("Search finished (atnas): 6 meta-steps, population of 4");
        Path runs = temporary.resolve("runs");
        assertThat(Files.readString(runs.resolve("osgi/population.json"))).isEqualTo(Files.readString(runs.resolve("classloader/population.json")));
        assertThat(withoutTimes(runs.resolve("osgi/metrics.jsonl"))).isEqualTo(withoutTimes(runs.resolve("classloader/metrics.jsonl"))).hasSize(6 + 3);
    }

    @Test
    void anUnknownRuntimeIsRefused()
    {
        LauncherTest.Result result = LauncherTest.run(DISTRIBUTION, "--runtime", "felix", "plugins");
        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).startsWith("Unknown runtime [felix] for --runtime; known: [classloader, osgi]\n");
    }

    private List<String> search(List<String> options, String name)
    {
        List<String> arguments = new ArrayList<>(options);
        arguments.add("search");
        for (String setting : TINY) {
            arguments.addAll(List.of("--set", setting));
        }
        arguments.addAll(List.of("--set", "runs.directory=" + temporary.resolve("runs"), "--set", "run.name=" + name));
        return arguments;
    }

    /** The lines of a metrics file with every duration taken out: the one thing two runs may differ in. */
    private static List<String> withoutTimes(Path metrics)
            throws IOException
    {
        return Files.readAllLines(metrics).stream().map(line -> line.replaceAll("\"[A-Za-z]*[sS]econds\":[^,}]*,?", "")).toList();
    }

    private static String atnas(List<String> arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(DISTRIBUTION.resolve("bin/atnas").toAbsolutePath().toString()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).directory(DISTRIBUTION.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("%s ends", command).isTrue();
        assertThat(process.exitValue()).as("%s%n%s", command, output).isZero();
        return output;
    }
}
