package org.atnas.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.atnas.api.plugin.Plugin;
import org.atnas.core.testing.PluginCompiler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live plugins in {@code atnas --runtime osgi shell}, as a user types them: a predictor plugin
 * installed while the shell runs, used by a search in the background, uninstalled while that search
 * runs (which keeps it until it ends), installed again and updated to a new version; and the
 * refusals. In a custom distribution of this build, so that the shared one keeps its plugins.
 */
class ShellIT
{
    private static final Path DISTRIBUTION = Path.of(System.getProperty("atnas.distribution", "target/atnas-0.1.0"));
    private static final String PLUGIN_CLASS = "example.mean.MeanPlugin";
    private static final String TINY = String.join(" ", Stream.of(
            "glyphs.classes=60", "data.image-size=14", "darts.channels=4", "darts.stem-multiplier=1", "djl.threads=1",
            "search.population=4", "search.arch-batch=2", "search.task-batch=2", "search.warmup-steps=2", "search.steps=4",
            "search.evolve-every=2", "search.validation-tasks=2", "search.inner-steps=2", "task.queries=3").map(setting -> "--set " + setting).toList());

    @TempDir
    Path temporary;

    private Path home;

    @BeforeEach
    void assemble()
    {
        home = temporary.resolve("atnas");
        LauncherTest.Result assembled = LauncherTest.run(DISTRIBUTION, "dist", "--plugins", "searchspace-darts,evolution-ga,backend-djl,optimizer-maml,predictor-weka", "--output", home.toString());
        assertThat(assembled.status()).as(assembled.err()).isZero();
    }

    private Path meanFitnessPlugin(String version)
    {
        return PluginCompiler.compile(temporary.resolve(version), "mean-fitness", version,
                Map.of(PLUGIN_CLASS, PluginCompiler.predictorPluginSource("example.mean", "MeanPlugin", "mean-fitness")),
                Map.of("META-INF/services/" + Plugin.class.getName(), PLUGIN_CLASS + "\n"));
    }

    @Test
    void aPredictorInstalledWhileTheShellRunsIsUsedUninstalledUnderARunningSearchAndUpdated()
            throws Exception
    {
        Path first = meanFitnessPlugin("1.0.0");
        Path second = meanFitnessPlugin("1.1.0");
        Path runs = temporary.resolve("runs");
        Path jobs = temporary.resolve("jobs");
        String background = "search " + TINY + " --set runs.directory=" + runs + " --set run.name=first --set predictor=mean-fitness --set predictor.min-pairs=3 &";
        Shell shell = shell(jobs,
                "install " + first,
                background,
                "uninstall mean-fitness",
                "wait",
                "install " + first,
                "update mean-fitness " + second,
                "plugins");

        assertThat(shell.status()).as(shell.err()).isZero();
        assertThat(shell.out()).startsWith("atnas shell, OSGi runtime, 5 plugins. help lists the commands; exit or the end of input leaves.\n"
                + "Installed plugin mean-fitness 1.0.0 (predictor mean-fitness) from " + first + " as plugins/mean-fitness; the next command sees it\n"
                + "[1] " + background + "  (output in " + jobs.resolve("job-1.log") + ")\n"
                // the search took the plugins when it started: it keeps the predictor until it ends
                + "Uninstalled plugin mean-fitness 1.0.0 (predictor mean-fitness): the next command no longer sees it; 1 running command keeps 1.0.0 until it ends\n"
                + "[1] done after ")
                .contains(": " + background + "\nInstalled plugin mean-fitness 1.0.0 (predictor mean-fitness) from " + first + " as plugins/mean-fitness; the next command sees it\n"
                        + "Updated plugin mean-fitness 1.0.0 -> 1.1.0 (predictor mean-fitness) from " + second + "; the next command uses 1.1.0\n")
                .containsPattern("\nmean-fitness +1\\.1\\.0 +1\\.2 +predictor +mean-fitness +predicts the mean fitness of what it was trained on\n")
                .endsWith("6 plugins in " + home.resolve("plugins") + "\n");
        assertThat(Files.readString(jobs.resolve("job-1.log"))).contains("Search finished (atnas): 6 meta-steps, population of 4");
        assertThat(Files.readString(runs.resolve("first/config.properties"))).contains("\npredictor = mean-fitness\n");
        assertThat(folders(home.resolve("plugins"))).containsExactly("backend-djl", "evolution-ga", "mean-fitness", "optimizer-maml", "predictor-weka", "searchspace-darts");
        try (JarFile jar = new JarFile(home.resolve("plugins/mean-fitness/mean-fitness.jar").toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Bundle-Version")).isEqualTo("1.1.0");
        }
        // a new process finds the plugin the shell left in plugins/
        assertThat(LauncherTest.run(home, "plugins").out()).containsPattern("\nmean-fitness +1\\.1\\.0 +1\\.2 +predictor ");
    }

    @Test
    void whatCannotChangeIsRefusedWithTheReason()
            throws Exception
    {
        Shell shell = shell(temporary.resolve("jobs"),
                "search " + TINY + " --set predictor=mean-fitness",
                "uninstall backend-djl",
                "update predictor-weka",
                "uninstall mean-fitness",
                "install " + home.resolve("plugins/evolution-ga"),
                "wait 3",
                "jobs &",
                "fly");
        assertThat(shell.status()).isEqualTo(1);
        assertThat(shell.err()).isEqualTo("error: Unknown predictor [mean-fitness] for key [predictor] (from --set); known: [none, gaussian-process, random-forest, rbf]\n"
                + "error: Plugin [backend-djl] carries native libraries, which bind to one class loader per JVM: it cannot be uninstalled while atnas runs; leave the shell, change plugins/backend-djl and start atnas again\n"
                + "error: Plugin [predictor-weka] carries native libraries, which bind to one class loader per JVM: it cannot be updated while atnas runs; leave the shell, change plugins/predictor-weka and start atnas again\n"
                + "error: No plugin [mean-fitness] is installed; installed: [backend-djl, evolution-ga, optimizer-maml, predictor-weka, searchspace-darts]\n"
                + "error: Plugin [evolution-ga] is already installed; update evolution-ga " + home.resolve("plugins/evolution-ga") + " replaces it\n"
                + "error: No background command [3]; jobs lists them\n"
                + "error: [jobs] is a shell command; only atnas commands run in the background\n"
                + "error: Unknown command [fly]; help lists the commands\n");
        assertThat(folders(home.resolve("plugins"))).containsExactly("backend-djl", "evolution-ga", "optimizer-maml", "predictor-weka", "searchspace-darts");

        Shell classLoaders = shell(List.of(), temporary.resolve("jobs"), "uninstall evolution-ga");
        assertThat(classLoaders.status()).isEqualTo(1);
        assertThat(classLoaders.out()).startsWith("atnas shell, class-loader runtime (plugins cannot change while it runs; atnas --runtime osgi shell can), 5 plugins.");
        assertThat(classLoaders.err()).isEqualTo("error: Plugins can change while atnas runs in the OSGi runtime only: start the shell with atnas --runtime osgi shell\n");
    }

    private record Shell(int status, String out, String err) {}

    /** Runs {@code bin/atnas --runtime osgi shell} in the custom distribution with the lines on its standard input. */
    private Shell shell(Path jobs, String... lines)
            throws IOException, InterruptedException
    {
        return shell(List.of("--runtime", "osgi"), jobs, lines);
    }

    private Shell shell(List<String> options, Path jobs, String... lines)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/atnas").toString()));
        command.addAll(options);
        command.addAll(List.of("shell", "--jobs-dir", jobs.toString()));
        Process process = new ProcessBuilder(command).directory(home.toFile()).redirectError(temporary.resolve("shell.err").toFile()).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("the shell ends").isTrue();
        // library log lines (SLF4J, one per process) go to standard error with the errors: keep the errors
        String err = Files.readAllLines(temporary.resolve("shell.err")).stream().filter(line -> line.startsWith("error: ")).map(line -> line + "\n").reduce("", String::concat);
        return new Shell(process.exitValue(), out, err);
    }

    private static List<String> folders(Path directory)
            throws IOException
    {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
