package org.atnas.core.search;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.SupernetState;
import org.atnas.api.network.ParameterSpec;
import org.atnas.conformance.QuadraticBackend.QuadraticSupernet;
import org.atnas.core.config.SettingValues;
import org.atnas.core.data.TaskSampler;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class FinalTrainingTest
{
    private static final DartsSearchSpace SPACE = new DartsSearchSpace(2, 2, 1);

    @TempDir
    Path directory;

    @Test
    void theTrainingIsAFixedArchitectureRunWithThePapersSettings()
    {
        ArchitectureCode code = SPACE.sample(new SplittableRandom(4));
        Map<String, String> search = Map.of("search.method", "atnas", "search.steps", "500", "search.arch-batch", "4", "run.name", "found", "seed", "7");
        Map<String, String> training = FinalTraining.configuration(search, SettingValues.of(Map.of("train.steps", "30")), code, Path.of("runs/found"), false);
        assertThat(training).containsEntry("search.method", "fixed").containsEntry("search.fixed-code", code.format()).containsEntry("search.arch-batch", "1")
                .containsEntry("search.warmup-steps", "0").containsEntry("search.steps", "30").containsEntry("search.inner-steps", "5").containsEntry("search.inner-lr", "0.1")
                .containsEntry("search.meta-lr", "0.001").containsEntry("seed", "7").containsEntry("train.from-scratch", "false")
                .containsEntry("train.source", Path.of("runs/found").toAbsolutePath().normalize().toString())
                .doesNotContainKey("run.name");
    }

    @Test
    void itStartsFromTheSearchsWeightsWithAFreshAdamOrFromFreshWeights()
    {
        TaskSampler sampler = MetaSearchTestSupport.sampler();
        SearchPlan plan = SearchPlan.read(SettingValues.of(MetaSearchTest.settings()), SPACE);
        SupernetState searched;
        try (SearchEngine engine = SearchEngine.start(MetaSearchTest.services(), new SearchModule(plan, new SearchData(sampler, sampler), directory, Provenance.none(), Optional.empty()))) {
            engine.search().run(MetaSearchTestSupport.SILENT);
            searched = engine.search().supernet().state();
        }
        Checkpoint checkpoint = Checkpoint.readLatest(directory);
        assertThat(checkpoint.state().steps()).isNotEmpty();
        SupernetState start = FinalTraining.initialWeights(checkpoint, false).orElseThrow();
        assertThat(start.steps()).isEmpty();
        ArchitectureCode code = checkpoint.best(1).get(0).code();
        SearchPlan training = SearchPlan.read(SettingValues.of(MetaSearchTest.settings("search.method=fixed", "search.fixed-code=" + code.format(), "search.arch-batch=1")), SPACE);
        try (SearchEngine engine = SearchEngine.start(MetaSearchTest.services(), new SearchModule(training, new SearchData(sampler, sampler), directory.resolve("train"), Provenance.none(),
                Optional.empty(), Optional.of(start)))) {
            QuadraticSupernet supernet = (QuadraticSupernet) engine.get(org.atnas.api.Supernet.class);
            for (ParameterSpec parameter : SPACE.describe(code, MetaSearchTestSupport.SHAPE, 2).parameters()) {
                assertThat(supernet.state().parameters().get(parameter.name())).as(parameter.name()).containsExactly(searched.parameters().get(parameter.name()));
            }
            assertThat(supernet.state().steps()).isEmpty();
        }
        assertThat(FinalTraining.initialWeights(checkpoint, true)).isEmpty();
    }
}
