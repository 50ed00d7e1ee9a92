package org.atnas.api.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.atnas.api.ImageShape;

import static java.util.Objects.requireNonNull;

/**
 * A network as a backend compiles it: a stem op, cells, an optional head op, then global average
 * pooling and a linear classifier with parameters {@code classifier.weight [classes, C]} and
 * {@code classifier.bias [classes]}.
 *
 * <p>A search space writes one description per architecture code (a subnet: W ⊙ A) and one for
 * the whole supernet (every candidate op on every edge; evaluated as is, it is the DARTS-style
 * mixed-op network). Ops with the same prefix share parameters, so a subnet's parameters are a
 * subset of its supernet's by name.
 *
 * @param input the shape of one input image
 * @param classes number of output classes
 * @param stem applied to the input
 * @param cells the cells in order
 * @param head applied to the last cell's output before pooling, if present
 */
public record NetworkDescription(ImageShape input, int classes, Op stem, List<Cell> cells, Optional<Op> head)
{
    public static final String CLASSIFIER_PREFIX = "classifier";

    public NetworkDescription
    {
        requireNonNull(input, "input is null");
        requireNonNull(stem, "stem is null");
        requireNonNull(head, "head is null");
        cells = List.copyOf(requireNonNull(cells, "cells is null"));
        if (classes < 2) {
            throw new IllegalArgumentException("A network needs at least 2 classes, got " + classes);
        }
        if (stem.inChannels() != input.channels()) {
            throw new IllegalArgumentException("The stem reads " + stem.inChannels() + " channels but the input has " + input.channels());
        }
    }

    /** Channels that reach the classifier. */
    public int classifierChannels()
    {
        return head.map(Op::outChannels).orElse(cells.isEmpty() ? stem.outChannels() : cells.get(cells.size() - 1).outputChannels());
    }

    /** Every parameter the network uses, each name once, in a stable order (stem, cells, head, classifier). */
    public List<ParameterSpec> parameters()
    {
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        for (Op op : ops()) {
            for (ParameterSpec parameter : op.parameters()) {
                ParameterSpec previous = byName.putIfAbsent(parameter.name(), parameter);
                if (previous != null && !previous.equals(parameter)) {
                    throw new IllegalStateException("Parameter " + parameter.name() + " is used with two shapes: " + previous + " and " + parameter);
                }
            }
        }
        int channels = classifierChannels();
        byName.put(CLASSIFIER_PREFIX + ".weight", new ParameterSpec(CLASSIFIER_PREFIX + ".weight", new int[] {classes, channels}, ParameterSpec.Role.WEIGHT));
        byName.put(CLASSIFIER_PREFIX + ".bias", new ParameterSpec(CLASSIFIER_PREFIX + ".bias", new int[] {classes}, ParameterSpec.Role.BIAS));
        return List.copyOf(byName.values());
    }

    /** Number of float parameters. */
    public long parameterCount()
    {
        return parameters().stream().mapToLong(ParameterSpec::size).sum();
    }

    /** Multiply-adds of one forward pass of one image (convolutions and the classifier; see {@link Op#multiplyAdds}). */
    public long multiplyAdds()
    {
        long total = stem.multiplyAdds(input.height());
        int stemSize = stem.outputSize(input.height());
        List<Integer> sizes = new ArrayList<>();
        for (int c = 0; c < cells.size(); c++) {
            Cell cell = cells.get(c);
            int[] nodeSizes = new int[cell.inputCount() + cell.nodes().size()];
            for (int i = 0; i < cell.inputCount(); i++) {
                int source = c + cell.inputOffsets().get(i);
                int size = source < 0 ? stemSize : sizes.get(source);
                total += cell.preprocess().get(i).multiplyAdds(size);
                nodeSizes[i] = cell.preprocess().get(i).outputSize(size);
            }
            int nodeSize = cell.reduction() ? (nodeSizes[0] + 1) / 2 : nodeSizes[0];
            for (int n = 0; n < cell.nodes().size(); n++) {
                for (Edge edge : cell.nodes().get(n).edges()) {
                    total += edge.op().multiplyAdds(nodeSizes[edge.from()]);
                }
                nodeSizes[cell.inputCount() + n] = nodeSize;
            }
            sizes.add(nodeSizes[cell.outputNodes().get(0)]);
        }
        if (head.isPresent()) {
            total += head.get().multiplyAdds(sizes.isEmpty() ? stemSize : sizes.get(sizes.size() - 1));
        }
        return total + (long) classifierChannels() * classes;
    }

    /** All ops in order: stem, each cell's preprocessing and edges, head. */
    public List<Op> ops()
    {
        List<Op> ops = new ArrayList<>();
        ops.add(stem);
        for (Cell cell : cells) {
            ops.addAll(cell.preprocess());
            for (Node node : cell.nodes()) {
                for (Edge edge : node.edges()) {
                    ops.add(edge.op());
                }
            }
        }
        head.ifPresent(ops::add);
        return ops;
    }
}
