package org.atnas.api.network;

import static java.util.Objects.requireNonNull;

/**
 * An edge of a cell: an op applied to an earlier node's output.
 *
 * @param from the node read: 0 .. inputs-1 are the cell's preprocessed inputs, then the
 *     intermediate nodes in order
 * @param op the operation
 */
public record Edge(int from, Op op)
{
    public Edge
    {
        requireNonNull(op, "op is null");
        if (from < 0) {
            throw new IllegalArgumentException("Edge source must be non-negative, got " + from);
        }
    }
}
