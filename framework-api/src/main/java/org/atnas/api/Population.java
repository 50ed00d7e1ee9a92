package org.atnas.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An architecture population (the paper's A = {A_1 ... A_K}). Immutable; keeps the order it was
 * built in.
 */
public final class Population
{
    /** Best fitness first; equal fitness keeps the population's order (the sort is stable). */
    private static final Comparator<Individual> BEST_FIRST = Comparator.comparingDouble(Individual::requireFitness).reversed();

    private final List<Individual> individuals;

    public Population(List<Individual> individuals)
    {
        this.individuals = List.copyOf(requireNonNull(individuals, "individuals is null"));
    }

    public static Population ofCodes(List<ArchitectureCode> codes)
    {
        return new Population(codes.stream().map(Individual::unevaluated).toList());
    }

    public List<Individual> individuals()
    {
        return individuals;
    }

    public int size()
    {
        return individuals.size();
    }

    public List<ArchitectureCode> codes()
    {
        return individuals.stream().map(Individual::code).toList();
    }

    public boolean isFullyEvaluated()
    {
        return individuals.stream().allMatch(Individual::isEvaluated);
    }

    /**
     * The individuals sorted best first.
     *
     * @throws IllegalStateException if an individual has not been evaluated
     */
    public List<Individual> ranked()
    {
        // the sort compares nothing when there is one individual: check each one
        individuals.forEach(Individual::requireFitness);
        List<Individual> sorted = new ArrayList<>(individuals);
        sorted.sort(BEST_FIRST);
        return List.copyOf(sorted);
    }

    /**
     * The individual with the highest fitness (the first of them on a tie).
     *
     * @throws IllegalStateException if the population is empty or not fully evaluated
     */
    public Individual best()
    {
        if (individuals.isEmpty()) {
            throw new IllegalStateException("The population is empty");
        }
        return ranked().get(0);
    }

    /**
     * The individuals with measured fitness, best first: what a search may report, export or
     * evaluate (a predicted fitness is a guess).
     *
     * @since API 1.1
     */
    public List<Individual> rankedMeasured()
    {
        List<Individual> measured = new ArrayList<>(individuals.stream().filter(Individual::isMeasured).toList());
        measured.sort(BEST_FIRST);
        return List.copyOf(measured);
    }

    /**
     * The measured individual with the highest fitness (the first of them on a tie).
     *
     * @throws IllegalStateException if no individual has measured fitness
     * @since API 1.1
     */
    public Individual bestMeasured()
    {
        List<Individual> measured = rankedMeasured();
        if (measured.isEmpty()) {
            throw new IllegalStateException("No individual of the population has measured fitness");
        }
        return measured.get(0);
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof Population that && individuals.equals(that.individuals);
    }

    @Override
    public int hashCode()
    {
        return individuals.hashCode();
    }

    @Override
    public String toString()
    {
        return "Population" + individuals;
    }
}
