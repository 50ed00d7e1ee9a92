package org.atnas.api;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * An architecture code: the integer string that names one subnet of a search space (the paper's
 * "gene"). Immutable. Its text form is the values joined by commas, for example {@code 4,4,0,3}.
 *
 * <p>A code knows nothing of the space it belongs to; {@link SearchSpace#validate} says whether a
 * code is a valid member of a given space.
 */
public final class ArchitectureCode
{
    private final int[] values;

    private ArchitectureCode(int[] values)
    {
        this.values = values;
    }

    /**
     * Creates a code from its values, which are copied.
     *
     * @throws IllegalArgumentException if there are no values or one is negative
     */
    public static ArchitectureCode of(int... values)
    {
        requireNonNull(values, "values is null");
        if (values.length == 0) {
            throw new IllegalArgumentException("An architecture code needs at least one value");
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) {
                throw new IllegalArgumentException("Invalid architecture code: position " + i + " holds [" + values[i] + "], expected a non-negative integer");
            }
        }
        return new ArchitectureCode(values.clone());
    }

    /**
     * Parses the text form {@code v0,v1,...}; white space around values is ignored.
     *
     * @throws IllegalArgumentException naming the position and the text found there when a value is
     *     not a non-negative integer
     */
    public static ArchitectureCode parse(String text)
    {
        requireNonNull(text, "text is null");
        if (text.isBlank()) {
            throw new IllegalArgumentException("Invalid architecture code []: it is empty, expected comma-separated non-negative integers");
        }
        String[] parts = text.split(",", -1);
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            int value;
            try {
                value = Integer.parseInt(part);
            }
            catch (NumberFormatException e) {
                value = -1;
            }
            if (value < 0 || part.startsWith("+")) {
                throw new IllegalArgumentException("Invalid architecture code [" + text + "]: position " + i + " holds [" + part + "], expected a non-negative integer");
            }
            values[i] = value;
        }
        return new ArchitectureCode(values);
    }

    public int length()
    {
        return values.length;
    }

    /** The value at a position (0-based). */
    public int get(int position)
    {
        return values[position];
    }

    /** A copy of the values. */
    public int[] toArray()
    {
        return values.clone();
    }

    /**
     * A new code equal to this one except at the given positions, which take the given values.
     *
     * @throws IllegalArgumentException if the arrays differ in length or a value is negative
     */
    public ArchitectureCode with(int[] positions, int[] newValues)
    {
        if (positions.length != newValues.length) {
            throw new IllegalArgumentException("positions has " + positions.length + " entries but newValues has " + newValues.length);
        }
        int[] copy = values.clone();
        for (int i = 0; i < positions.length; i++) {
            if (newValues[i] < 0) {
                throw new IllegalArgumentException("Invalid architecture code: position " + positions[i] + " would hold [" + newValues[i] + "], expected a non-negative integer");
            }
            copy[positions[i]] = newValues[i];
        }
        return new ArchitectureCode(copy);
    }

    /** The text form, {@code v0,v1,...}; {@link #parse} reads it back. */
    public String format()
    {
        StringBuilder text = new StringBuilder(values.length * 2);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(values[i]);
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof ArchitectureCode code && Arrays.equals(values, code.values);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString()
    {
        return format();
    }
}
