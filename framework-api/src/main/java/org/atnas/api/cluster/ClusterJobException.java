package org.atnas.api.cluster;

/**
 * A job failed on the member that ran it, or could not be delivered: the message says which
 * member and why (the handler's own message when it threw).
 */
public class ClusterJobException
        extends RuntimeException
{
    public ClusterJobException(String message)
    {
        super(message);
    }

    public ClusterJobException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
