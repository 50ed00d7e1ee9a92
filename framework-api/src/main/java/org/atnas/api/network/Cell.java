package org.atnas.api.network;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A cell of a network description.
 *
 * <p>Inputs: {@code inputOffsets} names which earlier outputs the cell reads, relative to its own
 * index: {@code -1} is the previous cell, {@code -2} the one before; an index before the first cell
 * means the stem's output. Input {@code i} is passed through {@code preprocess.get(i)} and becomes
 * node {@code i} (a stride-2 preprocess op halves it; the same input may be listed twice, as a
 * residual block's two branches). Intermediate nodes follow, numbered from {@code inputOffsets.size()}; the cell's
 * output concatenates the nodes listed in {@code outputNodes} along the channels.
 *
 * @param name the cell's name, used in messages (parameter prefixes live in the ops)
 * @param reduction whether the cell's edges from its inputs halve the spatial size (its
 *     intermediate nodes are {@code ceil(h / 2)} of input node 0)
 * @param channels channels of every node after preprocessing
 * @param inputOffsets relative indices of the cell's inputs, each negative
 * @param preprocess one op per input, mapping it to {@code channels} channels
 * @param nodes the intermediate nodes in order
 * @param outputNodes the nodes concatenated into the output, in order
 */
public record Cell(String name, boolean reduction, int channels, List<Integer> inputOffsets, List<Op> preprocess, List<Node> nodes, List<Integer> outputNodes)
{
    public Cell
    {
        requireNonNull(name, "name is null");
        inputOffsets = List.copyOf(requireNonNull(inputOffsets, "inputOffsets is null"));
        preprocess = List.copyOf(requireNonNull(preprocess, "preprocess is null"));
        nodes = List.copyOf(requireNonNull(nodes, "nodes is null"));
        outputNodes = List.copyOf(requireNonNull(outputNodes, "outputNodes is null"));
        if (inputOffsets.isEmpty() || inputOffsets.size() != preprocess.size()) {
            throw new IllegalArgumentException("Cell " + name + " needs one preprocess op per input, got " + inputOffsets.size() + " inputs and " + preprocess.size() + " ops");
        }
        for (int offset : inputOffsets) {
            if (offset >= 0) {
                throw new IllegalArgumentException("Cell " + name + ": input offsets must be negative, got " + offset);
            }
        }
        int nodeCount = inputOffsets.size() + nodes.size();
        for (int i = 0; i < nodes.size(); i++) {
            for (Edge edge : nodes.get(i).edges()) {
                if (edge.from() >= inputOffsets.size() + i) {
                    throw new IllegalArgumentException("Cell " + name + ": node " + (inputOffsets.size() + i) + " reads node " + edge.from() + ", which does not come before it");
                }
            }
        }
        if (outputNodes.isEmpty()) {
            throw new IllegalArgumentException("Cell " + name + " has no output node");
        }
        for (int node : outputNodes) {
            if (node < 0 || node >= nodeCount) {
                throw new IllegalArgumentException("Cell " + name + ": output node " + node + " does not exist");
            }
        }
    }

    /** Number of inputs. */
    public int inputCount()
    {
        return inputOffsets.size();
    }

    /** Channels of the cell's output. */
    public int outputChannels()
    {
        return outputNodes.size() * channels;
    }
}
