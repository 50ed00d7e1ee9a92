package org.atnas.core.search;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.FitnessTable;
import org.atnas.api.Gene;
import org.atnas.api.ImageShape;
import org.atnas.api.InvalidArchitectureException;
import org.atnas.api.SearchSpace;
import org.atnas.api.network.NetworkDescription;

import static java.util.Objects.requireNonNull;

/**
 * The search space under the FLOPs constraint of Sec. 3.3 ({@code search.max-multiply-adds}): a code
 * whose subnet needs more multiply-adds per image is not valid, and sampling draws again until it
 * finds one that is. What the engine hands the evolver, so crossover, mutation and refill honour the
 * constraint too (the {@link org.atnas.api.Evolver} contract: offspring are checked with
 * {@link #isValid}). Without a constraint it is the space itself.
 */
final class ConstrainedSpace
        implements SearchSpace
{
    /** Draws before sampling gives up: a constraint that so few codes meet is a configuration error. */
    static final int SAMPLE_ATTEMPTS = 10_000;

    private final SearchSpace space;
    private final long maxMultiplyAdds;
    private final ImageShape input;
    private final int classes;

    ConstrainedSpace(SearchSpace space, long maxMultiplyAdds, ImageShape input, int classes)
    {
        this.space = requireNonNull(space, "space is null");
        this.maxMultiplyAdds = maxMultiplyAdds;
        this.input = requireNonNull(input, "input is null");
        this.classes = classes;
    }

    @Override
    public String name()
    {
        return space.name();
    }

    @Override
    public int codeLength()
    {
        return space.codeLength();
    }

    @Override
    public int choices(int position)
    {
        return space.choices(position);
    }

    @Override
    public String optionName(int position, int value)
    {
        return space.optionName(position, value);
    }

    @Override
    public List<Gene> genes()
    {
        return space.genes();
    }

    /**
     * @throws IllegalArgumentException naming {@code search.max-multiply-adds} when no sampled code meets it
     */
    @Override
    public ArchitectureCode sample(RandomGenerator random)
    {
        if (maxMultiplyAdds == 0) {
            return space.sample(random);
        }
        long smallest = Long.MAX_VALUE;
        for (int attempt = 0; attempt < SAMPLE_ATTEMPTS; attempt++) {
            ArchitectureCode code = space.sample(random);
            long multiplyAdds = multiplyAdds(code);
            if (multiplyAdds <= maxMultiplyAdds) {
                return code;
            }
            smallest = Math.min(smallest, multiplyAdds);
        }
        throw new IllegalArgumentException(String.format("search.max-multiply-adds = %d: none of %d sampled architectures meets it; the smallest needed %d multiply-adds per image",
                maxMultiplyAdds, SAMPLE_ATTEMPTS, smallest));
    }

    @Override
    public int[] sampleGene(int gene, RandomGenerator random)
    {
        return space.sampleGene(gene, random);
    }

    @Override
    public void validate(ArchitectureCode code)
    {
        space.validate(code);
        if (maxMultiplyAdds > 0) {
            long multiplyAdds = multiplyAdds(code);
            if (multiplyAdds > maxMultiplyAdds) {
                throw new InvalidArchitectureException("Architecture " + code + " needs " + multiplyAdds + " multiply-adds per image, more than search.max-multiply-adds = " + maxMultiplyAdds);
            }
        }
    }

    private long multiplyAdds(ArchitectureCode code)
    {
        return space.describe(code, input, classes).multiplyAdds();
    }

    @Override
    public String toNotation(ArchitectureCode code)
    {
        return space.toNotation(code);
    }

    @Override
    public ArchitectureCode fromNotation(String notation)
    {
        return space.fromNotation(notation);
    }

    @Override
    public Map<String, ArchitectureCode> namedArchitectures()
    {
        return space.namedArchitectures();
    }

    @Override
    public NetworkDescription describe(ArchitectureCode code, ImageShape input, int classes)
    {
        return space.describe(code, input, classes);
    }

    @Override
    public NetworkDescription describeSupernet(ImageShape input, int classes)
    {
        return space.describeSupernet(input, classes);
    }

    @Override
    public Optional<FitnessTable> fitnessTable()
    {
        return space.fitnessTable();
    }
}
