package org.atnas.api.network;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An intermediate node of a cell: the sum of its incoming edges. A node without edges outputs zeros
 * of the cell's node shape.
 *
 * @param edges incoming edges; all produce the cell's node channels and size
 */
public record Node(List<Edge> edges)
{
    public Node
    {
        edges = List.copyOf(requireNonNull(edges, "edges is null"));
    }
}
