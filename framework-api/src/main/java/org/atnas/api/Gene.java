package org.atnas.api;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * A unit of an architecture code that evolution moves as a whole: for a cell space, one
 * intermediate node (the positions of all its incoming edges). Crossover swaps whole genes between
 * parents, mutation re-draws whole genes with {@link SearchSpace#sampleGene}.
 *
 * @param name a readable name such as {@code cell1.node2}
 * @param positions the code positions the gene covers, ascending; genes of one space never overlap
 */
public record Gene(String name, int[] positions)
{
    public Gene
    {
        requireNonNull(name, "name is null");
        requireNonNull(positions, "positions is null");
        if (positions.length == 0) {
            throw new IllegalArgumentException("Gene " + name + " covers no position");
        }
        positions = positions.clone();
    }

    /** The positions, as a copy. */
    @Override
    public int[] positions()
    {
        return positions.clone();
    }

    /** This gene's values in the given code, in the order of {@link #positions()}. */
    public int[] valuesIn(ArchitectureCode code)
    {
        int[] values = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            values[i] = code.get(positions[i]);
        }
        return values;
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof Gene gene && name.equals(gene.name) && Arrays.equals(positions, gene.positions);
    }

    @Override
    public int hashCode()
    {
        return name.hashCode() * 31 + Arrays.hashCode(positions);
    }

    @Override
    public String toString()
    {
        return name + Arrays.toString(positions);
    }
}
