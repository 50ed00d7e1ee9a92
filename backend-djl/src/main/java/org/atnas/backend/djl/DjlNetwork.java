package org.atnas.backend.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import org.atnas.api.network.Cell;
import org.atnas.api.network.Edge;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.Node;
import org.atnas.api.network.Op;

import static java.util.Objects.requireNonNull;

/**
 * A network description as DJL operations on a map of named weights: the functional forward pass
 * an inner loop needs (weights are arguments, not state). Each op kind is written once here, as the
 * {@link org.atnas.api.network.OpKind} Javadoc specifies it.
 */
final class DjlNetwork
{
    private static final float BATCH_NORM_EPSILON = 1e-5f;

    private final NetworkDescription description;
    private final MemoryFormat memoryFormat;

    DjlNetwork(NetworkDescription description, MemoryFormat memoryFormat)
    {
        this.description = requireNonNull(description, "description is null");
        this.memoryFormat = requireNonNull(memoryFormat, "memoryFormat is null");
    }

    NetworkDescription description()
    {
        return description;
    }

    /**
     * The logits of a batch {@code [B, C, H, W]} (contiguous; the pass lays it out in its memory format).
     *
     * @param weights by parameter name; must hold every parameter of the description
     * @param norms per-worker scratch arrays for batch norm's running statistics
     */
    NDArray forward(NDArray input, Map<String, NDArray> weights, NormBuffers norms)
    {
        NDArray stem = apply(description.stem(), memoryFormat.arrange(input), weights, norms);
        List<NDArray> outputs = new ArrayList<>();
        for (int c = 0; c < description.cells().size(); c++) {
            Cell cell = description.cells().get(c);
            List<NDArray> nodes = new ArrayList<>();
            for (int i = 0; i < cell.inputCount(); i++) {
                int source = c + cell.inputOffsets().get(i);
                nodes.add(apply(cell.preprocess().get(i), source < 0 ? stem : outputs.get(source), weights, norms));
            }
            for (Node node : cell.nodes()) {
                NDArray sum = null;
                for (Edge edge : node.edges()) {
                    NDArray value = apply(edge.op(), nodes.get(edge.from()), weights, norms);
                    sum = sum == null ? value : sum.add(value);
                }
                if (sum == null) {
                    Shape shape = nodes.get(0).getShape();
                    long size = cell.reduction() ? (shape.get(2) + 1) / 2 : shape.get(2);
                    long width = cell.reduction() ? (shape.get(3) + 1) / 2 : shape.get(3);
                    sum = nodes.get(0).getManager().zeros(new Shape(shape.get(0), cell.channels(), size, width), nodes.get(0).getDataType());
                }
                nodes.add(sum);
            }
            List<NDArray> concatenated = cell.outputNodes().stream().map(nodes::get).toList();
            outputs.add(concatenated.size() == 1 ? concatenated.get(0) : memoryFormat.concatenateChannels(concatenated));
        }
        NDArray features = outputs.isEmpty() ? stem : outputs.get(outputs.size() - 1);
        if (description.head().isPresent()) {
            features = apply(description.head().get(), features, weights, norms);
        }
        NDArray pooled = memoryFormat.globalAveragePool(features);
        String prefix = NetworkDescription.CLASSIFIER_PREFIX;
        return Linear.linear(pooled, weight(weights, prefix + ".weight"), weight(weights, prefix + ".bias")).singletonOrThrow();
    }

    private static NDArray apply(Op op, NDArray x, Map<String, NDArray> weights, NormBuffers norms)
    {
        String p = op.prefix();
        int k = op.kernel();
        int s = op.stride();
        int d = op.dilation();
        return switch (op.kind()) {
            case CONV_BN -> norm(conv(x, weight(weights, p + ".conv.weight"), s, d, 1), weights, p + ".bn", norms);
            case RELU_CONV_BN -> norm(conv(Activation.relu(x), weight(weights, p + ".conv.weight"), s, d, 1), weights, p + ".bn", norms);
            case SEP_CONV -> {
                NDArray half = norm(conv(conv(Activation.relu(x), weight(weights, p + ".dw1.weight"), s, 1, op.inChannels()), weight(weights, p + ".pw1.weight"), 1, 1, 1), weights, p + ".bn1", norms);
                yield norm(conv(conv(Activation.relu(half), weight(weights, p + ".dw2.weight"), 1, 1, op.inChannels()), weight(weights, p + ".pw2.weight"), 1, 1, 1), weights, p + ".bn2", norms);
            }
            case DIL_CONV -> norm(conv(conv(Activation.relu(x), weight(weights, p + ".dw.weight"), s, d, op.inChannels()), weight(weights, p + ".pw.weight"), 1, 1, 1), weights, p + ".bn", norms);
            case MAX_POOL_BN -> norm(Pool.maxPool2d(x, new Shape(k, k), new Shape(s, s), new Shape(k / 2, k / 2), false), weights, p + ".bn", norms);
            case AVG_POOL_BN -> norm(avgPool(x, k, s, k / 2), weights, p + ".bn", norms);
            case AVG_POOL -> avgPool(x, k, s, k / 2);
            case SKIP -> x;
            case FACTORIZED_REDUCE -> {
                NDArray relu = Activation.relu(x);
                // the second half reads the input shifted by one pixel, zero-padded at the bottom and right
                NDArray shifted = relu.pad(new Shape(0, 1, 0, 1), 0).get(":, :, 1:, 1:");
                NDArray halves = NDArrays.concat(new NDList(
                        conv(relu, weight(weights, p + ".conv1.weight"), 2, 1, 1),
                        conv(shifted, weight(weights, p + ".conv2.weight"), 2, 1, 1)), 1);
                yield norm(halves, weights, p + ".bn", norms);
            }
            case POOLED_PROJECTION -> conv(avgPool(x, 2, 2, 0, true), weight(weights, p + ".conv.weight"), 1, 1, 1);
            case BN_RELU -> Activation.relu(norm(x, weights, p + ".bn", norms));
        };
    }

    private static NDArray conv(NDArray x, NDArray weight, int stride, int dilation, int groups)
    {
        int kernel = (int) weight.getShape().get(2);
        int padding = dilation * (kernel - 1) / 2;
        return Conv2d.conv2d(x, weight, null, new Shape(stride, stride), new Shape(padding, padding), new Shape(dilation, dilation), groups).singletonOrThrow();
    }

    private static NDArray avgPool(NDArray x, int kernel, int stride, int padding)
    {
        return avgPool(x, kernel, stride, padding, false);
    }

    /**
     * Average pooling that does not count padded pixels or, in ceil mode, pixels past the edge
     * (PyTorch's {@code count_include_pad = False}): DJL's avgPool2d counts them whatever its
     * {@code countIncludePad} says, so the pooled input is divided by the pooled ones.
     * {@code ceil}: the 2×2 pool of a residual shortcut on odd sizes keeps ceil(h / 2), as the description says.
     */
    private static NDArray avgPool(NDArray x, int kernel, int stride, int padding, boolean ceil)
    {
        Shape size = new Shape(kernel, kernel);
        Shape strides = new Shape(stride, stride);
        Shape paddings = new Shape(padding, padding);
        NDArray pooled = Pool.avgPool2d(x, size, strides, paddings, ceil, false);
        boolean edges = padding > 0 || ceil && (x.getShape().get(2) % stride != 0 || x.getShape().get(3) % stride != 0);
        if (!edges) {
            return pooled;
        }
        // the divisor depends on the spatial size only: pool one 1x1xHxW plane of ones and let it broadcast, not a copy of the whole batch
        try (NDArray ones = x.getManager().ones(new Shape(1, 1, x.getShape().get(2), x.getShape().get(3)), x.getDataType())) {
            return pooled.div(Pool.avgPool2d(ones, size, strides, paddings, ceil, false));
        }
    }

    /** Batch norm with the batch's statistics and a learnable scale and shift. */
    private static NDArray norm(NDArray x, Map<String, NDArray> weights, String prefix, NormBuffers norms)
    {
        int channels = (int) x.getShape().get(1);
        NDList running = norms.buffers(channels, x);
        return BatchNorm.batchNorm(x, running.get(0), running.get(1), weight(weights, prefix + ".weight"), weight(weights, prefix + ".bias"), 1, 0.1f, BATCH_NORM_EPSILON, true)
                .singletonOrThrow();
    }

    private static NDArray weight(Map<String, NDArray> weights, String name)
    {
        NDArray weight = weights.get(name);
        if (weight == null) {
            throw new IllegalStateException("Weight " + name + " is missing from the subnet's weights");
        }
        return weight;
    }
}
