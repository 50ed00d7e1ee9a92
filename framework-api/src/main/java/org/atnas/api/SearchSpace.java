package org.atnas.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

import org.atnas.api.network.NetworkDescription;

/**
 * A search space: which architecture codes exist, how to sample them, and what network each one
 * is. Implementations are immutable and thread-safe; every method may be called from any thread.
 *
 * <p><b>Genes.</b> A code is divided into {@link #genes() genes} that evolution moves as a whole.
 * The contract that lets one evolver serve every space: validity is a per-gene property. A code is
 * valid exactly when each gene's values are valid on their own, so swapping whole genes between
 * two valid codes, or replacing a gene with {@link #sampleGene}, always yields a valid code.
 */
public interface SearchSpace
{
    /** The component name, as configured, for example {@code darts}. */
    String name();

    /** The length of every code of this space. */
    int codeLength();

    /** The number of values position {@code position} may hold: values run from 0 to {@code choices - 1}. */
    int choices(int position);

    /** The human name of a value at a position, for example {@code sep_conv_3x3}. */
    String optionName(int position, int value);

    /** The genes, in code order; together they cover every position exactly once. */
    List<Gene> genes();

    /**
     * A code drawn uniformly from the valid codes' per-gene choices, using only {@code random}, so
     * the same generator state gives the same code.
     */
    ArchitectureCode sample(RandomGenerator random);

    /** Valid values for gene {@code gene} (an index into {@link #genes()}), in the order of its positions. */
    int[] sampleGene(int gene, RandomGenerator random);

    /**
     * Checks that a code belongs to this space.
     *
     * @throws InvalidArchitectureException if it does not; the message names the length, or the
     *     gene (cell, node) and the positions (edges) at fault and what was expected
     */
    void validate(ArchitectureCode code);

    /** Whether {@link #validate} would accept the code. */
    default boolean isValid(ArchitectureCode code)
    {
        try {
            validate(code);
            return true;
        }
        catch (InvalidArchitectureException e) {
            return false;
        }
    }

    /**
     * The code in the space's own notation (the DARTS genotype, the NAS-Bench-201 string).
     *
     * @throws InvalidArchitectureException if the code is not valid
     */
    String toNotation(ArchitectureCode code);

    /**
     * Reads the space's own notation back.
     *
     * @throws IllegalArgumentException naming the part of the text that could not be read
     */
    ArchitectureCode fromNotation(String notation);

    /**
     * The subnet of a code: only the ops the code selects (W ⊙ A).
     *
     * @param input the shape of one input image
     * @param classes the number of classes (N of an N-way task)
     * @throws InvalidArchitectureException if the code is not valid
     */
    NetworkDescription describe(ArchitectureCode code, ImageShape input, int classes);

    /**
     * The supernet: every candidate op on every edge, so that its parameters are the union of all
     * subnets' parameters. Run as a network, each node sums all candidate ops (the DARTS-style mixed
     * op with equal weights).
     */
    NetworkDescription describeSupernet(ImageShape input, int classes);

    /**
     * Well-known architectures of this space by name, for example {@code darts-v2}: what a user may
     * give instead of a code wherever one is asked for (a fixed baseline, a benchmark). Names are
     * lower case words with dashes; every code is valid in this space as configured.
     *
     * @since API 1.1
     */
    default Map<String, ArchitectureCode> namedArchitectures()
    {
        return Map.of();
    }

    /**
     * The measured fitness of this space's architectures, if the space comes with a tabular
     * benchmark and it is configured. Loading may be slow; it happens on the first call.
     *
     * @throws java.io.UncheckedIOException naming the file if the table cannot be read
     * @throws IllegalArgumentException naming the file and line if the table is malformed
     */
    default Optional<FitnessTable> fitnessTable()
    {
        return Optional.empty();
    }
}
