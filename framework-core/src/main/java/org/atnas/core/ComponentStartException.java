package org.atnas.core;

/** A component's factory failed; the message names the component and its plugin folder. */
public final class ComponentStartException
        extends RuntimeException
{
    public ComponentStartException(String message)
    {
        super(message);
    }

    public ComponentStartException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
