package org.atnas.api.network;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;
import static org.atnas.api.network.ParameterSpec.Role.NORM_SCALE;
import static org.atnas.api.network.ParameterSpec.Role.NORM_SHIFT;
import static org.atnas.api.network.ParameterSpec.Role.WEIGHT;

/**
 * One operation of a network description: its kind, channels, kernel, stride and dilation, and the
 * prefix of the parameter names it owns. Two ops with the same prefix share their parameters.
 *
 * @param prefix parameter-name prefix, for example {@code cell0.edge3.sep_conv_3x3}
 * @param kind the operation
 * @param inChannels channels read
 * @param outChannels channels written
 * @param kernel kernel size (1 where the kind has none)
 * @param stride 1 or 2
 * @param dilation 1 or more
 */
public record Op(String prefix, OpKind kind, int inChannels, int outChannels, int kernel, int stride, int dilation)
{
    public Op
    {
        requireNonNull(prefix, "prefix is null");
        requireNonNull(kind, "kind is null");
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || dilation < 1 || (stride != 1 && stride != 2)) {
            throw new IllegalArgumentException("Invalid op " + prefix + ": " + kind + " in=" + inChannels + " out=" + outChannels + " kernel=" + kernel + " stride=" + stride + " dilation=" + dilation);
        }
        boolean sameChannels = switch (kind) {
            case MAX_POOL_BN, AVG_POOL_BN, AVG_POOL, SKIP, BN_RELU -> true;
            default -> false;
        };
        if (sameChannels && inChannels != outChannels) {
            throw new IllegalArgumentException("Op " + prefix + " of kind " + kind + " cannot change channels (" + inChannels + " -> " + outChannels + ")");
        }
        if (kind == OpKind.SKIP && stride != 1) {
            throw new IllegalArgumentException("Op " + prefix + ": SKIP has stride 1; use FACTORIZED_REDUCE to reduce");
        }
        if ((kind == OpKind.FACTORIZED_REDUCE || kind == OpKind.POOLED_PROJECTION) && stride != 2) {
            throw new IllegalArgumentException("Op " + prefix + ": " + kind + " has stride 2");
        }
        if (kind == OpKind.FACTORIZED_REDUCE && outChannels % 2 != 0) {
            throw new IllegalArgumentException("Op " + prefix + ": FACTORIZED_REDUCE needs an even number of output channels, got " + outChannels);
        }
    }

    /** The output height or width for an input of size {@code size}. */
    public int outputSize(int size)
    {
        return stride == 1 ? size : (size + 1) / 2;
    }

    /** The parameters this op owns, with full names; see {@link OpKind} for each kind's list. */
    public List<ParameterSpec> parameters()
    {
        List<ParameterSpec> parameters = new ArrayList<>();
        switch (kind) {
            case CONV_BN, RELU_CONV_BN -> {
                parameters.add(weight("conv.weight", outChannels, inChannels, kernel, kernel));
                addNorm(parameters, "bn", outChannels);
            }
            case SEP_CONV -> {
                parameters.add(weight("dw1.weight", inChannels, 1, kernel, kernel));
                parameters.add(weight("pw1.weight", inChannels, inChannels, 1, 1));
                addNorm(parameters, "bn1", inChannels);
                parameters.add(weight("dw2.weight", inChannels, 1, kernel, kernel));
                parameters.add(weight("pw2.weight", outChannels, inChannels, 1, 1));
                addNorm(parameters, "bn2", outChannels);
            }
            case DIL_CONV -> {
                parameters.add(weight("dw.weight", inChannels, 1, kernel, kernel));
                parameters.add(weight("pw.weight", outChannels, inChannels, 1, 1));
                addNorm(parameters, "bn", outChannels);
            }
            case MAX_POOL_BN, AVG_POOL_BN, BN_RELU -> addNorm(parameters, "bn", outChannels);
            case FACTORIZED_REDUCE -> {
                parameters.add(weight("conv1.weight", outChannels / 2, inChannels, 1, 1));
                parameters.add(weight("conv2.weight", outChannels / 2, inChannels, 1, 1));
                addNorm(parameters, "bn", outChannels);
            }
            case POOLED_PROJECTION -> parameters.add(weight("conv.weight", outChannels, inChannels, 1, 1));
            case AVG_POOL, SKIP -> { }
        }
        return List.copyOf(parameters);
    }

    /** Multiply-adds of the op's convolutions on one image of {@code size × size} (batch norm, pooling and ReLU are not counted). */
    public long multiplyAdds(int size)
    {
        long outArea = (long) outputSize(size) * outputSize(size);
        return switch (kind) {
            case CONV_BN, RELU_CONV_BN -> outArea * outChannels * inChannels * kernel * kernel;
            case SEP_CONV -> outArea * inChannels * kernel * kernel + outArea * inChannels * inChannels
                    + outArea * inChannels * kernel * kernel + outArea * outChannels * inChannels;
            case DIL_CONV -> outArea * inChannels * kernel * kernel + outArea * outChannels * inChannels;
            case FACTORIZED_REDUCE -> 2 * outArea * (outChannels / 2) * inChannels;
            case POOLED_PROJECTION -> outArea * outChannels * inChannels;
            case MAX_POOL_BN, AVG_POOL_BN, AVG_POOL, SKIP, BN_RELU -> 0L;
        };
    }

    private ParameterSpec weight(String name, int... shape)
    {
        return new ParameterSpec(prefix + "." + name, shape, WEIGHT);
    }

    private void addNorm(List<ParameterSpec> parameters, String name, int channels)
    {
        parameters.add(new ParameterSpec(prefix + "." + name + ".weight", new int[] {channels}, NORM_SCALE));
        parameters.add(new ParameterSpec(prefix + "." + name + ".bias", new int[] {channels}, NORM_SHIFT));
    }
}
