package org.atnas.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.atnas.api.Individual;
import org.atnas.api.SupernetState;
import org.atnas.core.Atnas;
import org.atnas.core.config.Configuration;
import org.atnas.core.plugin.InstalledPlugin;
import org.atnas.core.plugin.PluginLoader;
import org.atnas.core.search.Checkpoint;
import org.atnas.core.search.MetaSearch;
import org.atnas.core.search.SearchEngine;
import org.atnas.core.search.SearchListener;
import org.atnas.core.search.SearchRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The search end to end, on the assembled distribution's plugins (DJL, DARTS, GA, MAML) and procedural glyphs. */
class SearchIT
{
    private static final Path DISTRIBUTION = Path.of(System.getProperty("atnas.distribution", "target/atnas-0.1.0"));
    /** A search small enough for seconds: 14×14 glyphs, a narrow 2-cell supernet, one libtorch thread (deterministic). */
    static final List<String> TINY = List.of(
            "glyphs.classes=60", "data.image-size=14", "darts.channels=4", "darts.stem-multiplier=1", "djl.threads=1",
            "search.population=4", "search.arch-batch=2", "search.task-batch=2", "search.warmup-steps=2", "search.steps=6",
            "search.evolve-every=2", "search.validation-tasks=2", "search.inner-steps=2", "search.inner-lr=0.1", "task.queries=3",
            "search.checkpoint-every=100", "search.task-pool=8");

    @TempDir
    Path temporary;

    private static List<InstalledPlugin> plugins()
    {
        return new PluginLoader(SearchIT.class.getClassLoader()).loadFolders(DISTRIBUTION.resolve("plugins"));
    }

    /** Runs a search in {@code directory}; stops after {@code stopAfter} steps if positive; returns the final state. */
    private static Result search(List<String> settings, Path directory, int stopAfter, Optional<Checkpoint> resume)
            throws Exception
    {
        Atnas atnas = Atnas.start(plugins(), resume.map(checkpoint -> Configuration.empty().with(checkpoint.configuration(), "checkpoint")).orElse(Configuration.load(Optional.empty(), settings)),
                SearchRun.SERVICES);
        SearchRun run = SearchRun.prepare(atnas);
        Files.createDirectories(directory);
        try (SearchEngine engine = run.engine(directory, resume)) {
            MetaSearch search = engine.search();
            MetaSearch.Outcome outcome = search.run(new SearchListener()
            {
                @Override
                public void started(int startStep, int totalSteps) {}

                @Override
                public void step(Step step)
                {
                    if (step.step() == stopAfter) {
                        search.requestStop();
                    }
                }

                @Override
                public void checkpoint(Path folder) {}
            });
            return new Result(outcome, search.population().individuals(), search.supernet().state());
        }
    }

    private record Result(MetaSearch.Outcome outcome, List<Individual> population, SupernetState state) {}

    private static List<String> with(List<String> base, String... more)
    {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void anInterruptedAndResumedSearchEndsAsAnUninterruptedOne()
            throws Exception
    {
        assertResumeEquivalence(TINY);
    }

    @Test
    void withAPredictorInTheLoopToo()
            throws Exception
    {
        List<String> settings = with(TINY, "search.steps=10", "predictor=random-forest", "predictor.min-pairs=4", "predictor.evaluate-fraction=0.75", "random-forest.trees=10");
        assertResumeEquivalence(settings);
        List<String> lines = Files.readAllLines(temporary.resolve("whole/metrics.jsonl"));
        // after the first evaluation the forest ranks the candidates and its rank correlation is logged
        assertThat(lines).anyMatch(line -> line.startsWith("{\"type\":\"generation\"") && line.contains("\"predictorSpearman\":"));
        JsonNode manifest = new ObjectMapper().readTree(temporary.resolve("whole/checkpoints").resolve(Files.readString(temporary.resolve("whole/checkpoints/latest")).strip()).resolve("manifest.json").toFile());
        assertThat(manifest.get("predictorPairs").size()).isGreaterThanOrEqualTo(4);
    }

    private void assertResumeEquivalence(List<String> settings)
            throws Exception
    {
        List<String> TINY = settings;
        int total = Integer.parseInt(settings.stream().filter(setting -> setting.startsWith("search.steps=")).reduce((first, second) -> second).orElseThrow().substring(13)) + 2;
        Result uninterrupted = search(TINY, temporary.resolve("whole"), -1, Optional.empty());
        Result stopped = search(TINY, temporary.resolve("parts"), 3, Optional.empty());
        assertThat(stopped.outcome()).isEqualTo(MetaSearch.Outcome.STOPPED);
        Checkpoint checkpoint = Checkpoint.readLatest(temporary.resolve("parts"));
        assertThat(checkpoint.step()).isEqualTo(3);
        Result resumed = search(TINY, temporary.resolve("parts"), -1, Optional.of(checkpoint));

        assertThat(uninterrupted.outcome()).isEqualTo(MetaSearch.Outcome.FINISHED);
        assertThat(resumed.outcome()).isEqualTo(MetaSearch.Outcome.FINISHED);
        assertThat(resumed.population()).isEqualTo(uninterrupted.population());
        assertThat(resumed.state().parameters().keySet()).isEqualTo(uninterrupted.state().parameters().keySet());
        uninterrupted.state().parameters().forEach((name, values) -> assertThat(resumed.state().parameters().get(name)).as(name).containsExactly(values));
        assertThat(resumed.state().steps()).isEqualTo(uninterrupted.state().steps());
        // the resumed run appended to the same metrics: every meta-step once
        long steps = Files.readAllLines(temporary.resolve("parts/metrics.jsonl")).stream().filter(line -> line.contains("\"type\":\"meta-step\"")).count();
        assertThat(steps).isEqualTo(total);
    }

    @Test
    void aCheckpointOfOneBackendResumesOnTheOther()
            throws Exception
    {
        Result stopped = search(with(TINY, "backend=djl"), temporary.resolve("crossed"), 3, Optional.empty());
        assertThat(stopped.outcome()).isEqualTo(MetaSearch.Outcome.STOPPED);
        Checkpoint checkpoint = Checkpoint.readLatest(temporary.resolve("crossed"));
        java.util.Map<String, String> configuration = new java.util.LinkedHashMap<>(checkpoint.configuration());
        configuration.put("backend", "nd4j");
        configuration.keySet().removeIf(key -> key.startsWith("djl."));
        Checkpoint onNd4j = new Checkpoint(checkpoint.step(), checkpoint.generation(), checkpoint.finished(), checkpoint.population(), configuration, checkpoint.components(), checkpoint.state(),
                checkpoint.predictorPairs(), checkpoint.cpuMinutes());
        Result resumed = search(List.of(), temporary.resolve("crossed"), -1, Optional.of(onNd4j));
        assertThat(resumed.outcome()).isEqualTo(MetaSearch.Outcome.FINISHED);
        assertThat(resumed.population()).allMatch(Individual::isEvaluated);
        assertThat(resumed.state().steps().values()).allMatch(steps -> steps <= 8);

        // and atnas evaluate of the DJL run, on ND4J
        LauncherTest.Result evaluated = LauncherTest.run(DISTRIBUTION, "evaluate", temporary.resolve("crossed").toString(), "--tasks", "4", "--set", "backend=nd4j");
        assertThat(evaluated.status()).as(evaluated.err()).isZero();
        assertThat(evaluated.out()).contains("4 tasks, 5 inner steps (lr 0.1)");
    }

    @Test
    void oneAndTwoWorkersGiveTheSameResult()
            throws Exception
    {
        // with the step's tasks shared out among the workers; by default (Eq. 7) each worker draws its own B_task tasks
        Result one = search(with(TINY, "search.workers=1", "search.task-batch-scope=step"), temporary.resolve("one"), -1, Optional.empty());
        Result two = search(with(TINY, "search.workers=2", "search.task-batch-scope=step"), temporary.resolve("two"), -1, Optional.empty());
        assertThat(two.population()).extracting(Individual::code).isEqualTo(one.population().stream().map(Individual::code).toList());
        for (int i = 0; i < one.population().size(); i++) {
            assertThat(two.population().get(i).requireFitness()).isCloseTo(one.population().get(i).requireFitness(), within(1e-6));
        }
        one.state().parameters().forEach((name, values) -> {
            float[] other = two.state().parameters().get(name);
            for (int i = 0; i < values.length; i++) {
                assertThat(other[i]).as(name).isCloseTo(values[i], within(1e-4f));
            }
        });
    }

    @Test
    void theMetaTrainedSupernetAdaptsBetterThanTheUntrainedOne()
            throws Exception
    {
        Path runs = temporary.resolve("runs");
        List<String> settings = List.of("glyphs.classes=100", "data.image-size=14", "darts.channels=8", "darts.stem-multiplier=2",
                "search.population=2", "search.arch-batch=1", "search.task-batch=4", "search.evolve-every=50", "search.validation-tasks=4",
                "search.inner-steps=3", "search.inner-lr=0.1", "search.meta-lr=0.01", "task.queries=5", "search.checkpoint-every=1000",
                "search.warmup-steps=0", "runs.directory=" + runs);
        LauncherTest.Result trained = LauncherTest.run(DISTRIBUTION, arguments("search", with(settings, "search.steps=60", "run.name=trained")));
        assertThat(trained.status()).as(trained.err()).isZero();
        assertThat(trained.out()).contains("Search finished (atnas): 60 meta-steps, population of 2");
        LauncherTest.Result untrained = LauncherTest.run(DISTRIBUTION, arguments("search", with(settings, "search.steps=0", "run.name=untrained")));
        assertThat(untrained.status()).as(untrained.err()).isZero();
        JsonNode population = new ObjectMapper().readTree(runs.resolve("trained/population.json").toFile());
        String code = population.get(0).get("code").asText();

        double after = evaluate(runs.resolve("trained"), code);
        double before = evaluate(runs.resolve("untrained"), code);
        assertThat(after).as("mean query accuracy after meta-training vs before").isGreaterThan(before + 0.05);
    }

    private static double evaluate(Path run, String code)
            throws Exception
    {
        LauncherTest.Result result = LauncherTest.run(DISTRIBUTION, "evaluate", run.toString(), "--code", code, "--tasks", "100");
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("Meta-test: 5-way tasks from ", "100 tasks, 5 inner steps (lr 0.1)");
        try (var files = Files.list(run)) {
            Path written = files.filter(path -> path.getFileName().toString().startsWith("evaluation-")).findFirst().orElseThrow();
            return new ObjectMapper().readTree(written.toFile()).get(0).get("meanAccuracy").asDouble();
        }
    }

    @Test
    void searchEvaluateAndExportInOneCommand()
            throws Exception
    {
        Path runs = temporary.resolve("runs");
        List<String> command = new ArrayList<>(List.of(arguments("search", with(TINY, "runs.directory=" + runs, "run.name=quick"))));
        command.addAll(List.of("--evaluate", "--tasks", "10", "--export"));
        LauncherTest.Result result = LauncherTest.run(DISTRIBUTION, command.toArray(String[]::new));
        assertThat(result.status()).as(result.err()).isZero();
        Path run = runs.resolve("quick");
        String best = new ObjectMapper().readTree(run.resolve("population.json").toFile()).get(0).get("code").asText();
        assertThat(result.out()).contains("Search finished (atnas): 8 meta-steps, population of 4",
                "Summary\n  best architecture:  " + best + " (measured)\n",
                "(95% CI, 10 5-way 1-shot tasks; " + run.resolve("evaluation-"),
                "  pictures:           " + run.resolve("export/architecture-1/normal.svg") + ", " + run.resolve("export/architecture-1/reduction.svg") + " (and .png)\n",
                "  run directory:      " + run + "\n");
        assertThat(result.err()).contains("Starting at meta-step 0 of 8\n", "Evaluating the best architecture on 10 meta-test tasks (5 inner steps, lr 0.1) ...");
        assertThat(run.resolve("export/architectures.json")).exists();
        assertThat(run.resolve("export/architecture-1/normal.png")).exists();
        assertThat(Files.readString(run.resolve("export/architecture-1/code.txt"))).isEqualTo(best + "\n");

        // atnas export on its own: the two best into another folder
        Path elsewhere = temporary.resolve("elsewhere");
        LauncherTest.Result export = LauncherTest.run(DISTRIBUTION, "export", run.toString(), "--top", "2", "--output", elsewhere.toString());
        assertThat(export.status()).as(export.err()).isZero();
        assertThat(export.out()).startsWith("1. " + best + "\n   ").contains(" parameters, ", " multiply-adds per image; " + elsewhere.resolve("architecture-2"));
        assertThat(elsewhere.resolve("architecture-2/reduction.svg")).exists();
    }

    @Test
    void theFinalTrainingMetaTrainsTheBestArchitectureAloneThenTestsIt()
            throws Exception
    {
        Path runs = temporary.resolve("runs");
        List<String> command = new ArrayList<>(List.of(arguments("search", with(TINY, "runs.directory=" + runs, "run.name=found", "train.steps=4", "train.evaluate-every=2", "train.cpu-budget=30"))));
        command.addAll(List.of("--final-training", "--tasks", "10"));
        LauncherTest.Result result = LauncherTest.run(DISTRIBUTION, command.toArray(String[]::new));
        assertThat(result.status()).as(result.err()).isZero();
        // a budget ends a run before its step count, which then is only a ceiling: the start line names the budget
        assertThat(result.err()).contains("Starting at meta-step 0; the run ends when it has used its CPU budget of 30.0 minutes\n");
        String best = new ObjectMapper().readTree(runs.resolve("found/population.json").toFile()).get(0).get("code").asText();
        assertThat(result.out()).contains("Final training\n  architecture:       " + best + "\n  meta-steps:         4 (B_arch = 1, 5 inner steps at lr 0.1, Adam lr 0.001)\n",
                "(95% CI, 10 5-way 1-shot tasks; ");
        Path training;
        try (var folders = Files.list(runs)) {
            training = folders.filter(path -> path.getFileName().toString().startsWith("train-")).findFirst().orElseThrow();
        }
        Checkpoint trained = Checkpoint.readLatest(training);
        assertThat(trained.population().codes()).extracting(Object::toString).containsExactly(best);
        assertThat(trained.configuration()).containsEntry("search.method", "fixed").containsEntry("train.source", runs.resolve("found").toAbsolutePath().normalize().toString());

        // the same from the command, with another code and fresh weights
        LauncherTest.Result fresh = LauncherTest.run(DISTRIBUTION, "train", runs.resolve("found").toString(), "--code", "darts-v2", "--from-scratch", "--steps", "2", "--tasks", "4");
        assertThat(fresh.status()).as(fresh.err()).isZero();
        assertThat(fresh.err()).contains("(fresh weights)");
        LauncherTest.Result notATraining = LauncherTest.run(DISTRIBUTION, "train", "--resume", runs.resolve("found").toString());
        assertThat(notATraining).isEqualTo(new LauncherTest.Result(1, "", "error: [" + runs.resolve("found") + "] is a search, not a final training; continue it with atnas search --resume "
                + runs.resolve("found") + "\n"));
    }

    private static final String OMNIGLOT = "../../shared/data/omniglot/images_background_small1.zip,../../shared/data/omniglot/images_background_small2.zip";

    @Test
    void everyShippedConfigurationTakesEveryAlternativeOfEachServiceByOneSet()
    {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(Path.of(OMNIGLOT.split(",")[0])) || "true".equals(System.getenv("CI")), "no shared Omniglot data");
        org.atnas.core.plugin.PluginRegistry registry = new org.atnas.core.plugin.PluginRegistry(plugins());
        List<org.atnas.core.ServiceType> swappable = List.of(org.atnas.core.ServiceType.BACKEND, org.atnas.core.ServiceType.META_OPTIMIZER, org.atnas.core.ServiceType.EVOLVER,
                org.atnas.core.ServiceType.PREDICTOR);
        int checked = 0;
        for (String file : List.of("conf/atnas.properties", "conf/quickstart.properties", "conf/omniglot-study.properties")) {
            for (org.atnas.core.ServiceType service : swappable) {
                List<String> names = new ArrayList<>(registry.components(service).keySet());
                if (service.isOptional()) {
                    names.add(org.atnas.core.ServiceType.NONE);
                }
                for (String name : names) {
                    String swap = service.key() + "=" + name;
                    // config check loads the data too: the study's Omniglot from the shared folder
                    List<String> command = new ArrayList<>(List.of("config", "check", DISTRIBUTION.resolve(file).toString(), "--set", swap));
                    if (file.contains("omniglot")) {
                        command.addAll(List.of("--set", "data.path=" + OMNIGLOT));
                    }
                    LauncherTest.Result check = LauncherTest.run(DISTRIBUTION, command.toArray(String[]::new));
                    assertThat(check.status()).as(file + " --set " + swap + ": " + check.err()).isZero();
                    assertThat(check.out()).as(file + " --set " + swap).startsWith(DISTRIBUTION.resolve(file) + ": OK\n");
                    checked++;
                }
            }
        }
        // djl and nd4j, maml and reptile, ga, none and the three Weka predictors, in each of the three files
        assertThat(checked).isEqualTo(3 * (2 + 2 + 1 + 4));
    }

    @Test
    void quickstartRunsOnNd4jByOneSet()
    {
        Path runs = temporary.resolve("runs");
        LauncherTest.Result swapped = LauncherTest.run(DISTRIBUTION, "search", "--config", DISTRIBUTION.resolve("conf/quickstart.properties").toString(), "--set", "backend=nd4j",
                "--set", "glyphs.classes=60", "--set", "data.image-size=14", "--set", "darts.channels=4", "--set", "darts.stem-multiplier=1", "--set", "search.population=4",
                "--set", "search.warmup-steps=2", "--set", "search.steps=2", "--set", "search.evolve-every=2", "--set", "search.validation-tasks=2",
                "--set", "runs.directory=" + runs, "--set", "run.name=nd4j");
        assertThat(swapped.status()).as(swapped.err()).isZero();
        assertThat(swapped.err()).contains("warning: Configuration key [djl.threads] (from " + DISTRIBUTION.resolve("conf/quickstart.properties") + ") of weight backend [djl] ignored: backend = nd4j\n");
        assertThat(swapped.out()).contains("Search finished (atnas): 4 meta-steps, population of 4");
        assertThat(Files.exists(runs.resolve("nd4j/population.json"))).isTrue();
    }

    private static String[] arguments(String command, List<String> settings)
    {
        List<String> arguments = new ArrayList<>(List.of(command));
        for (String setting : settings) {
            arguments.add("--set");
            arguments.add(setting);
        }
        return arguments.toArray(String[]::new);
    }

    @Test
    void badInputIsRefusedBeforeAnyWork()
            throws Exception
    {
        Path runs = temporary.resolve("runs");
        LauncherTest.Result tooManyArchitectures = LauncherTest.run(DISTRIBUTION, arguments("search", with(TINY, "search.arch-batch=5", "runs.directory=" + runs)));
        assertThat(tooManyArchitectures).isEqualTo(new LauncherTest.Result(1, "",
                "error: search.arch-batch (5) is larger than search.population (4): a meta-step draws distinct architectures from the population\n"));
        LauncherTest.Result tooManyQueries = LauncherTest.run(DISTRIBUTION, arguments("search", with(TINY, "task.queries=20", "runs.directory=" + runs)));
        assertThat(tooManyQueries.status()).isEqualTo(1);
        assertThat(tooManyQueries.err()).matches("error: Class glyph\\d{5} has 20 images, but a 1-shot 20-query task needs 21 per class\n");
        assertThat(runs).doesNotExist();
        // config check makes the same checks, and reports every error
        LauncherTest.Result check = LauncherTest.run(DISTRIBUTION, "config", "check", DISTRIBUTION.resolve("conf/quickstart.properties").toString(),
                "--set", "search.population=3", "--set", "search.arch-batch=4", "--set", "task.ways=300");
        assertThat(check).isEqualTo(new LauncherTest.Result(1, "", "error: 3 configuration errors:\n"
                + "  search.arch-batch (4) is larger than search.population (3): a meta-step draws distinct architectures from the population\n"
                + "  The meta-val split has 192 classes, fewer than the 300 ways of a task\n"
                + "  The meta-test split has 240 classes, fewer than the 300 ways of a task\n"));

        LauncherTest.Result notARun = LauncherTest.run(DISTRIBUTION, "evaluate", temporary.toString());
        assertThat(notARun).isEqualTo(new LauncherTest.Result(1, "", "error: [" + temporary + "] is not a search run directory with a checkpoint: "
                + temporary.resolve("checkpoints/latest") + " does not exist\n"));
        LauncherTest.Result resumeMissing = LauncherTest.run(DISTRIBUTION, "search", "--resume", temporary.resolve("nowhere").toString());
        assertThat(resumeMissing).isEqualTo(new LauncherTest.Result(1, "", "error: Run directory [" + temporary.resolve("nowhere") + "] does not exist\n"));
    }

    @Test
    void checkpointsAreCompleteAndEvaluationChecksCodes()
            throws Exception
    {
        Path runs = temporary.resolve("runs");
        LauncherTest.Result done = LauncherTest.run(DISTRIBUTION, arguments("search", with(TINY, "runs.directory=" + runs, "run.name=small", "search.checkpoint-every=4")));
        assertThat(done.status()).as(done.err()).isZero();
        Path run = runs.resolve("small");
        assertThat(Files.readString(run.resolve("checkpoints/latest")).strip()).isEqualTo("step-0000008");
        assertThat(run.resolve("checkpoints/step-0000004/supernet.safetensors")).isRegularFile();
        JsonNode manifest = new ObjectMapper().readTree(run.resolve("checkpoints/step-0000008/manifest.json").toFile());
        assertThat(manifest.get("format").asInt()).isEqualTo(1);
        assertThat(manifest.get("population")).hasSize(4);
        assertThat(manifest.get("components").get("backend").asText()).startsWith("djl ");
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).anyMatch(line -> line.startsWith("{\"type\":\"generation\""));

        LauncherTest.Result invalid = LauncherTest.run(DISTRIBUTION, "evaluate", run.toString(), "--code", "4,4,4,4,0,3,4,0,0,3,0,6,0,0,1,0,0,1,3,1,0,3,0,0,1,3,0,0");
        assertThat(invalid).isEqualTo(new LauncherTest.Result(1, "",
                "error: --code: Invalid DARTS code: cell 1, node 0 (edges 0-1) has 1 non-zero incoming edges [0], expected exactly 2\n"));

        // a finished run resumed says so and writes nothing
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(LauncherTest.run(DISTRIBUTION, "search", "--resume", run.toString())).isEqualTo(new LauncherTest.Result(0,
                "Run " + run + " finished at meta-step 8; there is nothing to resume and nothing was written.\nEvaluate with: atnas evaluate " + run + "\n", ""));
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).isEqualTo(metrics);
        // a run another process owns is refused
        try (org.atnas.core.run.RunLock ignored = org.atnas.core.run.RunDirectory.open(run).lock()) {
            assertThat(LauncherTest.run(DISTRIBUTION, "search", "--resume", run.toString())).isEqualTo(new LauncherTest.Result(1, "",
                    "error: Run [" + run + "] is in use by process " + ProcessHandle.current().pid() + "; wait for it to finish or stop it first\n"));
        }

        Files.delete(run.resolve("checkpoints/step-0000008/adam.safetensors"));
        LauncherTest.Result incomplete = LauncherTest.run(DISTRIBUTION, "search", "--resume", run.toString());
        assertThat(incomplete).isEqualTo(new LauncherTest.Result(1, "",
                "error: Checkpoint [" + run.resolve("checkpoints/step-0000008") + "] is incomplete: adam.safetensors is missing\n"));
        assertThat(run.resolve("checkpoints/step-0000008/supernet.safetensors")).isRegularFile();
    }

    @Test
    void aLossThatIsNotANumberStopsTheSearchNamingStepArchitectureAndTask()
    {
        LauncherTest.Result diverged = LauncherTest.run(DISTRIBUTION, arguments("search", with(TINY, "search.inner-lr=100", "search.inner-steps=8", "runs.directory=" + temporary.resolve("runs"))));
        assertThat(diverged.status()).isEqualTo(1);
        assertThat(diverged.err()).containsPattern("error: Meta-step \\d+, architecture [\\d,]+: The (support|query) loss is (NaN|Infinity|-Infinity) at inner step \\d of the task with seed -?\\d+; "
                + "the search stopped, no checkpoint was written yet\n");
    }
}
