package org.atnas.api;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Measured fitness of architectures, for spaces that come with a tabular benchmark (NAS-Bench-201):
 * a search can be run against the table instead of training, to compare search strategies
 * cheaply. Immutable and thread-safe.
 */
public interface FitnessTable
{
    /** What the fitness is, for reports, for example {@code cifar10 test accuracy (%)}. */
    String metric();

    /** Every code the table holds, in the table's order. */
    List<ArchitectureCode> codes();

    /** The measured fitness of a code, or empty if the table lacks it. */
    OptionalDouble fitness(ArchitectureCode code);

    /** The highest fitness in the table. */
    double bestFitness();
}
