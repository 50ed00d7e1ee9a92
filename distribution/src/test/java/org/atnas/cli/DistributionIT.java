package org.atnas.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.atnas.core.testing.PluginCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The assembled distribution (target/atnas-VERSION), after {@code mvn package}. */
class DistributionIT
{
    private static final Path DISTRIBUTION = Path.of(System.getProperty("atnas.distribution", "target/atnas-0.1.0"));
    private static final Path TABLE = Path.of("../../shared/data/nasbench201/nats_bench_tss.csv");

    @TempDir
    Path temporary;

    /** The shared NAS-Bench-201 table: a test that needs it fails under CI=true when it is missing, and is skipped elsewhere. */
    private static Path table()
    {
        if (!Files.isRegularFile(TABLE)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but the NAS-Bench-201 table is missing: " + TABLE.toAbsolutePath());
            }
            assumeTrue(false, "no NAS-Bench-201 table at " + TABLE.toAbsolutePath());
        }
        return TABLE;
    }

    private static String omniglot()
    {
        Path first = Path.of("../../shared/data/omniglot/images_background_small1.zip");
        Path second = Path.of("../../shared/data/omniglot/images_background_small2.zip");
        for (Path zip : List.of(first, second)) {
            if (!Files.isRegularFile(zip)) {
                if ("true".equals(System.getenv("CI"))) {
                    fail("CI=true but the shared Omniglot data is missing: " + zip.toAbsolutePath());
                }
                assumeTrue(false, "no Omniglot data at " + zip.toAbsolutePath());
            }
        }
        return first + "," + second;
    }

    @Test
    void omniglotInspectAndBaseline()
            throws Exception
    {
        Path runs = temporary.resolve("runs");
        LauncherTest.Result inspect = LauncherTest.run(DISTRIBUTION, "data", "inspect", "--dataset", "omniglot", "--path", omniglot(),
                "--set", "data.meta-test=Sanskrit,Tagalog", "--set", "data.meta-val=Early_Aramaic", "--set", "runs.directory=" + runs, "--set", "run.name=inspect");
        assertThat(inspect.status()).as(inspect.err()).isZero();
        assertThat(inspect.out()).startsWith("Data set omniglot: 242 classes, 4,840 images of 1x28x28, loaded in ")
                .contains("meta-train  644      12,880  Balinese, Greek, Japanese_(katakana), Korean, Latin\n",
                        "meta-val    22       440     Early_Aramaic\n",
                        "meta-test   59       1,180   Sanskrit, Tagalog\n");
        assertThat(runs.resolve("inspect/task.png")).isRegularFile();
        LauncherTest.Result baseline = LauncherTest.run(DISTRIBUTION, "data", "baseline", "--dataset", "omniglot", "--path", omniglot(), "--tasks", "100",
                "--set", "data.meta-test=Sanskrit,Tagalog", "--set", "data.meta-val=Early_Aramaic", "--set", "runs.directory=" + runs);
        assertThat(baseline.status()).as(baseline.err()).isZero();
        assertThat(baseline.out()).startsWith("omniglot, 5-way 1-shot 15-query, 100 meta-test tasks from 59 classes (chance 20.0%)\n");
    }

    private static String process(Path directory, String... command)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void sigtermStopsAHugeSearchWithinSecondsSayingWhatItDoes()
            throws Exception
    {
        String launcher = DISTRIBUTION.resolve("bin/atnas").toAbsolutePath().toString();
        ProcessBuilder builder = new ProcessBuilder(launcher, "search", "--set", "glyphs.classes=60", "--set", "data.image-size=14", "--set", "darts.channels=4", "--set", "darts.stem-multiplier=1",
                "--set", "djl.threads=1", "--set", "search.population=1000000", "--set", "search.warmup-steps=0", "--set", "search.evolve-every=1",
                "--set", "runs.directory=" + temporary.resolve("runs"))
                .directory(temporary.toFile()).redirectErrorStream(true);
        // a heap smaller than the estimate: the start-up warning shows
        builder.environment().put("ATNAS_JAVA_OPTS", "-Xmx2g");
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        java.util.concurrent.CountDownLatch evaluating = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.startsWith("Meta-step 1 took ")) {
                        evaluating.countDown();
                    }
                }
            }
            catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        reader.start();
        try {
            assertThat(evaluating.await(120, TimeUnit.SECONDS)).as("the first meta-step ends").isTrue();
            // the evaluation of a million architectures has begun: SIGTERM (Process.destroy would close the output the test reads)
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor()).isZero();
            long start = System.nanoTime();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s").isTrue();
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(10);
            reader.join(10_000);
        }
        finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
        synchronized (output) {
            assertThat(output.toString())
                    .contains("warning: this configuration needs about ")
                    .containsPattern("Meta-step 1 took \\d+s; an evaluation of the population \\(\\d{1,3}(,\\d{3})+ task adaptations\\) will take about \\d+d\\d\\dh\n")
                    .contains("Stopping: the running tasks finish, then a checkpoint is written (or the last complete one kept) ...\n")
                    .contains("Stopped during the evaluation after meta-step 1 (abandoned) before the first checkpoint; there is nothing to resume.\n");
        }
    }

    /** bin/atnas with {@code ATNAS_MALLOC} set: its exit status and everything it printed. */
    private LauncherTest.Result withAllocator(String allocator)
            throws IOException, InterruptedException
    {
        return version(Map.of("ATNAS_MALLOC", allocator));
    }

    /**
     * bin/atnas --version with {@code environment} added to one free of malloc settings (the
     * launcher's own choices depend on them): its exit status and everything it printed.
     */
    private LauncherTest.Result version(Map<String, String> environment)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(DISTRIBUTION.resolve("bin/atnas").toAbsolutePath().toString(), "--version").directory(temporary.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("MALLOC_") || name.equals("GLIBC_TUNABLES") || name.equals("LD_PRELOAD") || name.equals("ATNAS_MALLOC") || name.equals("ATNAS_JAVA_OPTS"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new LauncherTest.Result(process.exitValue(), out, err);
    }

    @Test
    void theLauncherScriptRefusesAnAllocatorItCannotPreload()
            throws Exception
    {
        assertThat(withAllocator("system")).isEqualTo(new LauncherTest.Result(0, "atnas 0.1.0 (API 1.2)\n", ""));
        assertThat(withAllocator("mimalloc")).isEqualTo(new LauncherTest.Result(1, "",
                "atnas: ATNAS_MALLOC=mimalloc: expected system, tcmalloc, jemalloc or the absolute path of a malloc library\n"));
        String missing = temporary.resolve("libnothing.so").toAbsolutePath().toString();
        assertThat(withAllocator(missing)).isEqualTo(new LauncherTest.Result(1, "", "atnas: ATNAS_MALLOC=" + missing + " is not a file\n"));
    }

    /**
     * glibc is told to keep freed blocks for reuse unless the user tuned it, and the Java heap starts
     * small unless the user sized it: the launcher run with a stand-in java that prints the malloc
     * variables it was given, its heap options and the allocator it was told of.
     */
    @Test
    void theLauncherKeepsGlibcsFreedBlocksUnlessTheUserTunedMalloc()
            throws Exception
    {
        Path jdk = temporary.resolve("jdk");
        Path java = Files.createDirectories(jdk.resolve("bin")).resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                echo "arena=${MALLOC_ARENA_MAX-unset} mmap=${MALLOC_MMAP_THRESHOLD_-unset} trim=${MALLOC_TRIM_THRESHOLD_-unset} preload=${LD_PRELOAD-unset}"
                for argument in "$@"; do case "$argument" in -Datnas.malloc=*|-Xm*) echo "$argument" ;; esac; done
                """);
        assertThat(java.toFile().setExecutable(true)).isTrue();

        assertThat(version(Map.of("JAVA_HOME", jdk.toString()))).isEqualTo(new LauncherTest.Result(0,
                "arena=1 mmap=268435456 trim=4294967296 preload=unset\n-Xms32m\n-Datnas.malloc=system, blocks kept for reuse\n", ""));
        assertThat(version(Map.of("JAVA_HOME", jdk.toString(), "ATNAS_JAVA_OPTS", "-Xmx8g"))).as("the user's own heap size").isEqualTo(new LauncherTest.Result(0,
                "arena=1 mmap=268435456 trim=4294967296 preload=unset\n-Xmx8g\n-Datnas.malloc=system, blocks kept for reuse\n", ""));
        assertThat(version(Map.of("JAVA_HOME", jdk.toString(), "MALLOC_ARENA_MAX", "4"))).as("the user's own setting").isEqualTo(new LauncherTest.Result(0,
                "arena=4 mmap=unset trim=unset preload=unset\n-Xms32m\n-Datnas.malloc=system\n", ""));
        // another allocator (glibc itself stands in for it: preloading it changes nothing)
        Path library = Stream.of("/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", "/lib64/libc.so.6").map(Path::of).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new AssertionError("no libc.so.6 in /lib/x86_64-linux-gnu, /lib/aarch64-linux-gnu or /lib64"));
        assertThat(version(Map.of("JAVA_HOME", jdk.toString(), "ATNAS_MALLOC", library.toString()))).as("another allocator").isEqualTo(new LauncherTest.Result(0,
                "arena=unset mmap=unset trim=unset preload=" + library + "\n-Xms32m\n-Datnas.malloc=" + library + "\n", ""));
    }

    @Test
    void theLauncherScriptListsTheBundledPlugins()
            throws Exception
    {
        String launcher = DISTRIBUTION.resolve("bin/atnas").toAbsolutePath().toString();
        assertThat(process(temporary, launcher, "--version")).isEqualTo("atnas 0.1.0 (API 1.2)\n");
        assertThat(process(temporary, launcher, "plugins"))
                .contains("backend-djl              0.1.0    1.2  backend         djl ")
                .contains("backend-nd4j             0.1.0    1.2  backend         nd4j ")
                .contains("cluster-hazelcast        0.1.0    1.2  cluster         hazelcast ")
                .contains("evolution-ga             0.1.0    1.2  evolver         ga ")
                .contains("optimizer-maml           0.1.0    1.2  meta-optimizer  maml ")
                .contains("optimizer-reptile        0.1.0    1.2  meta-optimizer  reptile ")
                .contains("predictor-weka           0.1.0    1.2  predictor       random-forest ")
                .contains("searchspace-darts        0.1.0    1.2  search-space    darts ")
                .contains("searchspace-nasbench201  0.1.0    1.2  search-space    nasbench201 ")
                .endsWith("9 plugins in " + DISTRIBUTION.toAbsolutePath().resolve("plugins") + "\n");
    }

    @Test
    void layoutAndArchive()
            throws Exception
    {
        assertThat(Files.isExecutable(DISTRIBUTION.resolve("bin/atnas"))).isTrue();
        assertThat(DISTRIBUTION.resolve("lib/framework-api-0.1.0.jar")).isRegularFile();
        assertThat(DISTRIBUTION.resolve("plugins/evolution-ga/evolution-ga-0.1.0.jar")).isRegularFile();
        try (Stream<Path> lib = Files.list(DISTRIBUTION.resolve("lib"))) {
            assertThat(lib.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith("evolution-ga") || name.startsWith("searchspace-"));
        }
        try (Stream<Path> pluginFolder = Files.list(DISTRIBUTION.resolve("plugins/searchspace-darts"))) {
            // the API comes from the host, never from a plugin folder
            assertThat(pluginFolder.map(path -> path.getFileName().toString())).containsExactly("searchspace-darts-0.1.0.jar");
        }
        Path archive = DISTRIBUTION.resolveSibling(DISTRIBUTION.getFileName() + ".tar.gz");
        List<String> entries = List.of(process(temporary, "tar", "tzf", archive.toAbsolutePath().toString()).split("\n"));
        assertThat(entries).contains("atnas-0.1.0/bin/atnas", "atnas-0.1.0/conf/atnas.properties", "atnas-0.1.0/conf/logback.xml",
                "atnas-0.1.0/lib/framework-core-0.1.0.jar", "atnas-0.1.0/plugins/searchspace-nasbench201/searchspace-nasbench201-0.1.0.jar", "atnas-0.1.0/README.md",
                "atnas-0.1.0/docs/plugins.md", "atnas-0.1.0/docs/design.md");
        // no test library in the launcher's class path (PDFBox, through xchart, declares JUnit without a scope)
        try (Stream<Path> lib = Files.list(DISTRIBUTION.resolve("lib"))) {
            assertThat(lib.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith("junit-") || name.startsWith("opentest4j") || name.startsWith("apiguardian"));
        }
        // the distribution's own README: its first command runs from the distribution's root, and every docs/ file it names is shipped
        String readme = Files.readString(DISTRIBUTION.resolve("README.md"));
        assertThat(readme).contains("```\nbin/atnas search --config conf/quickstart.properties --evaluate --export\n```");
        java.util.regex.Matcher docs = java.util.regex.Pattern.compile("docs/[a-z0-9-]+\\.md").matcher(readme);
        int named = 0;
        while (docs.find()) {
            assertThat(DISTRIBUTION.resolve(docs.group())).as(docs.group()).isRegularFile();
            named++;
        }
        assertThat(named).isGreaterThanOrEqualTo(2);
        assertThat(process(DISTRIBUTION, "bin/atnas", "config", "check", "conf/quickstart.properties")).contains("\nconf/quickstart.properties: OK\n");
    }

    @Test
    void confDocumentsEveryKeyOfTheBundledPlugins()
            throws Exception
    {
        LauncherTest.Result defaults = LauncherTest.run(DISTRIBUTION, "config", "defaults");
        assertThat(defaults.status()).isZero();
        assertThat(Files.readString(DISTRIBUTION.resolve("conf/atnas.properties"))).isEqualTo(defaults.out());
        assertThat(defaults.out()).contains("#ga.parent-fraction = 0.25\n", "#darts.cells = 2\n", "#nasbench201.metric = cifar10\n");
        LauncherTest.Result check = LauncherTest.run(DISTRIBUTION, "config", "check", DISTRIBUTION.resolve("conf/atnas.properties").toString());
        assertThat(check.status()).as(check.err()).isZero();
        // the backend really starts: PyTorch loads from the plugin's own folder and class loader
        assertThat(check.out()).contains("search-space    =  darts  ok (plugin searchspace-darts)", "backend         =  djl    ok (plugin backend-djl)", "evolver         =  ga     ok (plugin evolution-ga)");
    }

    @Test
    void benchEvolverAgainstTheTable()
            throws Exception
    {
        Path runs = temporary.resolve("runs");
        LauncherTest.Result result = LauncherTest.run(DISTRIBUTION, "bench", "evolver", "--table", table().toString(), "--budget", "60", "--runs", "3", "--population", "12",
                "--set", "runs.directory=" + runs, "--set", "run.name=it", "--set", "seed=4");
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out())
                .startsWith("Search against the table: 15,625 architectures, fitness = cifar10 test accuracy (%), table best 94.37\n"
                        + "budget 60 distinct architectures per run, 3 runs (seeds 4..6), population 12\n")
                .containsPattern("\nga +\\d\\d\\.\\d\\d ± \\d\\.\\d\\d")
                .containsPattern("\nrandom +\\d\\d\\.\\d\\d ± \\d\\.\\d\\d")
                .endsWith("Run directory: " + runs.resolve("it") + "\n");
        assertThat(result.err()).contains("run 3/3 (seed 6): ga best ");
        Path run = runs.resolve("it");
        assertThat(Files.readString(run.resolve("config.properties"))).contains("\nnasbench201.table = " + table() + "\n", "\nevolver = ga\n", "\nseed = 4\n");
        assertThat(Files.readString(run.resolve("report.txt"))).isEqualTo(result.out().substring(0, result.out().indexOf("\nRun directory")));
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).allMatch(line -> line.startsWith("{\"method\":")).anyMatch(line -> line.startsWith("{\"method\":\"random\",\"run\":2,"));
        assertThat(Files.readString(run.resolve("summary.json"))).contains("\"evolver:ga\"", "\"random\"", "\"meanBest\"");
    }

    @Test
    void aThirdPartyEvolverRunsInACopyOfTheDistributionWithoutRebuild()
            throws Exception
    {
        Path home = temporary.resolve("atnas");
        copy(DISTRIBUTION, home);
        PluginCompiler.compilePlugin(home.resolve("plugins"), "keep-best", "com.example.keep.KeepBestPlugin",
                PluginCompiler.evolverPluginSource("com.example.keep", "KeepBestPlugin", "keep-best", "ApiVersion.CURRENT", ""));
        LauncherTest.Result result = LauncherTest.run(home, "bench", "evolver", "--table", table().toString(), "--budget", "40", "--runs", "2", "--population", "8",
                "--set", "evolver=keep-best", "--set", "keep-best.keep=3", "--set", "runs.directory=" + temporary.resolve("runs"));
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).containsPattern("\nkeep-best +\\d\\d\\.\\d\\d ± ");
    }

    @Test
    void benchEvolverWithAPredictorScreensCandidates()
            throws Exception
    {
        Path runs = temporary.resolve("runs");
        LauncherTest.Result result = LauncherTest.run(DISTRIBUTION, "bench", "evolver", "--table", table().toString(), "--budget", "60", "--runs", "2", "--population", "10",
                "--set", "predictor=random-forest", "--set", "predictor.min-pairs=20", "--set", "random-forest.trees=20", "--set", "runs.directory=" + runs, "--set", "run.name=screened");
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).containsPattern("\nga\\+random-forest +\\d\\d\\.\\d\\d ± ");
        assertThat(Files.readAllLines(runs.resolve("screened/metrics.jsonl"))).anyMatch(line -> line.contains("\"predictorSpearman\":"));
    }

    @Test
    void predictorBenchmarkRanksWithEveryInstalledPredictor()
            throws Exception
    {
        Path runs = temporary.resolve("runs");
        LauncherTest.Result result = LauncherTest.run(DISTRIBUTION, "bench", "predictor", "--table", table().toString(), "--sizes", "20,60", "--test", "100", "--seeds", "2",
                "--set", "runs.directory=" + runs, "--set", "run.name=predictors");
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out())
                .startsWith("Predictor ranking quality on 15,625 architectures (fitness = cifar10 test accuracy (%)): train on n random, test on 100 others, 2 seeds\n")
                .containsPattern("\ngaussian-process \\(one-hot\\) +-?\\d\\.\\d{3}±\\d\\.\\d{3} / ")
                .containsPattern("\nrandom-forest \\(integer\\) +")
                .containsPattern("\nrbf \\(one-hot\\) +");
        java.awt.image.BufferedImage plot = javax.imageio.ImageIO.read(runs.resolve("predictors/spearman.png").toFile());
        assertThat(plot.getWidth()).isEqualTo(800);
        assertThat(Files.readString(runs.resolve("predictors/predictors.json"))).contains("\"label\" : \"random-forest (one-hot)\"");
    }

    @Test
    void memoryBenchmarkRunsEachCaseInAFreshJvm()
            throws Exception
    {
        String launcher = DISTRIBUTION.resolve("bin/atnas").toAbsolutePath().toString();
        String output = process(temporary, launcher, "bench", "memory", "--sizes", "12", "--cells", "2", "--channels", "4", "--set", "runs.directory=" + temporary.resolve("runs"));
        assertThat(output)
                .contains("measuring subnet at 3x12x12 in a fresh JVM ...", "measuring mixed at 3x12x12 in a fresh JVM ...")
                .contains("Peak memory of one training step: 2 cells, C = 4, 10 classes, batch 1, backend djl; one fresh JVM per case")
                .containsPattern("\n3x12x12 +[0-9,]+ MB +[0-9,]+ MB +0\\.\\d\\d +\\d\\.\\d\\d +\\d+\\.\\d\\d s / \\d+\\.\\d\\d s\n");
    }

    @Test
    void metaStepBenchmarkPrintsThePeersFieldsAndHowTheBackendWasSet()
            throws Exception
    {
        String launcher = DISTRIBUTION.resolve("bin/atnas").toAbsolutePath().toString();
        String output = process(temporary, launcher, "bench", "meta-step", "--warmup", "0", "--steps", "1", "--meta-batch", "2", "--inner-steps", "1", "--channels", "4",
                "--set", "djl.images-in-flight=40");
        String json = output.lines().filter(line -> line.startsWith("{")).reduce((first, second) -> second).orElseThrow(() -> new AssertionError("no JSON line in:\n" + output));
        assertThat(json)
                .startsWith("{\"peer\":\"atnas-djl-maml\",\"threads\":2,")
                .containsPattern("\"meta_step_s_median\":[0-9.]+,")
                .containsPattern("\"peak_rss_mb\":[0-9.]+,")
                .contains("\"meta_batch\":2,\"inner_steps\":1,", "\"workers\":2,\"threads_per_worker\":1,\"backend\":\"djl\",\"meta_optimizer\":\"maml\",")
                .endsWith(",\"backend_settings\":{\"djl.threads\":\"1\",\"djl.precision\":\"float32\",\"djl.images-in-flight\":\"40\",\"djl.memory-format\":\"channels-last\"}}}");
    }

    private static void copy(Path from, Path to)
            throws IOException
    {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                }
                else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
