package org.atnas.api.io;

import java.io.IOException;

/**
 * A file that is not valid safetensors: the message names the file, the tensor or header key, the
 * value found and what was expected. An {@link IOException}, so that callers that handle a file
 * they cannot read handle this one too; a failure of the file system itself stays a plain
 * {@code IOException}.
 */
public final class SafetensorsException
        extends IOException
{
    public SafetensorsException(String message)
    {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
