package org.atnas.api;

import java.util.random.RandomGenerator;

/**
 * The meta architecture optimisation: turns an evaluated population into the next one. Works
 * through a space's {@link Gene}s only, so one evolver serves every {@link SearchSpace}.
 *
 * <p>Implementations are thread-safe; all randomness comes from the {@code random} argument.
 *
 * <p>The space an evolver is given may be narrower than its genes suggest: the engine constrains
 * it (for example by multiply-adds, {@code search.max-multiply-adds}), and then {@link
 * SearchSpace#isValid} refuses some codes that gene swaps produce, while {@link SearchSpace#sample}
 * only returns accepted ones. An evolver checks its offspring with {@code isValid} and draws again
 * when one is refused.
 */
public interface Evolver
{
    /** The component name, as configured, for example {@code ga}. */
    String name();

    /**
     * One generation of Algorithm 2: keep the best individuals as parents (with their fitness),
     * add offspring made by crossover and mutation, and refill with random codes to the same size.
     * Offspring and random codes are returned unevaluated. Every code returned is valid.
     *
     * @param evaluated the current population, every individual evaluated
     * @throws IllegalArgumentException if an individual is unevaluated or the population is empty
     */
    Population evolve(Population evaluated, SearchSpace space, RandomGenerator random);

    /**
     * One evolution of Algorithm 3 (population halving): the next population has half the size
     * (at least one), made of the best individuals, crossover and mutation offspring and random
     * codes. A population of one stays the same.
     *
     * @param evaluated the current population, every individual evaluated
     * @throws IllegalArgumentException if an individual is unevaluated or the population is empty
     */
    Population halve(Population evaluated, SearchSpace space, RandomGenerator random);
}
