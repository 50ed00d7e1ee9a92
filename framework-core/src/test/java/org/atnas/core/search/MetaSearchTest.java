package org.atnas.core.search;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.ImageShape;
import org.atnas.api.InnerLoop;
import org.atnas.api.Task;
import org.atnas.api.network.ParameterSpec;
import org.atnas.api.testing.QuadraticBackend;
import org.atnas.api.testing.QuadraticBackend.QuadraticSupernet;
import org.atnas.core.data.ImageClass;
import org.atnas.core.data.Normalization;
import org.atnas.core.data.TaskSampler;
import org.atnas.core.run.MetricsLog;
import org.atnas.core.run.RunDirectory;
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
    private static final ImageShape SHAPE = new ImageShape(1, 4, 4);
    private static final InnerLoop INNER = new InnerLoop(2, 0.1);

    @TempDir
    Path directory;

    private static TaskSampler sampler()
    {
        // class c's images are all of value c * 40 + image: every task has its own support and query centres
        List<ImageClass> classes = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            byte[] pixels = new byte[6 * SHAPE.size()];
            for (int image = 0; image < 6; image++) {
                Arrays.fill(pixels, image * SHAPE.size(), (image + 1) * SHAPE.size(), (byte) (c * 40 + image));
            }
            classes.add(new ImageClass("c" + c, "c" + c, SHAPE, pixels));
        }
        return new TaskSampler("meta-train", classes, Normalization.unit(1), 2, 1, 2);
    }

    private MetaSearch search(int workers)
    {
        TaskSampler sampler = sampler();
        MetaSearch.Parameters parameters = new MetaSearch.Parameters(4, 1, 2, 2, INNER, 0.001, 0, 1, workers, 4, 1, 100, 0, 3, 1.0);
        MetaSearch.Components components = new MetaSearch.Components(new DartsSearchSpace(2, 2, 1), new QuadraticBackend(false), new Maml(false),
                new ToyComponents.HillClimber(), sampler, sampler, Map.of(), Map.of(), Optional.empty());
        return new MetaSearch(parameters, components, directory, Optional.empty());
    }

    private MetaSearch search(SearchMethod method, Optional<ArchitectureCode> fixed, double budget)
    {
        TaskSampler sampler = sampler();
        MetaSearch.Parameters parameters = new MetaSearch.Parameters(4, 1, 2, 2, INNER, 0.001, 0, 3, 1, 4, 1, 100, 0, 3, 1.0, method, fixed, budget);
        MetaSearch.Components components = new MetaSearch.Components(new DartsSearchSpace(2, 2, 1), new QuadraticBackend(false), new Maml(false),
                new ToyComponents.HillClimber(), sampler, sampler, Map.of(), Map.of(), Optional.empty());
        return new MetaSearch(parameters, components, directory, Optional.empty());
    }

    private MetaSearch.Outcome run(MetaSearch search)
    {
        try (MetricsLog metrics = RunDirectory.open(directory).metrics()) {
            return search.run(metrics, new SearchListener()
            {
                @Override
                public void started(int startStep, int totalSteps) {}

                @Override
                public void step(Step step) {}

                @Override
                public void checkpoint(Path folder) {}
            });
        }
    }

    @Test
    void theRandomBaselineKeepsItsSampledPopulationWhileTheAlgorithmEvolvesIt()
    {
        List<ArchitectureCode> initial;
        List<ArchitectureCode> evolved;
        try (MetaSearch search = search(SearchMethod.ATNAS, Optional.empty(), 0)) {
            initial = search.population().codes();
            assertThat(run(search)).isEqualTo(MetaSearch.Outcome.FINISHED);
            evolved = search.population().codes();
        }
        assertThat(evolved).isNotEqualTo(initial);
        try (MetaSearch search = search(SearchMethod.RANDOM, Optional.empty(), 0)) {
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
        try (MetaSearch search = search(SearchMethod.FIXED, Optional.of(fixed), 0)) {
            assertThat(search.population().codes()).containsExactly(fixed);
            assertThat(run(search)).isEqualTo(MetaSearch.Outcome.FINISHED);
            QuadraticSupernet supernet = (QuadraticSupernet) search.supernet();
            assertThat(supernet.updates()).isEqualTo(3);
            // every update reached exactly the fixed subnet's weights
            assertThat(supernet.lastMeanGradient().keySet()).containsExactlyInAnyOrderElementsOf(space.describe(fixed, SHAPE, 2).parameters().stream().map(ParameterSpec::name).toList());
            assertThat(search.population().codes()).containsExactly(fixed);
        }
        assertThatThrownBy(() -> search(SearchMethod.FIXED, Optional.empty(), 0))
                .hasMessage("search.method = fixed needs search.fixed-code, the architecture to meta-train");
    }

    @Test
    void aSpentCpuBudgetEndsTheRunWithTheFinalEvaluation()
    {
        try (MetaSearch search = search(SearchMethod.ATNAS, Optional.empty(), 1e-9)) {
            assertThat(run(search)).isEqualTo(MetaSearch.Outcome.FINISHED);
            assertThat(search.endedByBudget()).isTrue();
            // the budget is checked before each step: at most the first one ran
            assertThat(search.step()).isLessThanOrEqualTo(1);
            assertThat(search.population().isFullyEvaluated()).isTrue();
            assertThat(search.lastCheckpoint()).isPresent();
        }
        try (MetaSearch search = search(SearchMethod.ATNAS, Optional.empty(), 0)) {
            run(search);
            assertThat(search.endedByBudget()).isFalse();
            assertThat(search.step()).isEqualTo(3);
        }
        assertThatThrownBy(() -> search(SearchMethod.ATNAS, Optional.empty(), -1))
                .hasMessage("search.cpu-budget must not be negative, got -1.0");
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
        try (MetaSearch search = search(workers)) {
            QuadraticSupernet supernet = (QuadraticSupernet) search.supernet();
            List<ArchitectureCode> codes = List.of(space.sample(new SplittableRandom(1)), space.sample(new SplittableRandom(2)));
            List<Task> tasks = List.of(sampler().sample(5), sampler().sample(6));
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
            search.metaStep(codes, tasks);
            assertThat(supernet.updates()).isEqualTo(1);
            assertThat(supernet.lastMeanGradient().keySet()).isEqualTo(expected.keySet());
            expected.forEach((name, values) -> {
                double[] actual = supernet.lastMeanGradient().get(name);
                for (int i = 0; i < values.length; i++) {
                    assertThat(actual[i]).as(name).isCloseTo(values[i], within(1e-5));
                }
            });
            assertThat(search.engineOverhead()).isBetween(0.0, 1.0);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1})
    void settingsThatCannotWorkAreRefused(int workers)
    {
        assertThatThrownBy(() -> new MetaSearch.Parameters(4, 1, 5, 2, INNER, 0.001, 0, 1, workers, 4, 1, 100, 0, 3, 1.0))
                .hasMessage("search.arch-batch (5) is larger than search.population (4): a meta-step draws distinct architectures from the population");
        assertThatThrownBy(() -> new MetaSearch.Parameters(4, 1, 2, 2, INNER, 0.001, 0, 1, 5, 4, 1, 100, 0, 3, 1.0))
                .hasMessage("search.workers (5) is larger than search.task-pool (4): every worker needs a shard of the pool");
        TaskSampler sampler = sampler();
        MetaSearch.Components secondOrder = new MetaSearch.Components(new DartsSearchSpace(2, 2, 1), new QuadraticBackend(false), new Maml(true),
                new ToyComponents.HillClimber(), sampler, sampler, Map.of(), Map.of(), Optional.empty());
        assertThatThrownBy(() -> new MetaSearch(new MetaSearch.Parameters(4, 1, 2, 2, INNER, 0.001, 0, 1, 1, 4, 1, 100, 0, 3, 1.0), secondOrder, directory, Optional.empty()))
                .hasMessage("Meta-optimizer [maml] needs [SECOND_ORDER], which backend [quadratic] does not offer; select a backend that offers it (key [backend])"
                        + " or configure [maml] not to need it (atnas config defaults lists its keys)");
    }
}
