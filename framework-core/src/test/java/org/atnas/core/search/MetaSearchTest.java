package org.atnas.core.search;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import com.google.inject.Module;
import com.google.inject.util.Modules;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.Evolver;
import org.atnas.api.ImageShape;
import org.atnas.api.InnerLoop;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.SearchSpace;
import org.atnas.api.Supernet;
import org.atnas.api.Task;
import org.atnas.api.WeightBackend;
import org.atnas.api.network.ParameterSpec;
import org.atnas.conformance.QuadraticBackend;
import org.atnas.conformance.QuadraticBackend.QuadraticSupernet;
import org.atnas.core.Predictors;
import org.atnas.core.config.SettingValues;
import org.atnas.core.data.ImageClass;
import org.atnas.core.data.Normalization;
import org.atnas.core.data.TaskSampler;
import org.atnas.core.testing.ToyComponents;
import org.atnas.optimizer.maml.Maml;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MetaSearchTest
{
    private static final ImageShape SHAPE = MetaSearchTestSupport.SHAPE;
    private static final InnerLoop INNER = new InnerLoop(2, 0.1);

    @TempDir
    Path directory;

    /** The services without plugins: DARTS (2 cells, C = 2), the hand-computable backend, first-order MAML, a hill climber, no predictor. */
    static Module services()
    {
        return binder -> {
            binder.bind(SearchSpace.class).toInstance(new DartsSearchSpace(2, 2, 1));
            binder.bind(WeightBackend.class).toInstance(new QuadraticBackend(false));
            binder.bind(MetaOptimizer.class).toInstance(new Maml(false));
            binder.bind(Evolver.class).toInstance(new ToyComponents.HillClimber());
            binder.bind(Predictors.class).toInstance(Predictors.none());
        };
    }

    /** The test's settings over the defaults: K = 4, B_arch = 2, B_task = 2, 2 inner steps, 1 warm-up and 3 search steps, evaluation every step. */
    static Map<String, String> settings(String... more)
    {
        Map<String, String> settings = new LinkedHashMap<>(Map.of(
                "search.population", "4", "search.evolve-every", "1", "search.arch-batch", "2", "search.task-batch", "2", "search.inner-steps", "2", "search.inner-lr", "0.1",
                "search.warmup-steps", "0", "search.steps", "3", "search.task-pool", "4", "search.validation-tasks", "1"));
        for (String setting : more) {
            settings.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
        }
        return settings;
    }

    private SearchEngine engine(Module services, Map<String, String> settings)
    {
        TaskSampler sampler = MetaSearchTestSupport.sampler();
        SearchPlan plan = SearchPlan.read(SettingValues.of(settings), new DartsSearchSpace(2, 2, 1));
        return SearchEngine.start(services, new SearchModule(plan, new SearchData(sampler, sampler), directory, Provenance.none(), Optional.empty()));
    }

    private SearchEngine engine(String... settings)
    {
        return engine(services(), settings(settings));
    }

    private static MetaSearch.Outcome run(MetaSearch search)
    {
        return search.run(MetaSearchTestSupport.SILENT);
    }

    @Test
    void theRandomBaselineKeepsItsSampledPopulationWhileTheAlgorithmEvolvesIt()
    {
        List<ArchitectureCode> initial;
        List<ArchitectureCode> evolved;
        try (SearchEngine engine = engine()) {
            MetaSearch search = engine.search();
            initial = search.population().codes();
            assertThat(run(search)).isEqualTo(MetaSearch.Outcome.FINISHED);
            evolved = search.population().codes();
        }
        assertThat(evolved).isNotEqualTo(initial);
        try (SearchEngine engine = engine("search.method=random")) {
            MetaSearch search = engine.search();
            // the same seed samples the same population
            assertThat(search.population().codes()).isEqualTo(initial);
            assertThat(run(search)).isEqualTo(MetaSearch.Outcome.FINISHED);
            assertThat(search.step()).isEqualTo(3);
            assertThat(search.population().codes()).isEqualTo(initial);
            assertThat(search.population().isFullyEvaluated()).isTrue();
        }
    }

    @Test
    void theFixedBaselineMetaTrainsOnlyItsArchitecture()
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 2, 1);
        ArchitectureCode fixed = space.sample(new SplittableRandom(9));
        try (SearchEngine engine = engine("search.method=fixed", "search.fixed-code=" + fixed.format())) {
            MetaSearch search = engine.search();
            assertThat(search.population().codes()).containsExactly(fixed);
            assertThat(run(search)).isEqualTo(MetaSearch.Outcome.FINISHED);
            QuadraticSupernet supernet = (QuadraticSupernet) search.supernet();
            assertThat(supernet.updates()).isEqualTo(3);
            // every update reached exactly the fixed subnet's weights
            assertThat(supernet.lastMeanGradient().keySet()).containsExactlyInAnyOrderElementsOf(space.describe(fixed, SHAPE, 2).parameters().stream().map(ParameterSpec::name).toList());
            assertThat(search.population().codes()).containsExactly(fixed);
        }
        assertThatThrownBy(() -> engine("search.method=fixed"))
                .hasMessage("search.method = fixed needs search.fixed-code, the architecture to meta-train");
        // a name the space knows
        try (SearchEngine engine = engine("search.method=fixed", "search.fixed-code=darts-v2")) {
            assertThat(engine.search().population().codes()).containsExactly(space.namedArchitectures().get("darts-v2"));
        }
    }

    @Test
    void aSpentCpuBudgetEndsTheRunWithTheFinalEvaluation()
    {
        try (SearchEngine engine = engine("search.cpu-budget=1e-9")) {
            MetaSearch search = engine.search();
            assertThat(run(search)).isEqualTo(MetaSearch.Outcome.FINISHED);
            assertThat(search.endedByBudget()).isTrue();
            // the budget is checked before each step: at most the first one ran
            assertThat(search.step()).isLessThanOrEqualTo(1);
            assertThat(search.population().isFullyEvaluated()).isTrue();
            assertThat(search.lastCheckpoint()).isPresent();
        }
        try (SearchEngine engine = engine()) {
            MetaSearch search = engine.search();
            run(search);
            assertThat(search.endedByBudget()).isFalse();
            assertThat(search.step()).isEqualTo(3);
        }
        assertThatThrownBy(() -> engine("search.cpu-budget=-1"))
                .hasMessage("Invalid value [-1] for key [search.cpu-budget]: expected a number from 0.0 to 1.0E9");
    }

    @Test
    void theFinalCheckpointIsMarkedFinishedAndCannotBeResumed()
            throws Exception
    {
        try (SearchEngine engine = engine()) {
            assertThat(run(engine.search())).isEqualTo(MetaSearch.Outcome.FINISHED);
        }
        Checkpoint last = Checkpoint.readLatest(directory);
        assertThat(last.finished()).isTrue();
        List<String> metrics = java.nio.file.Files.readAllLines(directory.resolve("metrics.jsonl"));
        // one record per generation; the final evaluation is a record of its own at the last meta-step
        assertThat(metrics.stream().filter(line -> line.startsWith("{\"type\":\"generation\"")).map(line -> line.replaceAll(".*\"generation\":(\\d+).*", "$1")))
                .containsExactly("1", "2", "3");
        assertThat(metrics.stream().filter(line -> line.startsWith("{\"type\":\"final\",\"step\":3,\"generation\":3,"))).hasSize(1);
        TaskSampler sampler = MetaSearchTestSupport.sampler();
        SearchPlan plan = SearchPlan.read(SettingValues.of(settings()), new DartsSearchSpace(2, 2, 1));
        try (SearchEngine engine = SearchEngine.start(services(), new SearchModule(plan, new SearchData(sampler, sampler), directory, Provenance.none(), Optional.of(last)))) {
            assertThatThrownBy(() -> run(engine.search()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("The search finished at meta-step 3; its final checkpoint cannot be resumed");
        }
        assertThat(java.nio.file.Files.readAllLines(directory.resolve("metrics.jsonl"))).isEqualTo(metrics);
    }

    /** Maml that asks the search to stop from inside its {@code stopAt}-th call of one kind: a stop arriving while a task runs. */
    private static final class StoppingMaml
            implements MetaOptimizer
    {
        private final Maml maml = new Maml(false);
        private final java.util.concurrent.atomic.AtomicReference<MetaSearch> search = new java.util.concurrent.atomic.AtomicReference<>();
        private final java.util.concurrent.atomic.AtomicInteger gradients = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger adaptations = new java.util.concurrent.atomic.AtomicInteger();
        private final boolean inEvaluation;

        StoppingMaml(boolean inEvaluation)
        {
            this.inEvaluation = inEvaluation;
        }

        @Override
        public String name()
        {
            return maml.name();
        }

        @Override
        public java.util.Set<org.atnas.api.BackendCapability> requiredCapabilities()
        {
            return maml.requiredCapabilities();
        }

        @Override
        public org.atnas.api.MetaGradient metaGradient(org.atnas.api.BackendWorker worker, org.atnas.api.Subnet subnet, Task task, InnerLoop innerLoop)
        {
            if (gradients.incrementAndGet() == 5 && !inEvaluation) {
                search.get().requestStop();
            }
            return maml.metaGradient(worker, subnet, task, innerLoop);
        }

        @Override
        public org.atnas.api.Adaptation adapt(org.atnas.api.BackendWorker worker, org.atnas.api.Subnet subnet, Task task, InnerLoop innerLoop)
        {
            if (adaptations.incrementAndGet() == 1 && inEvaluation) {
                search.get().requestStop();
            }
            return maml.adapt(worker, subnet, task, innerLoop);
        }
    }

    @Test
    void aStopWithinAMetaStepAbandonsItAfterTheRunningTaskAndCheckpointsTheStepBefore()
            throws Exception
    {
        StoppingMaml stopping = new StoppingMaml(false);
        Module services = Modules.override(services()).with(binder -> binder.bind(MetaOptimizer.class).toInstance(stopping));
        List<ArchitectureCode> uninterrupted;
        try (SearchEngine engine = engine("search.evolve-every=2", "search.workers=1")) {
            run(engine.search());
            uninterrupted = engine.search().population().codes();
        }
        java.nio.file.Path first = directory;
        directory = java.nio.file.Files.createDirectories(directory.resolve("stopped"));
        try (SearchEngine engine = engine(services, settings("search.evolve-every=2", "search.workers=1"))) {
            MetaSearch search = engine.search();
            stopping.search.set(search);
            // 4 pairs a step: the stop comes in the first pair of meta-step 2 and the 3 others never run
            assertThat(run(search)).isEqualTo(MetaSearch.Outcome.STOPPED);
            assertThat(stopping.gradients.get()).isEqualTo(5);
            assertThat(search.abandoned()).contains("meta-step 2");
            assertThat(search.step()).isEqualTo(1);
            assertThat(search.lastCheckpoint()).contains(directory.resolve("checkpoints/step-0000001"));
        }
        Checkpoint checkpoint = Checkpoint.readLatest(directory);
        assertThat(checkpoint.step()).isEqualTo(1);
        assertThat(checkpoint.finished()).isFalse();
        // the process's CPU time is counted in ticks: a tiny step may not reach one
        assertThat(checkpoint.cpuMinutes()).isNotNegative();
        TaskSampler sampler = MetaSearchTestSupport.sampler();
        SearchPlan plan = SearchPlan.read(SettingValues.of(settings("search.evolve-every=2", "search.workers=1")), new DartsSearchSpace(2, 2, 1));
        try (SearchEngine engine = SearchEngine.start(services(), new SearchModule(plan, new SearchData(sampler, sampler), directory, Provenance.none(), Optional.of(checkpoint)))) {
            assertThat(run(engine.search())).isEqualTo(MetaSearch.Outcome.FINISHED);
            // the CPU budget counts on from the minutes the checkpoint records, and the last checkpoint records the sum
            double last = Checkpoint.readLatest(directory).cpuMinutes();
            assertThat(last).isGreaterThanOrEqualTo(checkpoint.cpuMinutes()).isLessThanOrEqualTo(engine.search().cpuMinutes());
            // the abandoned step changed nothing: the resumed run ends where the uninterrupted one did
            assertThat(engine.search().population().codes()).isEqualTo(uninterrupted);
        }
        assertThat(first).isDirectory();
    }

    @Test
    void aStopWithinAnEvaluationAbandonsItAndKeepsTheLastCompleteCheckpoint()
    {
        StoppingMaml stopping = new StoppingMaml(true);
        Module services = Modules.override(services()).with(binder -> binder.bind(MetaOptimizer.class).toInstance(stopping));
        try (SearchEngine engine = engine(services, settings("search.workers=1", "search.validation-tasks=3"))) {
            MetaSearch search = engine.search();
            stopping.search.set(search);
            assertThat(run(search)).isEqualTo(MetaSearch.Outcome.STOPPED);
            // 4 architectures x 3 tasks to adapt; the stop came in the first and no other started
            assertThat(stopping.adaptations.get()).isEqualTo(1);
            assertThat(search.abandoned()).contains("the evaluation after meta-step 1");
            assertThat(search.lastCheckpoint()).isEmpty();
        }
    }

    @Test
    void aMetaTestReportsEveryAdaptedPair()
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 2, 1);
        List<long[]> reported = java.util.Collections.synchronizedList(new ArrayList<>());
        try (SearchEngine engine = engine("search.workers=2")) {
            engine.metaTest().evaluate(List.of(space.sample(new SplittableRandom(1)), space.sample(new SplittableRandom(2))), MetaSearchTestSupport.sampler(), 3, INNER,
                    (done, total) -> reported.add(new long[] {done, total}));
        }
        assertThat(reported).hasSize(6).allMatch(pair -> pair[1] == 6);
        assertThat(reported.stream().mapToLong(pair -> pair[0]).sorted().toArray()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    private static double centre(org.atnas.api.ImageBatch batch)
    {
        double sum = 0;
        for (float pixel : batch.pixels()) {
            sum += pixel;
        }
        return sum / batch.pixels().length;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void theOuterUpdateGetsTheMeanOfEveryPairsMetaGradient(int workers)
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 2, 1);
        try (SearchEngine engine = engine("search.workers=" + workers)) {
            MetaStep metaStep = engine.metaStep();
            QuadraticSupernet supernet = (QuadraticSupernet) engine.get(Supernet.class);
            List<ArchitectureCode> codes = List.of(space.sample(new SplittableRandom(1)), space.sample(new SplittableRandom(2)));
            List<Task> tasks = List.of(MetaSearchTestSupport.sampler().sample(5), MetaSearchTestSupport.sampler().sample(6));
            Map<String, double[]> initial = new HashMap<>();
            Map<String, double[]> expected = new HashMap<>();
            double decay = Math.pow(1 - INNER.learningRate(), INNER.steps());
            for (ArchitectureCode code : codes) {
                for (ParameterSpec parameter : space.describe(code, SHAPE, 2).parameters()) {
                    initial.computeIfAbsent(parameter.name(), supernet::value);
                }
            }
            // Eq. 6: the sum over the B_arch x B_task pairs, divided by their number; a pair adds nothing to a weight its subnet does not use
            for (ArchitectureCode code : codes) {
                for (Task task : tasks) {
                    double support = centre(task.support());
                    double query = centre(task.query());
                    for (ParameterSpec parameter : space.describe(code, SHAPE, 2).parameters()) {
                        double[] w = initial.get(parameter.name());
                        double[] sum = expected.computeIfAbsent(parameter.name(), name -> new double[w.length]);
                        for (int i = 0; i < w.length; i++) {
                            sum[i] += (support + decay * (w[i] - support) - query) / 4;
                        }
                    }
                }
            }
            List<MetaStep.Pair> pairs = new ArrayList<>();
            for (int j = 0; j < tasks.size(); j++) {
                Task task = tasks.get(j);
                for (ArchitectureCode code : codes) {
                    pairs.add(new MetaStep.Pair(code, () -> task, j % workers));
                }
            }
            MetaStep.Result result = metaStep.run(1, pairs);
            assertThat(result.pairs()).isEqualTo(4);
            assertThat(supernet.updates()).isEqualTo(1);
            assertThat(supernet.lastMeanGradient().keySet()).isEqualTo(expected.keySet());
            expected.forEach((name, values) -> {
                double[] actual = supernet.lastMeanGradient().get(name);
                for (int i = 0; i < values.length; i++) {
                    assertThat(actual[i]).as(name).isCloseTo(values[i], within(1e-5));
                }
            });
            assertThat(metaStep.engineOverhead()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void settingsThatCannotWorkAreRefused()
    {
        assertThatThrownBy(() -> engine("search.arch-batch=5"))
                .hasMessage("search.arch-batch (5) is larger than search.population (4): a meta-step draws distinct architectures from the population");
        assertThatThrownBy(() -> engine("search.workers=5"))
                .hasMessage("search.workers (5) is larger than search.task-pool (4): every worker needs a shard of the pool");
        assertThatThrownBy(() -> engine("search.task-batch-scope=everywhere"))
                .hasMessage("Invalid value [everywhere] for key [search.task-batch-scope]: expected one of [worker, step]");
        assertThatThrownBy(() -> engine("search.max-multiply-adds=-1"))
                .hasMessage("search.max-multiply-adds must not be negative, got -1");
        // the backend's missing capability fails when the engine makes the supernet, before any work
        Module secondOrder = Modules.override(services()).with(binder -> binder.bind(MetaOptimizer.class).toInstance(new Maml(true)));
        try (SearchEngine engine = engine(secondOrder, settings())) {
            assertThatThrownBy(engine::search)
                    .hasMessage("Meta-optimizer [maml] needs [SECOND_ORDER], which backend [quadratic] does not offer; select a backend that offers it (key [backend])"
                            + " or configure [maml] not to need it (atnas config defaults lists its keys)");
        }
    }
}
