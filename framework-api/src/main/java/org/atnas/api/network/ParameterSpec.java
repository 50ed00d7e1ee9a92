package org.atnas.api.network;

import java.util.Arrays;

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
