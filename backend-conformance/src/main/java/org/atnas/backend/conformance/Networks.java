package org.atnas.backend.conformance;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.atnas.api.ImageBatch;
import org.atnas.api.ImageShape;
import org.atnas.api.network.Cell;
import org.atnas.api.network.Edge;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.Node;
import org.atnas.api.network.Op;
import org.atnas.api.network.OpKind;

/** Tiny networks and batches for backend tests. */
public final class Networks
{
    public static final ImageShape INPUT = new ImageShape(1, 5, 5);
    public static final int CLASSES = 3;

    private Networks() {}

    /** Stem (conv 1→4) and one cell whose only node applies {@code op} (reading 4 channels) to the stem's output; BN-ReLU head. */
    public static NetworkDescription single(Op op)
    {
        Op stem = new Op("stem", OpKind.CONV_BN, 1, 4, 3, 1, 1);
        Op input = new Op("cell0.input", OpKind.SKIP, 4, 4, 1, 1, 1);
        Cell cell = new Cell("cell0", op.stride() == 2, op.outChannels(), List.of(-1), List.of(input), List.of(new Node(List.of(new Edge(0, op)))), List.of(1));
        Op head = new Op("head", OpKind.BN_RELU, op.outChannels(), op.outChannels(), 1, 1, 1);
        return new NetworkDescription(INPUT, CLASSES, stem, List.of(cell), Optional.of(head));
    }

    /** One network per op kind (and stride where it matters), each op named after what it tests. */
    public static List<NetworkDescription> everyOpKind()
    {
        return List.of(
                single(new Op("relu_conv_bn", OpKind.RELU_CONV_BN, 4, 4, 3, 1, 1)),
                single(new Op("sep_conv", OpKind.SEP_CONV, 4, 4, 3, 1, 1)),
                single(new Op("sep_conv_stride2", OpKind.SEP_CONV, 4, 4, 5, 2, 1)),
                single(new Op("dil_conv", OpKind.DIL_CONV, 4, 4, 3, 2, 2)),
                single(new Op("max_pool_bn", OpKind.MAX_POOL_BN, 4, 4, 3, 2, 1)),
                single(new Op("avg_pool_bn", OpKind.AVG_POOL_BN, 4, 4, 3, 1, 1)),
                single(new Op("avg_pool", OpKind.AVG_POOL, 4, 4, 3, 2, 1)),
                single(new Op("skip", OpKind.SKIP, 4, 4, 1, 1, 1)),
                single(new Op("factorized_reduce", OpKind.FACTORIZED_REDUCE, 4, 6, 1, 2, 1)),
                single(new Op("pooled_projection", OpKind.POOLED_PROJECTION, 4, 8, 1, 2, 1)),
                emptyNode());
    }

    /** A cell with an intermediate node that has no edge: it outputs zeros, concatenated with a skip. */
    public static NetworkDescription emptyNode()
    {
        Op stem = new Op("stem", OpKind.CONV_BN, 1, 4, 3, 1, 1);
        Op input = new Op("cell0.input", OpKind.RELU_CONV_BN, 4, 4, 1, 1, 1);
        Node empty = new Node(List.of());
        Node skip = new Node(List.of(new Edge(0, new Op("cell0.skip", OpKind.SKIP, 4, 4, 1, 1, 1))));
        Cell cell = new Cell("cell0", false, 4, List.of(-1), List.of(input), List.of(empty, skip), List.of(1, 2));
        return new NetworkDescription(INPUT, CLASSES, stem, List.of(cell), Optional.empty());
    }

    /** A batch of {@code size} random images of {@code shape} with labels cycling through the classes. */
    public static ImageBatch batch(ImageShape shape, int size, int classes, long seed)
    {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[size * shape.size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        int[] labels = new int[size];
        for (int i = 0; i < size; i++) {
            labels[i] = i % classes;
        }
        return new ImageBatch(shape, pixels, labels);
    }
}
