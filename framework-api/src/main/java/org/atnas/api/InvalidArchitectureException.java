package org.atnas.api;

/**
 * Thrown when an {@link ArchitectureCode} is not a member of a {@link SearchSpace}. The message
 * names the part of the code at fault (for a cell space: the cell, the node and its edges).
 */
public final class InvalidArchitectureException
        extends IllegalArgumentException
{
    public InvalidArchitectureException(String message)
    {
        super(message);
    }
}
