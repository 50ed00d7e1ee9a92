package org.atnas.core.plugin;

/** A plugin that cannot be loaded or whose components conflict; the message names the plugin folder. */
public final class PluginLoadException
        extends RuntimeException
{
    public PluginLoadException(String message)
    {
        super(message);
    }

    public PluginLoadException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
