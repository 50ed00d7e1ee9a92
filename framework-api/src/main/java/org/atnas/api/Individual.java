package org.atnas.api;

import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * A member of an architecture population: a code and, once it has been evaluated, its fitness
 * (the mean query accuracy after the inner loop, or any larger-is-better score). Immutable.
 */
public final class Individual
{
    private final ArchitectureCode code;
    private final OptionalDouble fitness;

    private Individual(ArchitectureCode code, OptionalDouble fitness)
    {
        this.code = requireNonNull(code, "code is null");
        this.fitness = fitness;
    }

    public static Individual unevaluated(ArchitectureCode code)
    {
        return new Individual(code, OptionalDouble.empty());
    }

    /** @throws IllegalArgumentException if the fitness is NaN or infinite */
    public static Individual evaluated(ArchitectureCode code, double fitness)
    {
        if (!Double.isFinite(fitness)) {
            throw new IllegalArgumentException("Fitness of " + code + " must be a finite number, got " + fitness);
        }
        return new Individual(code, OptionalDouble.of(fitness));
    }

    public ArchitectureCode code()
    {
        return code;
    }

    public OptionalDouble fitness()
    {
        return fitness;
    }

    public boolean isEvaluated()
    {
        return fitness.isPresent();
    }

    /**
     * The fitness of an evaluated individual.
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
        return other instanceof Individual that && code.equals(that.code) && fitness.equals(that.fitness);
    }

    @Override
    public int hashCode()
    {
        return code.hashCode() * 31 + fitness.hashCode();
    }

    @Override
    public String toString()
    {
        return fitness.isPresent() ? code + " (fitness " + fitness.getAsDouble() + ")" : code + " (unevaluated)";
    }
}
