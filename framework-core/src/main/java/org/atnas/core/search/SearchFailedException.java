package org.atnas.core.search;

/** A search that cannot go on (a loss that is not a number); the message names the step, the architecture, the task and the last good checkpoint. */
public final class SearchFailedException
        extends RuntimeException
{
    public SearchFailedException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
