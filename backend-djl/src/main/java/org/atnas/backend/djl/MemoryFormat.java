package org.atnas.backend.djl;

import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * How a pass lays out its activations in memory ({@code djl.memory-format}). The shape of every array
 * stays {@code [B, C, H, W]}; only the order of the values in memory differs, so each op computes the
 * same function, with libtorch kernels that may sum in another order.
 */
public enum MemoryFormat
{
    /** Channels outermost, PyTorch's default (a contiguous {@code [B, C, H, W]}). */
    NCHW("nchw"),
    /**
     * Channels innermost (NHWC in memory). libtorch's oneDNN convolutions run on this layout without
     * converting their input and output at every call, and its batch norm and pooling have kernels
     * that vectorise over the channels. Each of these ops, and the element-wise ones, gives a
     * channels-last result for a channels-last input, so laying out the input batch is enough.
     */
    CHANNELS_LAST("channels-last");

    private final String key;

    MemoryFormat(String key)
    {
        this.key = key;
    }

    /** The value of {@code djl.memory-format} that names this layout. */
    String key()
    {
        return key;
    }

    static List<String> keys()
    {
        return Arrays.stream(values()).map(MemoryFormat::key).toList();
    }

    /**
     * The layout named by a value of {@code djl.memory-format}.
     *
     * @throws IllegalArgumentException naming the value and the ones expected
     */
    static MemoryFormat of(String key)
    {
        for (MemoryFormat format : values()) {
            if (format.key.equals(key)) {
                return format;
            }
        }
        throw new IllegalArgumentException("Invalid value [" + key + "] for key [djl.memory-format]: expected one of " + keys());
    }

    /**
     * The parts joined along the channels, each part getting back a gradient that is an array of its
     * own in this layout. Otherwise each gets a view of the concatenation's gradient, strided across
     * the channels: libtorch's batch norm backward, upstream, then leaves its vectorised kernel for a
     * per-channel serial loop (on a 75-image query pass, about a tenth of the time in a profile). So
     * in channels-last each part is multiplied by one first: exact both ways, and its gradient is a
     * fresh copy. {@link #NCHW} joins the parts as they are, so it still computes, to the bit, what
     * runs before this layout computed.
     */
    NDArray concatenateChannels(List<NDArray> parts)
    {
        if (this == NCHW) {
            return NDArrays.concat(new NDList(parts), 1);
        }
        // libtorch's one, not DJL's array of a number: the backward pass keeps the factor (DjlSupernet.owned)
        try (NDArray one = DjlSupernet.owned(parts.get(0).getManager(), 1, parts.get(0).getDataType())) {
            NDList ownGradients = new NDList(parts.size());
            parts.forEach(part -> ownGradients.add(part.mul(one)));
            return NDArrays.concat(ownGradients, 1);
        }
    }

    /**
     * The mean over each feature map, {@code [B, C, H, W]} to {@code [B, C]}. libtorch computes a
     * global pool as a mean whose gradient is a broadcast laid out as NCHW, which would turn the whole
     * backward pass of the last cell into NCHW (and its batch norms onto the serial loop); an average
     * pool over the whole map gives a channels-last gradient for a channels-last input.
     */
    NDArray globalAveragePool(NDArray features)
    {
        if (this == NCHW) {
            return Pool.globalAvgPool2d(features);
        }
        Shape shape = features.getShape();
        Shape map = new Shape(shape.get(2), shape.get(3));
        return Pool.avgPool2d(features, map, map, new Shape(0, 0), false, true).reshape(shape.get(0), shape.get(1));
    }

    /** A contiguous {@code [B, C, H, W]} batch in this layout (the same array for {@link #NCHW}). */
    NDArray arrange(NDArray batch)
    {
        if (this == NCHW) {
            return batch;
        }
        Shape shape = batch.getShape();
        long images = shape.get(0);
        // [B, H, W, C] as a view, flattened: with several channels no view gives that order, so
        // reshape copies it into memory (one channel needs no copy); seen as [B, C, H, W] again, its
        // strides are the channels-last ones
        return batch.transpose(0, 2, 3, 1).reshape(images, -1).reshape(images, shape.get(2), shape.get(3), shape.get(1)).transpose(0, 3, 1, 2);
    }
}
