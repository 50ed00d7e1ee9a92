package org.atnas.core.config;

/** Bad configuration; the message names the key, the value and what was expected. */
public final class ConfigurationException
        extends IllegalArgumentException
{
    public ConfigurationException(String message)
    {
        super(message);
    }
}
