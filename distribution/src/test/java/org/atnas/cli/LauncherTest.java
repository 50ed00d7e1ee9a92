package org.atnas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.atnas.core.testing.PluginCompiler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's code path on a home whose plugins are compiled by the test, as a third party would. */
class LauncherTest
{
    @TempDir
    Path home;

    private Path plugins;

    /** Exit code, standard output and standard error of one command line. */
    record Result(int status, String out, String err) {}

    static Result run(Path home, String... args)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Launcher.run(home, new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @BeforeEach
    void thirdPartyPlugin()
            throws IOException
    {
        plugins = Files.createDirectories(home.resolve("plugins"));
        PluginCompiler.compilePlugin(plugins, "keep-best", "com.example.keep.KeepBestPlugin",
                PluginCompiler.evolverPluginSource("com.example.keep", "KeepBestPlugin", "keep-best", "ApiVersion.CURRENT", ""));
    }

    @Test
    void versionAndHelp()
    {
        Result version = run(home, "--version");
        assertThat(version.status()).isZero();
        assertThat(version.out()).isEqualTo("atnas 0.1.0 (API 1.2)\n");
        // picocli reports a description it cannot format (a lone %) on System.err, past the launcher's writers
        java.io.PrintStream standardError = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String[] command : new String[][] {{"--help"}, {"plugins", "--help"}, {"config", "--help"}, {"config", "check", "--help"}, {"config", "defaults", "--help"},
                    {"data", "inspect", "--help"}, {"data", "baseline", "--help"}, {"search", "--help"}, {"evaluate", "--help"}, {"adapt", "--help"}, {"predict", "--help"}, {"export", "--help"}, {"plot", "--help"},
                    {"bench", "--help"}, {"bench", "evolver", "--help"}, {"bench", "predictor", "--help"}, {"bench", "memory", "--help"}, {"bench", "meta-step", "--help"}}) {
                Result help = run(home, command);
                assertThat(help.status()).as(String.join(" ", command)).isZero();
                assertThat(help.out()).as(String.join(" ", command)).startsWith("Usage: atnas");
            }
        }
        finally {
            System.setErr(standardError);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        assertThat(run(home, "bench", "evolver", "--help").out()).contains("--table=FILE", "--budget=N", "--set=KEY=VALUE");
    }

    @Test
    void aThirdPartyPluginIsListedAndSelectedByName()
            throws IOException
    {
        Result listed = run(home, "plugins");
        assertThat(listed.status()).isZero();
        assertThat(listed.out()).contains("keep-best  1.2.3    1.2  evolver  keep-best  keeps the best, samples the rest");

        Path config = home.resolve("my.properties");
        Files.writeString(config, "evolver = keep-best\nkeep-best.keep = 5\n");
        Result checked = run(home, "config", "check", config.toString());
        assertThat(checked.err()).isEmpty();
        assertThat(checked.status()).isZero();
        assertThat(checked.out()).startsWith(config + ": OK\nchecked: data (glyphs: 1,200 classes, 24,000 images; meta-train 768, meta-val 192, meta-test 240 classes)\n").endsWith("search-space    =  darts      not checked: no search space plugin is installed\n"
                + "backend         =  djl        not checked: no weight backend plugin is installed\n"
                + "meta-optimizer  =  maml       not checked: no meta-optimizer plugin is installed\n"
                + "evolver         =  keep-best  ok (plugin keep-best)\n"
                + "predictor       =  none       ok (no predictor)\n"
                + "cluster         =  none       ok (no cluster service)\n");
    }

    @Test
    void configurationErrorsNameKeyValueAndExpectation()
            throws IOException
    {
        Path config = home.resolve("my.properties");
        Files.writeString(config, "evolver = keep-best\n");
        assertThat(run(home, "config", "check", config.toString(), "--set", "evolver=keep-worst"))
                .isEqualTo(new Result(1, "", "error: Unknown evolver [keep-worst] for key [evolver] (from --set); known: [keep-best]\n"));
        assertThat(run(home, "config", "check", config.toString(), "--set", "keep-best.kept=3"))
                .isEqualTo(new Result(1, "", "error: Unknown configuration key [keep-best.kept] (from --set): no selected component reads it; did you mean [keep-best.keep]?\n"));
        assertThat(run(home, "config", "check", config.toString(), "--set", "keep-best.keep=many"))
                .isEqualTo(new Result(1, "", "error: Invalid value [many] for key [keep-best.keep] (from --set): expected an integer from 1 to 100\n"));
        // every error at once
        assertThat(run(home, "config", "check", config.toString(), "--set", "keep-best.keep=many", "--set", "colour=blue", "--set", "seed=x"))
                .isEqualTo(new Result(1, "", "error: 3 configuration errors:\n"
                        + "  Invalid value [x] for key [seed] (from --set): expected an integer\n"
                        + "  Unknown configuration key [colour] (from --set): no selected component reads it\n"
                        + "  Invalid value [many] for key [keep-best.keep] (from --set): expected an integer from 1 to 100\n"));
        // the checks across keys that commands make: the data's classes against task.ways, for each split
        assertThat(run(home, "config", "check", config.toString(), "--set", "glyphs.classes=20", "--set", "task.ways=6"))
                .isEqualTo(new Result(1, "", "error: 2 configuration errors:\n"
                        + "  The meta-val split has 3 classes, fewer than the 6 ways of a task\n"
                        + "  The meta-test split has 4 classes, fewer than the 6 ways of a task\n"));
        // a key written twice names both lines
        Path twice = home.resolve("twice.properties");
        Files.writeString(twice, "# a study\nevolver = keep-best\nseed = 1\nlong = a \\\n  b\n\nseed=2\n");
        assertThat(run(home, "config", "check", twice.toString()))
                .isEqualTo(new Result(1, "", "error: Configuration file [" + twice + "] sets key [seed] twice, on line 3 and line 7; expected each key once\n"));
        assertThat(run(home, "config", "check", home.resolve("missing.properties").toString()))
                .isEqualTo(new Result(1, "", "error: Configuration file [" + home.resolve("missing.properties") + "] does not exist or is not a file\n"));
    }

    @Test
    void aJarWithoutPluginNamesItsFolder()
    {
        PluginCompiler.compile(plugins, "broken", "1.0", Map.of("com.example.Nothing", "package com.example; public class Nothing {}"), Map.of());
        PluginCompiler.compilePlugin(plugins, "old", "com.example.old.OldPlugin",
                PluginCompiler.evolverPluginSource("com.example.old", "OldPlugin", "old", "\"0.9\"", ""));
        String noPlugin = "Plugin folder [plugins/broken] holds no implementation of org.atnas.api.plugin.Plugin (none of its jars has META-INF/services/org.atnas.api.plugin.Plugin)";
        String oldApi = "Plugin folder [plugins/old] was built against atnas API 0.9, but this host provides API 1.2; rebuild the plugin against API 1.2";
        // atnas plugins lists the healthy plugin and marks each broken folder with its error
        Result listed = run(home, "plugins");
        assertThat(listed.status()).isEqualTo(1);
        assertThat(listed.out()).contains("keep-best  ", "broken     -        -    BROKEN   -          " + noPlugin + "\n", "old        -        -    BROKEN   -          " + oldApi + "\n")
                .endsWith("1 plugins in " + home.resolve("plugins") + "\n");
        assertThat(listed.err()).isEqualTo("error: 2 plugin folders cannot be loaded: plugins/broken, plugins/old\n");
        // every other command names all broken folders at once
        assertThat(run(home, "config", "defaults"))
                .isEqualTo(new Result(1, "", "error: 2 plugin folders cannot be loaded:\n  " + noPlugin + "\n  " + oldApi + "\n"));
    }

    @Test
    void everyCommandsSummaryIsACompleteSentence()
    {
        java.util.ArrayDeque<picocli.CommandLine> commands = new java.util.ArrayDeque<>();
        commands.add(new picocli.CommandLine(new AtnasCommand(new Launcher(home, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())))));
        int checked = 0;
        while (!commands.isEmpty()) {
            picocli.CommandLine command = commands.poll();
            // the first description line is the summary in the parent's command list
            String summary = command.getCommandSpec().usageMessage().description()[0];
            assertThat(summary).as(command.getCommandSpec().qualifiedName()).endsWith(".").doesNotContain("\n");
            commands.addAll(command.getSubcommands().values());
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(17);
    }

    @Test
    void aPluginBuiltWithMavensDefaultsShowsTheVersionOfItsPomProperties()
    {
        PluginCompiler.compile(plugins, "maven-built", null, Map.of("com.example.mb.MavenBuiltPlugin",
                        PluginCompiler.evolverPluginSource("com.example.mb", "MavenBuiltPlugin", "maven-built", "ApiVersion.CURRENT", "")),
                Map.of("META-INF/services/org.atnas.api.plugin.Plugin", "com.example.mb.MavenBuiltPlugin\n",
                        "META-INF/maven/com.example/maven-built/pom.properties", "groupId=com.example\nartifactId=maven-built\nversion=2.4.0\n"));
        assertThat(run(home, "plugins").out()).contains("maven-built  2.4.0    1.2  evolver  maven-built  ");
    }

    @Test
    void aThrowingFactoryNamesItsFolder()
            throws IOException
    {
        PluginCompiler.compilePlugin(plugins, "boom", "com.example.boom.BoomPlugin",
                PluginCompiler.evolverPluginSource("com.example.boom", "BoomPlugin", "boom", "ApiVersion.CURRENT", "if (true) throw new IllegalStateException(\"cannot find its model file\");"));
        Path config = home.resolve("my.properties");
        Files.writeString(config, "evolver = boom\n");
        assertThat(run(home, "config", "check", config.toString()))
                .isEqualTo(new Result(1, "", "error: Evolver [boom] from plugin folder [plugins/boom] failed to start: cannot find its model file\n"));
    }

    @Test
    void aPluginForAnotherApiVersionNamesItsFolder()
    {
        PluginCompiler.compilePlugin(plugins, "old", "com.example.old.OldPlugin",
                PluginCompiler.evolverPluginSource("com.example.old", "OldPlugin", "old", "\"0.9\"", ""));
        assertThat(run(home, "config", "defaults"))
                .isEqualTo(new Result(1, "", "error: Plugin folder [plugins/old] was built against atnas API 0.9, but this host provides API 1.2; rebuild the plugin against API 1.2\n"));
    }

    @Test
    void dataInspectWritesTheSplitAndATaskPicture()
            throws IOException
    {
        Path runs = home.resolve("runs");
        Result result = run(home, "data", "inspect", "--set", "glyphs.classes=50", "--set", "runs.directory=" + runs, "--set", "run.name=look");
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("Data set glyphs: 50 classes, 1,000 images of 1x28x28, loaded in ")
                .contains("meta-train  32       640     ", "meta-val    8        160     ", "meta-test   10       200     ")
                .contains("Task picture: " + runs.resolve("look/task.png") + " (a 5-way meta-train task)\n");
        java.awt.image.BufferedImage picture = javax.imageio.ImageIO.read(runs.resolve("look/task.png").toFile());
        assertThat(picture.getWidth()).isGreaterThan(5 * 56);
        assertThat(Files.readString(runs.resolve("look/split.json"))).contains("\"meta-test\" : [ \"glyph");
        assertThat(Files.readString(runs.resolve("look/config.properties"))).contains("\nglyphs.classes = 50\n", "\ndata.dataset = glyphs\n");
    }

    @Test
    void dataInspectWarnsOfASplitWithFewerClassesThanWaysAndTakesTheMetaTrainList()
            throws IOException
    {
        Path runs = home.resolve("runs");
        Result few = run(home, "data", "inspect", "--set", "glyphs.classes=20", "--set", "task.ways=4", "--set", "runs.directory=" + runs);
        assertThat(few.status()).as(few.err()).isZero();
        assertThat(few.err()).isEqualTo("warning: The meta-val split has 3 classes, fewer than the 4 ways of a task (task.ways): no task can be drawn from it\n");
        // data.meta-train names the meta-train classes: the others of no list are not used
        Result named = run(home, "data", "inspect", "--set", "glyphs.classes=20", "--set", "data.meta-val=glyph00000,glyph00001,glyph00002,glyph00003,glyph00004",
                "--set", "data.meta-test=glyph00005,glyph00006,glyph00007,glyph00008,glyph00009", "--set", "data.meta-train=glyph00010,glyph00011,glyph00012,glyph00013,glyph00014,glyph00015",
                "--set", "runs.directory=" + runs, "--set", "run.name=named", "--set", "data.path=relative/glyphs");
        assertThat(named.status()).as(named.err()).isZero();
        assertThat(named.out()).contains("meta-train  6 ", "meta-val    5 ", "meta-test   5 ");
        // data paths are stored absolute: the run's configuration is read again from other working directories
        assertThat(Files.readString(runs.resolve("named/config.properties"))).contains("\ndata.path = " + Path.of("relative/glyphs").toAbsolutePath() + "\n");
    }

    @Test
    void plotDrawsTheFinalEvaluationAsAPointOfItsOwnWithTheLegendBesideThePlot()
            throws IOException
    {
        for (String name : List.of("atnas", "random-search-with-a-long-name")) {
            Path run = Files.createDirectories(home.resolve("runs/" + name));
            StringBuilder metrics = new StringBuilder();
            double offset = name.equals("atnas") ? 0.05 : 0;
            for (int generation = 1; generation <= 8; generation++) {
                metrics.append(String.format(java.util.Locale.ROOT, "{\"type\":\"generation\",\"step\":%d,\"generation\":%d,\"bestFitness\":%.3f,\"meanFitness\":%.3f}%n",
                        20 * generation, generation, 0.4 + offset + 0.05 * generation, 0.3 + offset + 0.05 * generation));
            }
            metrics.append(String.format(java.util.Locale.ROOT, "{\"type\":\"final\",\"step\":160,\"generation\":8,\"bestFitness\":%.3f,\"meanFitness\":%.3f}%n", 0.6 + offset, 0.5 + offset));
            Files.writeString(run.resolve("metrics.jsonl"), metrics);
        }
        Path output = home.resolve("fitness.png");
        Result plotted = run(home, "plot", home.resolve("runs/atnas").toString(), home.resolve("runs/random-search-with-a-long-name").toString(), "--output", output.toString());
        assertThat(plotted).isEqualTo(new Result(0, "Plot: " + output + "\n", ""));
        assertThat(PlotCommand.generations(home.resolve("runs/atnas"))).hasSize(9).filteredOn(PlotCommand.Generation::last).hasSize(1);
        java.awt.image.BufferedImage picture = javax.imageio.ImageIO.read(output.toFile());
        assertThat(picture.getWidth()).isEqualTo(900);
    }

    @Test
    void plotDrawsATransfersPopulationPerEvolution()
            throws IOException
    {
        Path run = Files.createDirectories(home.resolve("runs/transfer"));
        Files.writeString(run.resolve("metrics.jsonl"), """
                {"type":"transfer-epoch","step":1,"phase":"evolution","population":4,"loss":1.0,"accuracy":0.6}
                {"type":"transfer-evolution","step":1,"evolution":1,"population":4,"bestAccuracy":0.7,"meanAccuracy":0.6,"best":"1","individuals":[{"code":"1","accuracy":0.7},{"code":"2","accuracy":0.65},{"code":"3","accuracy":0.6},{"code":"4","accuracy":0.45}]}
                {"type":"transfer-evolution","step":2,"evolution":2,"population":2,"bestAccuracy":0.75,"meanAccuracy":0.72,"best":"1","individuals":[{"code":"1","accuracy":0.75},{"code":"5","accuracy":0.69}]}
                {"type":"transfer-validation","step":3,"code":"1","accuracy":0.8}
                {"type":"transfer-test","step":3,"code":"1","accuracy":0.79,"low":0.78,"high":0.8,"images":10000}
                """);
        Path output = home.resolve("transfer.png");
        assertThat(run(home, "plot", run.toString(), "--output", output.toString())).isEqualTo(new Result(0, "Plot: " + output + "\n", ""));
        TransferPlot.Transfer read = TransferPlot.read(run);
        assertThat(read.evolutions()).hasSize(2);
        assertThat(read.evolutions().get(0)).containsExactly(1, 0.7, 0.65, 0.6, 0.45);
        assertThat(read.curve()).singleElement().satisfies(point -> assertThat(point).containsExactly(3, 0.8));
        assertThat(read.test()).containsExactly(3, 0.79);
    }

    @Test
    void transferErrorsNameTheDirectoryAndTheOptions()
            throws IOException
    {
        Path empty = Files.createDirectories(home.resolve("runs/empty"));
        assertThat(run(home, "transfer", empty.toString(), "--set", "data.dataset=fashion-mnist"))
                .isEqualTo(new Result(1, "", "error: [" + empty + "] is not a search run directory with a checkpoint: " + empty.resolve("checkpoints/latest") + " does not exist\n"));
        assertThat(run(home, "transfer"))
                .isEqualTo(new Result(1, "", "error: atnas transfer needs the search's run directory (RUN_DIR), or --resume TRANSFER_DIR\n"));
        assertThat(run(home, "transfer", empty.toString(), "--resume", empty.toString()))
                .isEqualTo(new Result(1, "", "error: --resume continues a transfer with the settings it was started with; RUN_DIR and --set cannot be used with it\n"));
    }

    @Test
    void dataBaselineReportsBothClassifiersWithConfidenceIntervals()
    {
        Result result = run(home, "data", "baseline", "--tasks", "40", "--set", "glyphs.classes=60", "--set", "runs.directory=" + home.resolve("runs"));
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("glyphs, 5-way 1-shot 15-query, 40 meta-test tasks from 12 classes (chance 20.0%)\n")
                .containsPattern("1-nearest neighbour \\(pixels\\) +\\d+\\.\\d\\d% ± \\d+\\.\\d\\d\n")
                .containsPattern("nearest class mean \\(pixels\\) +\\d+\\.\\d\\d% ± \\d+\\.\\d\\d\n");
    }

    @Test
    void dataErrors()
    {
        assertThat(run(home, "data", "inspect", "--dataset", "omniglot"))
                .isEqualTo(new Result(1, "", "error: Missing value for key [data.path]: data set omniglot is read from files\n"));
        assertThat(run(home, "data", "inspect", "--dataset", "mnist"))
                .isEqualTo(new Result(1, "", "error: Invalid value [mnist] for key [data.dataset] (from --dataset/--path): expected one of [glyphs, omniglot, mini-imagenet, image-folder, idx, fashion-mnist, cifar10, svhn]\n"));
        assertThat(run(home, "data", "baseline", "--set", "glyphs.classes=20", "--set", "task.ways=6", "--set", "runs.directory=" + home.resolve("runs")))
                .isEqualTo(new Result(1, "", "error: The meta-test split has 4 classes, fewer than the 6 ways of a task\n"));
        // a failed command leaves no run directory behind
        assertThat(run(home, "data", "inspect", "--set", "glyphs.classes=20", "--set", "task.ways=14", "--set", "runs.directory=" + home.resolve("runs"), "--set", "run.name=failed"))
                .isEqualTo(new Result(1, "", "error: The meta-train split has 13 classes, fewer than the 14 ways of a task\n"));
        assertThat(home.resolve("runs/failed")).doesNotExist();
        assertThat(run(home, "data", "inspect", "--set", "run.name=../escape", "--set", "runs.directory=" + home.resolve("runs")))
                .isEqualTo(new Result(1, "", "error: Configuration key [run.name] must be one folder name inside runs.directory [" + home.resolve("runs")
                        + "], got [../escape]; expected a name without /, \\ or :, other than . and ..\n"));
        assertThat(home.resolve("escape")).doesNotExist();
        assertThat(run(home, "data", "inspect", "--dataset", "omniglot", "--path", home.resolve("missing.zip").toString()))
                .isEqualTo(new Result(1, "", "error: Data path [" + home.resolve("missing.zip") + "] does not exist\n"));
    }

    @Test
    void missingCommandAndUnknownOption()
    {
        Result none = run(home);
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).startsWith("Missing command: try atnas --help\n");
        Result unknown = run(home, "plugins", "--colour");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("Unknown option: '--colour'\n");
    }
}
