package org.atnas.core.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.Evolver;
import org.atnas.api.FitnessTable;
import org.atnas.api.Individual;
import org.atnas.api.Population;
import org.atnas.api.Predictor;
import org.atnas.api.SearchSpace;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.config.ResolvedConfiguration;
import org.atnas.core.run.MetricsLog;
import org.atnas.core.search.PredictorScreen;
import org.atnas.core.search.SearchSettings;

import static java.util.Objects.requireNonNull;

/**
 * Runs an evolver as a search against a tabular benchmark, beside random search with the same
 * budget and seeds. The budget counts distinct architectures queried: asking the table again for a
 * code already seen is free, as a real search would cache it.
 */
public final class EvolverBenchmark
{
    /** Draws of a new code before random search gives up (a space smaller than the budget). */
    private static final int SAMPLE_ATTEMPTS = 10_000;

    /**
     * @param budget distinct architectures each run may query
     * @param runs independent runs per method, run r seeded with {@code seed + r}
     * @param population the evolver's population size K
     * @param seed the first run's seed
     */
    public record Settings(int budget, int runs, int population, long seed)
    {
        public Settings
        {
            if (budget < 1 || runs < 1 || population < 2) {
                throw new IllegalArgumentException("budget and runs must be at least 1 and population at least 2, got budget " + budget + ", runs " + runs + ", population " + population);
            }
            if (population > budget) {
                throw new IllegalArgumentException("population " + population + " is larger than the budget " + budget + ": the first generation could not be evaluated");
            }
        }
    }

    /**
     * One method's runs.
     *
     * @param method {@code random} or the evolver's name
     * @param bestSoFar per run, the best fitness after each query (index q: after q + 1 queries)
     */
    public record MethodResult(String method, List<double[]> bestSoFar)
    {
        public MethodResult
        {
            bestSoFar = List.copyOf(bestSoFar);
        }

        /** The best fitness each run found with at most {@code queries} queries. */
        public double[] bestAfter(int queries)
        {
            return bestSoFar.stream().mapToDouble(curve -> curve[Math.min(queries, curve.length) - 1]).toArray();
        }
    }

    /**
     * @param metric what the fitness is
     * @param tableSize rows in the table
     * @param tableBest the table's best fitness
     * @param settings the benchmark's settings
     * @param evolver the evolver's runs
     * @param random random search's runs
     */
    public record Result(String metric, int tableSize, double tableBest, Settings settings, MethodResult evolver, MethodResult random) {}

    /** A {@code metrics.jsonl} line per generation of an evolver run. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GenerationLine(String method, int run, int generation, int queries, double best, Double predictorSpearman) {}

    private final SearchSpace space;
    private final FitnessTable table;
    private final Evolver evolver;
    private final Optional<Supplier<PredictorScreen>> screens;
    private final String method;

    /**
     * The benchmark of the engine's evolver, screened by its predictor when one is selected
     * ({@code predictor.min-pairs}, {@code predictor.evaluate-fraction}).
     */
    public static EvolverBenchmark of(Atnas atnas)
    {
        SearchSpace space = atnas.instance(SearchSpace.class);
        Evolver evolver = atnas.instance(Evolver.class);
        ResolvedConfiguration configuration = atnas.configuration();
        Optional<Supplier<PredictorScreen>> screens = configuration.selected(ServiceType.PREDICTOR).map(component -> () -> new PredictorScreen(
                () -> atnas.components().create(ServiceType.PREDICTOR, Predictor.class).orElseThrow(), space,
                configuration.get(SearchSettings.PREDICTOR_PAIRS), configuration.get(SearchSettings.PREDICTOR_FRACTION)));
        String method = evolver.name() + configuration.selected(ServiceType.PREDICTOR).map(component -> "+" + component.name()).orElse("");
        return new EvolverBenchmark(space, FitnessTables.of(space), evolver, screens, method);
    }

    /** The table the benchmark searches. */
    public FitnessTable table()
    {
        return table;
    }

    /** The evolver's name in the report, with its predictor if any ({@code ga+random-forest}). */
    public String method()
    {
        return method;
    }

    public EvolverBenchmark(SearchSpace space, FitnessTable table, Evolver evolver)
    {
        this(space, table, evolver, Optional.empty(), evolver.name());
    }

    /**
     * @param screens makes, for each run, the predictor screen the evolver's candidates pass (the
     *     predicted best fraction is queried, the others keep their predicted fitness)
     * @param method the method's name in the report, for example {@code ga+random-forest}
     */
    public EvolverBenchmark(SearchSpace space, FitnessTable table, Evolver evolver, Optional<Supplier<PredictorScreen>> screens, String method)
    {
        this.space = requireNonNull(space, "space is null");
        this.table = requireNonNull(table, "table is null");
        this.evolver = requireNonNull(evolver, "evolver is null");
        this.screens = requireNonNull(screens, "screens is null");
        this.method = requireNonNull(method, "method is null");
    }

    /**
     * Runs both methods.
     *
     * @param metrics receives one line per generation and per random-search run, if present
     * @param progress receives one line per finished run
     */
    public Result run(Settings settings, Optional<MetricsLog> metrics, Consumer<String> progress)
    {
        List<double[]> evolved = new ArrayList<>();
        List<double[]> sampled = new ArrayList<>();
        for (int run = 0; run < settings.runs(); run++) {
            long seed = settings.seed() + run;
            Queries ga = new Queries(settings.budget());
            evolve(ga, settings.population(), new SplittableRandom(seed), run, metrics);
            evolved.add(ga.bestSoFar());
            Queries random = new Queries(settings.budget());
            sample(random, new SplittableRandom(seed));
            sampled.add(random.bestSoFar());
            int finished = run;
            metrics.ifPresent(log -> log.append(new GenerationLine("random", finished, 0, random.count(), random.best(), null)));
            progress.accept(String.format(Locale.ROOT, "run %d/%d (seed %d): %s best %.2f, random best %.2f",
                    run + 1, settings.runs(), seed, method, ga.best(), random.best()));
        }
        return new Result(table.metric(), table.codes().size(), table.bestFitness(), settings, new MethodResult(method, evolved), new MethodResult("random", sampled));
    }

    private void evolve(Queries queries, int size, SplittableRandom random, int run, Optional<MetricsLog> metrics)
    {
        List<ArchitectureCode> initial = new ArrayList<>();
        Set<ArchitectureCode> distinct = new HashSet<>();
        for (int attempt = 0; initial.size() < size && attempt < SAMPLE_ATTEMPTS; attempt++) {
            ArchitectureCode code = space.sample(random);
            if (distinct.add(code)) {
                initial.add(code);
            }
        }
        Population population = Population.ofCodes(initial);
        Optional<PredictorScreen> screen = screens.map(Supplier::get);
        // a generation that only revisits known codes costs nothing; bound the loop for evolvers that stop exploring
        int maxGenerations = 100 * queries.budget();
        for (int generation = 0; generation < maxGenerations; generation++) {
            List<ArchitectureCode> unknown = new ArrayList<>();
            for (Individual individual : population.individuals()) {
                if (!individual.isEvaluated() && !queries.knows(individual.code())) {
                    unknown.add(individual.code());
                }
            }
            // drawn only with a predictor, so that the plain evolver's choices stay what they were
            long predictorSeed = screen.isPresent() ? random.nextLong() : 0;
            PredictorScreen.Screening screening = screen.map(value -> value.screen(unknown, predictorSeed))
                    .orElse(new PredictorScreen.Screening(unknown, Map.of(), Map.of()));
            Map<ArchitectureCode, Double> measured = new LinkedHashMap<>();
            List<Individual> evaluated = new ArrayList<>();
            for (Individual individual : population.individuals()) {
                ArchitectureCode code = individual.code();
                if (individual.isEvaluated()) {
                    evaluated.add(individual);
                    continue;
                }
                Double predicted = screening.predicted().get(code);
                if (predicted != null) {
                    evaluated.add(Individual.predicted(code, predicted));
                    continue;
                }
                OptionalDouble fitness = queries.query(code);
                if (fitness.isEmpty()) {
                    return;
                }
                measured.put(code, fitness.getAsDouble());
                screen.ifPresent(value -> value.record(code, fitness.getAsDouble()));
                evaluated.add(Individual.evaluated(code, fitness.getAsDouble()));
            }
            int finished = generation;
            double quality = PredictorScreen.quality(screening, measured);
            metrics.ifPresent(log -> log.append(new GenerationLine(method, run, finished, queries.count(), queries.best(), Double.isNaN(quality) ? null : quality)));
            population = evolver.evolve(new Population(evaluated), space, random);
        }
    }

    private void sample(Queries queries, SplittableRandom random)
    {
        for (int attempt = 0; !queries.exhausted() && attempt < queries.budget() * SAMPLE_ATTEMPTS; attempt++) {
            queries.query(space.sample(random));
        }
    }

    /** The table queries of one run: distinct codes up to the budget, and the best fitness after each. */
    private final class Queries
    {
        private final int budget;
        private final Map<ArchitectureCode, Double> seen = new LinkedHashMap<>();
        private final double[] bestSoFar;
        private double best = Double.NEGATIVE_INFINITY;

        Queries(int budget)
        {
            this.budget = budget;
            this.bestSoFar = new double[budget];
        }

        int budget()
        {
            return budget;
        }

        int count()
        {
            return seen.size();
        }

        boolean knows(ArchitectureCode code)
        {
            return seen.containsKey(code);
        }

        boolean exhausted()
        {
            return seen.size() >= budget;
        }

        double best()
        {
            return best;
        }

        /** The fitness of a code: free if seen before, empty when the budget is spent. */
        OptionalDouble query(ArchitectureCode code)
        {
            Double known = seen.get(code);
            if (known != null) {
                return OptionalDouble.of(known);
            }
            if (exhausted()) {
                return OptionalDouble.empty();
            }
            double fitness = table.fitness(code).orElseThrow(() -> new IllegalStateException("The fitness table has no row for architecture " + code + " (" + space.toNotation(code) + ")"));
            seen.put(code, fitness);
            best = Math.max(best, fitness);
            bestSoFar[seen.size() - 1] = best;
            return OptionalDouble.of(fitness);
        }

        /** The best-so-far curve; a run that spent less than its budget keeps its last best. */
        double[] bestSoFar()
        {
            for (int i = Math.max(1, seen.size()); i < budget; i++) {
                bestSoFar[i] = bestSoFar[i - 1];
            }
            return bestSoFar.clone();
        }
    }
}
