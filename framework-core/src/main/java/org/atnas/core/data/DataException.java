package org.atnas.core.data;

/** A data set that cannot be read or cannot serve the tasks asked of it; the message names the file, class or setting. */
public final class DataException
        extends IllegalArgumentException
{
    public DataException(String message)
    {
        super(message);
    }

    public DataException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
