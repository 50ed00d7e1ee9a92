package org.atnas.conformance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.Individual;
import org.atnas.api.Predictor;
import org.atnas.api.SearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link Predictor} must do, checked through the API only: a predictor's test extends
 * this class and implements {@link #createPredictor}. On a {@link ToySearchSpace} whose fitness
 * grows with the sum of a code's values: a predictor refuses to predict before it is trained and
 * to train on unevaluated or no individuals; its predictions are finite, and rank codes it has not
 * seen the way their fitness does (Spearman's rank correlation above {@link #minimumRankCorrelation()});
 * the same pairs and seed give the same predictions; training again replaces what it learnt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PredictorConformance
{
    private static final SearchSpace SPACE = ToySearchSpace.of(6, 4);
    private static final ToDoubleFunction<ArchitectureCode> GROWING = code -> sum(code) / (3.0 * code.length());
    private static final ToDoubleFunction<ArchitectureCode> SHRINKING = code -> 1 - GROWING.applyAsDouble(code);

    /** A new, untrained predictor, as its factory makes one with default settings. */
    protected abstract Predictor createPredictor();

    /**
     * How well predictions must rank 40 unseen codes after training on 60, as Spearman's rank
     * correlation with their fitness (a linear function of the code): 0.5 by default.
     */
    protected double minimumRankCorrelation()
    {
        return 0.5;
    }

    /** Distinct codes of the kit's space, evaluated with {@code fitness}. */
    protected static List<Individual> evaluated(int count, long seed, ToDoubleFunction<ArchitectureCode> fitness)
    {
        SplittableRandom random = new SplittableRandom(seed);
        Set<ArchitectureCode> codes = new HashSet<>();
        List<Individual> individuals = new ArrayList<>();
        while (individuals.size() < count) {
            ArchitectureCode code = SPACE.sample(random);
            if (codes.add(code)) {
                individuals.add(Individual.evaluated(code, fitness.applyAsDouble(code)));
            }
        }
        return individuals;
    }

    @Test
    void nameIsAConfigurationWord()
    {
        assertThat(createPredictor().name()).matches("[a-z0-9]+(-[a-z0-9]+)*");
    }

    @Test
    void predictingBeforeTrainingIsRefused()
    {
        Predictor predictor = createPredictor();
        ArchitectureCode code = SPACE.sample(new SplittableRandom(1));
        assertThatThrownBy(() -> predictor.predict(code)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void trainingOnNothingIsRefused()
    {
        assertThatThrownBy(() -> createPredictor().train(SPACE, List.of(), 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trainingOnAnUnevaluatedIndividualIsRefusedAndNamed()
    {
        List<Individual> individuals = new ArrayList<>(evaluated(20, 2, GROWING));
        ArchitectureCode unevaluated = individuals.remove(0).code();
        individuals.add(Individual.unevaluated(unevaluated));
        // the message names the individual at fault, so a user can tell which evaluation went missing
        assertThatThrownBy(() -> createPredictor().train(SPACE, individuals, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(unevaluated.toString());
    }

    @Test
    void predictionsAreFiniteAndRankUnseenCodesByFitness()
    {
        Predictor predictor = createPredictor();
        predictor.train(SPACE, evaluated(60, 3, GROWING), 3);
        List<Individual> unseen = unseen(40, 4);
        double[] predicted = new double[unseen.size()];
        double[] actual = new double[unseen.size()];
        for (int i = 0; i < unseen.size(); i++) {
            predicted[i] = predictor.predict(unseen.get(i).code());
            actual[i] = unseen.get(i).requireFitness();
            assertThat(Double.isFinite(predicted[i])).as("prediction for %s is finite, got %s", unseen.get(i).code(), predicted[i]).isTrue();
        }
        assertThat(new SpearmansCorrelation().correlation(predicted, actual)).as("rank correlation of predictions and fitness on unseen codes").isGreaterThan(minimumRankCorrelation());
    }

    @Test
    void theSamePairsAndSeedGiveTheSamePredictions()
    {
        List<Individual> training = evaluated(30, 5, GROWING);
        Predictor first = createPredictor();
        Predictor second = createPredictor();
        first.train(SPACE, training, 5);
        second.train(SPACE, training, 5);
        for (Individual individual : unseen(20, 6)) {
            assertThat(first.predict(individual.code())).as("%s", individual.code()).isEqualTo(second.predict(individual.code()));
        }
    }

    @Test
    void trainingAgainReplacesWhatWasLearnt()
    {
        Predictor retrained = createPredictor();
        retrained.train(SPACE, evaluated(30, 7, GROWING), 7);
        retrained.train(SPACE, evaluated(30, 7, SHRINKING), 7);
        Predictor fresh = createPredictor();
        fresh.train(SPACE, evaluated(30, 7, SHRINKING), 7);
        for (Individual individual : unseen(20, 8)) {
            assertThat(retrained.predict(individual.code())).as("%s", individual.code()).isEqualTo(fresh.predict(individual.code()));
        }
    }

    /** Codes that no training set of the kit holds (drawn from another seed range), with their growing fitness. */
    private static List<Individual> unseen(int count, long seed)
    {
        return evaluated(count, 1000 + seed, GROWING);
    }

    private static int sum(ArchitectureCode code)
    {
        int sum = 0;
        for (int value : code.toArray()) {
            sum += value;
        }
        return sum;
    }
}
