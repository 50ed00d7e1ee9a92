package org.atnas.core.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.Evolver;
import org.atnas.api.ImageShape;
import org.atnas.api.Individual;
import org.atnas.api.Population;
import org.atnas.api.Predictor;
import org.atnas.api.SearchSpace;
import org.atnas.core.Predictors;
import org.atnas.core.config.SettingValues;
import org.atnas.core.data.TaskSampler;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine's parts as Guice builds them: the paper's sampling, the FLOPs constraint, measured vs predicted fitness. */
class EnginePartsTest
{
    private static final DartsSearchSpace SPACE = new DartsSearchSpace(2, 2, 1);

    @TempDir
    Path directory;

    private SearchEngine engine(Module services, String... settings)
    {
        TaskSampler sampler = MetaSearchTestSupport.sampler();
        SearchPlan plan = SearchPlan.read(SettingValues.of(MetaSearchTest.settings(settings)), SPACE);
        return SearchEngine.start(services, new SearchModule(plan, new SearchData(sampler, sampler), directory, Provenance.none(), Optional.empty()));
    }

    @Test
    void algorithmOneDrawsArchitecturesForEachTaskAndEachWorkerDrawsItsOwnTasks()
    {
        try (SearchEngine engine = engine(MetaSearchTest.services(), "search.workers=2", "search.task-pool=8", "search.population=8")) {
            StepPlanner planner = engine.get(StepPlanner.class);
            Population population = engine.search().population();
            List<MetaStep.Pair> pairs = planner.pairs(0, population);
            // Eq. 7: 𝒦 · B_task = 4 tasks, each with B_arch = 2 architectures
            assertThat(pairs).hasSize(8);
            assertThat(pairs).extracting(MetaStep.Pair::worker).containsExactly(0, 0, 0, 0, 1, 1, 1, 1);
            Set<List<ArchitectureCode>> draws = new HashSet<>();
            for (int task = 0; task < 4; task++) {
                List<ArchitectureCode> codes = List.of(pairs.get(2 * task).architecture(), pairs.get(2 * task + 1).architecture());
                assertThat(codes.get(0)).isNotEqualTo(codes.get(1));
                assertThat(population.codes()).containsAll(codes);
                draws.add(codes);
            }
            // Algorithm 1, lines 5-6: a draw per task, not one for the whole step
            assertThat(draws.size()).isGreaterThan(1);
            // each worker's tasks come from its own shard of the pool: tasks i with i mod 𝒦 = worker
            assertThat(pairs.get(0).task().get().seed()).isNotEqualTo(pairs.get(4).task().get().seed());
        }
        try (SearchEngine engine = engine(MetaSearchTest.services(), "search.workers=2", "search.task-pool=8", "search.population=8", "search.architecture-sampling=per-step",
                "search.task-batch-scope=step")) {
            List<MetaStep.Pair> pairs = engine.get(StepPlanner.class).pairs(0, engine.search().population());
            // the named options: B_task tasks shared out among the workers, one draw for the step
            assertThat(pairs).hasSize(4);
            assertThat(pairs.get(0).architecture()).isEqualTo(pairs.get(2).architecture());
            assertThat(pairs.get(1).architecture()).isEqualTo(pairs.get(3).architecture());
        }
    }

    @Test
    void theFlopsConstraintHoldsForSamplingCrossoverMutationAndRefill()
    {
        ImageShape input = MetaSearchTestSupport.SHAPE;
        long[] sizes = new SplittableRandom(3).longs(200).map(seed -> SPACE.describe(SPACE.sample(new SplittableRandom(seed)), input, 2).multiplyAdds()).sorted().toArray();
        long median = sizes[sizes.length / 2];
        try (SearchEngine engine = engine(MetaSearchTest.services(), "search.max-multiply-adds=" + median, "search.population=8", "search.steps=4")) {
            MetaSearch search = engine.search();
            assertThat(search.population().codes()).allMatch(code -> SPACE.describe(code, input, 2).multiplyAdds() <= median);
            search.run(MetaSearchTestSupport.SILENT);
            assertThat(search.population().codes()).allMatch(code -> SPACE.describe(code, input, 2).multiplyAdds() <= median);
            ConstrainedSpace space = engine.get(ConstrainedSpace.class);
            ArchitectureCode over = new SplittableRandom(3).longs(200).mapToObj(seed -> SPACE.sample(new SplittableRandom(seed)))
                    .filter(code -> SPACE.describe(code, input, 2).multiplyAdds() > median).findFirst().orElseThrow();
            assertThatThrownBy(() -> space.validate(over))
                    .hasMessage("Architecture " + over + " needs " + SPACE.describe(over, input, 2).multiplyAdds() + " multiply-adds per image, more than search.max-multiply-adds = " + median);
        }
        try (SearchEngine engine = engine(MetaSearchTest.services(), "search.max-multiply-adds=1")) {
            assertThatThrownBy(engine::search)
                    .hasMessageStartingWith("search.max-multiply-adds = 1: none of 10000 sampled architectures meets it; the smallest needed ")
                    .hasMessageEndingWith(" multiply-adds per image");
        }
    }

    /** A predictor that rates codes of an even hash above any accuracy and the others below: without the final check, a guess would be the answer. */
    private static final class Flatterer
            implements Predictor
    {
        @Override
        public String name()
        {
            return "flatterer";
        }

        @Override
        public void train(SearchSpace space, List<Individual> evaluated, long seed) {}

        @Override
        public double predict(ArchitectureCode code)
        {
            return code.hashCode() % 2 == 0 ? 2.0 : -1.0;
        }
    }

    @Test
    void aPredictedFitnessSaysSoAndTheAnswerIsAlwaysMeasured()
            throws Exception
    {
        Module services = Modules.override(MetaSearchTest.services()).with(binder -> binder.bind(Predictors.class).toInstance(() -> Optional.of(new Flatterer())));
        try (SearchEngine engine = engine(services, "search.population=8", "search.arch-batch=2", "search.steps=4", "predictor.min-pairs=3", "predictor.evaluate-fraction=0.25")) {
            MetaSearch search = engine.search();
            FitnessEvaluation fitness = engine.get(FitnessEvaluation.class);
            fitness.evaluate(search.population(), 0, false);
            // with pairs recorded, the screen measures 2 of 8 and predicts the rest
            FitnessEvaluation.Evaluation screened = fitness.evaluate(search.population(), 1, false);
            assertThat(screened.measured()).isEqualTo(2);
            assertThat(screened.population().individuals()).filteredOn(individual -> !individual.isMeasured()).hasSize(6)
                    .allMatch(individual -> individual.fitnessKind().orElseThrow() == Individual.FitnessKind.PREDICTED && Math.abs(individual.requireFitness()) <= 2.0);
            // an answer: every candidate whose guess outranks the measured best is measured first
            FitnessEvaluation.Evaluation answer = fitness.evaluate(search.population(), 2, true);
            assertThat(answer.population().best().isMeasured()).isTrue();

            search.run(MetaSearchTestSupport.SILENT);
            assertThat(search.population().best().isMeasured()).isTrue();
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode population = json.readTree(directory.resolve("population.json").toFile());
        assertThat(population.get(0).get("fitnessKind").asText()).isEqualTo("measured");
        List<String> kinds = new ArrayList<>();
        population.forEach(entry -> kinds.add(entry.get("fitnessKind").asText()));
        assertThat(kinds).containsOnly("measured", "predicted").contains("predicted");
        JsonNode lastGeneration = null;
        for (String line : Files.readAllLines(directory.resolve("metrics.jsonl"))) {
            JsonNode node = json.readTree(line);
            if (node.get("type").asText().equals("generation")) {
                lastGeneration = node;
            }
        }
        assertThat(lastGeneration.get("measured").asInt() + lastGeneration.get("predicted").asInt()).isEqualTo(8);
        Checkpoint checkpoint = Checkpoint.readLatest(directory);
        assertThat(checkpoint.population().individuals()).containsExactlyInAnyOrderElementsOf(population(population));
        assertThat(checkpoint.best(1).get(0).isMeasured()).isTrue();
    }

    private static List<Individual> population(JsonNode entries)
    {
        Map<String, Individual> byCode = new LinkedHashMap<>();
        entries.forEach(entry -> byCode.put(entry.get("code").asText(), Individual.of(ArchitectureCode.parse(entry.get("code").asText()), entry.get("fitness").asDouble(),
                Individual.FitnessKind.valueOf(entry.get("fitnessKind").asText().toUpperCase(java.util.Locale.ROOT)))));
        return new ArrayList<>(byCode.values());
    }

    @Test
    void oneBindingCanBeReplacedWithoutTouchingTheRest()
    {
        AtomicInteger evolutions = new AtomicInteger();
        Evolver counting = new Evolver()
        {
            @Override
            public String name()
            {
                return "counting";
            }

            @Override
            public Population evolve(Population evaluated, SearchSpace space, java.util.random.RandomGenerator random)
            {
                evolutions.incrementAndGet();
                return evaluated;
            }

            @Override
            public Population halve(Population evaluated, SearchSpace space, java.util.random.RandomGenerator random)
            {
                return evaluated;
            }
        };
        Module services = Modules.override(MetaSearchTest.services()).with(binder -> binder.bind(Evolver.class).toInstance(counting));
        try (SearchEngine engine = engine(services, "search.steps=3")) {
            engine.search().run(MetaSearchTestSupport.SILENT);
        }
        // evolve-every = 1: one evolution per search step
        assertThat(evolutions.get()).isEqualTo(3);
    }
}
