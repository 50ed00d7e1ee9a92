package org.atnas.core.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.Individual;
import org.atnas.api.Population;

import static java.util.Objects.requireNonNull;

/**
 * The fitness of a generation (Algorithm 2, line 1): each distinct architecture adapted to the
 * generation's meta-val tasks, fitness = the mean query accuracy. With a predictor in the loop
 * (Sec. 3.4), only the candidates it ranks best are measured; the others carry a predicted fitness
 * and say so.
 */
@Singleton
final class FitnessEvaluation
{
    /**
     * An evaluated generation.
     *
     * @param population every individual with fitness, measured or predicted
     * @param measured how many distinct architectures were measured
     * @param predictorSpearman Spearman's ρ of the predictions against the measured fitness, when the predictor ranked
     */
    record Evaluation(Population population, int measured, OptionalDouble predictorSpearman) {}

    private final SearchPlan plan;
    private final SearchData data;
    private final TaskAdaptation adaptation;
    private final Optional<PredictorScreen> screen;

    @Inject
    FitnessEvaluation(SearchPlan plan, SearchData data, TaskAdaptation adaptation, Optional<PredictorScreen> screen)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.data = requireNonNull(data, "data is null");
        this.adaptation = requireNonNull(adaptation, "adaptation is null");
        this.screen = requireNonNull(screen, "screen is null");
    }

    /**
     * Evaluates generation {@code generation}'s candidates. With {@code answer}, the population is
     * what the search reports: a candidate whose predicted fitness would rank it first is measured
     * too, until the best is a measured one.
     *
     * @throws org.atnas.api.NonFiniteLossException when a loss is NaN or infinite
     */
    Evaluation evaluate(Population candidates, int generation, boolean answer)
    {
        List<ArchitectureCode> codes = new ArrayList<>(new LinkedHashSet<>(candidates.codes()));
        SplittableRandom random = new SplittableRandom(Seeds.derive(plan.seed(), Seeds.VALIDATION, generation));
        long[] taskSeeds = new long[plan.fitness().validationTasks()];
        for (int t = 0; t < taskSeeds.length; t++) {
            taskSeeds[t] = random.nextLong();
        }
        PredictorScreen.Screening screening = screen.map(value -> value.screen(codes, Seeds.derive(plan.seed(), Seeds.PREDICTOR, generation)))
                .orElse(new PredictorScreen.Screening(codes, Map.of(), Map.of()));
        Map<ArchitectureCode, Double> measured = measure(screening.real(), taskSeeds);
        double spearman = PredictorScreen.quality(screening, measured);
        Population population = population(candidates, measured, screening.predicted());
        while (answer && !population.best().isMeasured()) {
            measured.putAll(measure(List.of(population.best().code()), taskSeeds));
            population = population(candidates, measured, screening.predicted());
        }
        screen.ifPresent(value -> measured.forEach(value::record));
        return new Evaluation(population, measured.size(), Double.isNaN(spearman) ? OptionalDouble.empty() : OptionalDouble.of(spearman));
    }

    private Map<ArchitectureCode, Double> measure(List<ArchitectureCode> codes, long[] taskSeeds)
    {
        double[][] accuracies = adaptation.accuracies(codes, data.validation(), taskSeeds, plan.metaStep().innerLoop());
        Map<ArchitectureCode, Double> fitness = new LinkedHashMap<>();
        for (int i = 0; i < codes.size(); i++) {
            double sum = 0;
            for (double value : accuracies[i]) {
                sum += value;
            }
            fitness.put(codes.get(i), sum / taskSeeds.length);
        }
        return fitness;
    }

    private static Population population(Population candidates, Map<ArchitectureCode, Double> measured, Map<ArchitectureCode, Double> predicted)
    {
        List<Individual> individuals = new ArrayList<>();
        for (ArchitectureCode code : candidates.codes()) {
            Double value = measured.get(code);
            individuals.add(value != null ? Individual.evaluated(code, value) : Individual.predicted(code, predicted.get(code)));
        }
        return new Population(individuals);
    }
}
