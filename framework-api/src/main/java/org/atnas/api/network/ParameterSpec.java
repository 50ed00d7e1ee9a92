package org.atnas.api.network;

import java.util.Arrays;
import java.util.SplittableRandom;

import static java.util.Objects.requireNonNull;

/**
 * One named float32 parameter tensor of the supernet.
 *
 * @param name the stable name, for example {@code cell3.edge7.sep_conv_3x3.pw1.weight}
 * @param shape the dimensions, PyTorch's convention
 * @param role how the parameter is initialised
 */
public record ParameterSpec(String name, int[] shape, Role role)
{
    /** How a backend initialises a parameter. */
    public enum Role
    {
        /** A conv or linear weight: He (Kaiming) normal, fan-in = product of all but the first dimension. */
        WEIGHT,
        /** A linear bias: zeros. */
        BIAS,
        /** A batch-norm scale: ones. */
        NORM_SCALE,
        /** A batch-norm shift: zeros. */
        NORM_SHIFT
    }

    public ParameterSpec
    {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        shape = requireNonNull(shape, "shape is null").clone();
    }

    @Override
    public int[] shape()
    {
        return shape.clone();
    }

    /**
     * The initial values of this parameter for a supernet seed, row-major: He-normal weights
     * (standard deviation {@code sqrt(2 / fan_in)}), zero biases and shifts, unit scales. A
     * function of the seed and the name only, so every backend starts from the same W and a
     * parameter's values do not depend on which other parameters exist.
     */
    public float[] initialValues(long seed)
    {
        float[] values = new float[Math.toIntExact(size())];
        switch (role) {
            case NORM_SCALE -> Arrays.fill(values, 1f);
            case BIAS, NORM_SHIFT -> { }
            case WEIGHT -> {
                long fanIn = size() / shape[0];
                double deviation = Math.sqrt(2.0 / Math.max(1, fanIn));
                SplittableRandom random = new SplittableRandom(seed ^ (name.hashCode() * 0x9E3779B97F4A7C15L));
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextGaussian() * deviation);
                }
            }
        }
        return values;
    }

    /** Number of floats. */
    public long size()
    {
        long size = 1;
        for (int dimension : shape) {
            size *= dimension;
        }
        return size;
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof ParameterSpec that && name.equals(that.name) && Arrays.equals(shape, that.shape) && role == that.role;
    }

    @Override
    public int hashCode()
    {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString()
    {
        return name + Arrays.toString(shape);
    }
}
