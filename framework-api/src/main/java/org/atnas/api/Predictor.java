package org.atnas.api;

import java.util.List;

/**
 * A performance predictor (Sec. 3.4): a regressor from architecture code to fitness, used to rank
 * candidates without evaluating them. Stateful: {@link #train} then {@link #predict}. A factory
 * makes a new instance for each use; an instance is used by one thread at a time.
 */
public interface Predictor
{
    /** The component name, as configured, for example {@code random-forest}. */
    String name();

    /**
     * Fits the predictor to evaluated individuals of {@code space}, replacing what it learnt
     * before. The same pairs and seed give the same predictions.
     *
     * @throws IllegalArgumentException if an individual is unevaluated or there are too few to fit
     */
    void train(SearchSpace space, List<Individual> evaluated, long seed);

    /**
     * The predicted fitness of a code of the space it was trained on.
     *
     * @throws IllegalStateException if {@link #train} has not been called
     */
    double predict(ArchitectureCode code);
}
