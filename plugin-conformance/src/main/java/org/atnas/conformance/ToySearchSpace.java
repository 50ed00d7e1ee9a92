package org.atnas.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Gene;
import org.atnas.api.ImageShape;
import org.atnas.api.InvalidArchitectureException;
import org.atnas.api.SearchSpace;
import org.atnas.api.network.NetworkDescription;

/**
 * A small search space for the evolver and predictor kits, independent of any search space plugin:
 * genes of unequal sizes (1, 2 and 3 positions, repeated), every position holding a value from 0 to
 * {@code choices − 1}. Optionally constrained like the engine constrains a space by multiply-adds:
 * a code whose values sum to more than a limit is refused by {@link #validate}, and {@link #sample}
 * draws again until it finds an accepted one, while {@link #sampleGene} still offers every value.
 *
 * <p>It describes no network: {@link #describe} and {@link #describeSupernet} throw
 * {@link UnsupportedOperationException}.
 */
public final class ToySearchSpace
        implements SearchSpace
{
    private final int genes;
    private final int choices;
    private final int maxSum;
    private final List<Gene> geneList;
    private final int length;

    private ToySearchSpace(int genes, int choices, int maxSum)
    {
        if (genes < 1) {
            throw new IllegalArgumentException("genes must be at least 1, got " + genes);
        }
        if (choices < 2) {
            throw new IllegalArgumentException("choices must be at least 2, got " + choices);
        }
        this.genes = genes;
        this.choices = choices;
        this.maxSum = maxSum;
        List<Gene> list = new ArrayList<>();
        int position = 0;
        for (int g = 0; g < genes; g++) {
            int[] positions = new int[g % 3 + 1];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = position++;
            }
            list.add(new Gene("gene" + g, positions));
        }
        this.geneList = List.copyOf(list);
        this.length = position;
    }

    /** A space of {@code genes} genes whose positions each hold one of {@code choices} values; every code is valid. */
    public static ToySearchSpace of(int genes, int choices)
    {
        return new ToySearchSpace(genes, choices, Integer.MAX_VALUE);
    }

    /**
     * The same space, constrained: a code is valid only if its values sum to at most {@code maxSum}.
     *
     * @throws IllegalArgumentException if {@code maxSum} is negative
     */
    public ToySearchSpace constrained(int maxSum)
    {
        if (maxSum < 0) {
            throw new IllegalArgumentException("maxSum must not be negative, got " + maxSum);
        }
        return new ToySearchSpace(genes, choices, maxSum);
    }

    @Override
    public String name()
    {
        return "toy";
    }

    @Override
    public int codeLength()
    {
        return length;
    }

    @Override
    public int choices(int position)
    {
        if (position < 0 || position >= length) {
            throw new IndexOutOfBoundsException("Position " + position + " is outside a code of length " + length);
        }
        return choices;
    }

    @Override
    public String optionName(int position, int value)
    {
        return "v" + value;
    }

    @Override
    public List<Gene> genes()
    {
        return geneList;
    }

    @Override
    public ArchitectureCode sample(RandomGenerator random)
    {
        while (true) {
            int[] values = new int[length];
            for (int i = 0; i < length; i++) {
                values[i] = random.nextInt(choices);
            }
            ArchitectureCode code = ArchitectureCode.of(values);
            if (isValid(code)) {
                return code;
            }
        }
    }

    @Override
    public int[] sampleGene(int gene, RandomGenerator random)
    {
        int[] values = new int[geneList.get(gene).positions().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(choices);
        }
        return values;
    }

    @Override
    public void validate(ArchitectureCode code)
    {
        if (code.length() != length) {
            throw new InvalidArchitectureException("A toy code has " + length + " positions, got " + code.length());
        }
        int sum = 0;
        for (int i = 0; i < length; i++) {
            if (code.get(i) < 0 || code.get(i) >= choices) {
                throw new InvalidArchitectureException("Position " + i + " of a toy code holds " + code.get(i) + ", expected 0 to " + (choices - 1));
            }
            sum += code.get(i);
        }
        if (sum > maxSum) {
            throw new InvalidArchitectureException("The values of " + code + " sum to " + sum + ", above the limit " + maxSum);
        }
    }

    @Override
    public String toNotation(ArchitectureCode code)
    {
        validate(code);
        return "toy(" + code.format() + ")";
    }

    @Override
    public ArchitectureCode fromNotation(String notation)
    {
        if (!notation.startsWith("toy(") || !notation.endsWith(")")) {
            throw new IllegalArgumentException("A toy notation reads toy(v,v,...), got [" + notation + "]");
        }
        return ArchitectureCode.parse(notation.substring(4, notation.length() - 1));
    }

    @Override
    public String toString()
    {
        return maxSum == Integer.MAX_VALUE ? "toy" : "toy, values summing to at most " + maxSum;
    }

    @Override
    public NetworkDescription describe(ArchitectureCode code, ImageShape input, int classes)
    {
        throw new UnsupportedOperationException("The toy search space describes no network");
    }

    @Override
    public NetworkDescription describeSupernet(ImageShape input, int classes)
    {
        throw new UnsupportedOperationException("The toy search space describes no network");
    }
}
