package org.atnas.api;

import java.util.Optional;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * A member of an architecture population: a code and, once it has been evaluated, its fitness
 * (the mean query accuracy after the inner loop, or any larger-is-better score) and whether that
 * fitness was {@link FitnessKind#MEASURED measured} or only {@link FitnessKind#PREDICTED predicted}
 * by a performance predictor. Evolution may rank by either; an answer shown to a user is always
 * measured. Immutable.
 */
public final class Individual
{
    /** Where an individual's fitness comes from. */
    public enum FitnessKind
    {
        /** Adapted to validation tasks and scored: the paper's fitness. */
        MEASURED,
        /** Estimated by a performance predictor from the code alone (Sec. 3.4). */
        PREDICTED
    }

    private final ArchitectureCode code;
    private final OptionalDouble fitness;
    private final FitnessKind kind;

    private Individual(ArchitectureCode code, OptionalDouble fitness, FitnessKind kind)
    {
        this.code = requireNonNull(code, "code is null");
        this.fitness = fitness;
        this.kind = kind;
    }

    public static Individual unevaluated(ArchitectureCode code)
    {
        return new Individual(code, OptionalDouble.empty(), null);
    }

    /**
     * An individual with measured fitness.
     *
     * @throws IllegalArgumentException if the fitness is NaN or infinite
     */
    public static Individual evaluated(ArchitectureCode code, double fitness)
    {
        return of(code, fitness, FitnessKind.MEASURED);
    }

    /**
     * An individual whose fitness a predictor estimated.
     *
     * @throws IllegalArgumentException if the fitness is NaN or infinite
     * @since API 1.1
     */
    public static Individual predicted(ArchitectureCode code, double fitness)
    {
        return of(code, fitness, FitnessKind.PREDICTED);
    }

    /**
     * An individual with fitness of the given kind.
     *
     * @throws IllegalArgumentException if the fitness is NaN or infinite
     * @since API 1.1
     */
    public static Individual of(ArchitectureCode code, double fitness, FitnessKind kind)
    {
        requireNonNull(kind, "kind is null");
        if (!Double.isFinite(fitness)) {
            throw new IllegalArgumentException("Fitness of " + code + " must be a finite number, got " + fitness);
        }
        return new Individual(code, OptionalDouble.of(fitness), kind);
    }

    public ArchitectureCode code()
    {
        return code;
    }

    public OptionalDouble fitness()
    {
        return fitness;
    }

    /** Whether the fitness was measured or predicted; empty while unevaluated. @since API 1.1 */
    public Optional<FitnessKind> fitnessKind()
    {
        return Optional.ofNullable(kind);
    }

    /** Whether it has a fitness, measured or predicted. */
    public boolean isEvaluated()
    {
        return fitness.isPresent();
    }

    /** Whether it has a measured fitness. @since API 1.1 */
    public boolean isMeasured()
    {
        return kind == FitnessKind.MEASURED;
    }

    /**
     * The fitness of an evaluated individual, measured or predicted.
     *
     * @throws IllegalStateException if it has not been evaluated
     */
    public double requireFitness()
    {
        if (fitness.isEmpty()) {
            throw new IllegalStateException("Individual " + code + " has not been evaluated");
        }
        return fitness.getAsDouble();
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof Individual that && code.equals(that.code) && fitness.equals(that.fitness) && kind == that.kind;
    }

    @Override
    public int hashCode()
    {
        return (code.hashCode() * 31 + fitness.hashCode()) * 31 + (kind == null ? 0 : kind.hashCode());
    }

    @Override
    public String toString()
    {
        if (fitness.isEmpty()) {
            return code + " (unevaluated)";
        }
        return code + (kind == FitnessKind.PREDICTED ? " (predicted fitness " : " (fitness ") + fitness.getAsDouble() + ")";
    }
}
