package org.atnas.core.plugin;

import org.atnas.api.plugin.ComponentFactory;
import org.atnas.core.ServiceType;

import static java.util.Objects.requireNonNull;

/**
 * A component factory and the plugin it came from.
 *
 * @param service the service it implements
 * @param factory the plugin's factory
 * @param plugin the plugin that offers it
 */
public record RegisteredComponent(ServiceType service, ComponentFactory<?> factory, InstalledPlugin plugin)
{
    public RegisteredComponent
    {
        requireNonNull(service, "service is null");
        requireNonNull(factory, "factory is null");
        requireNonNull(plugin, "plugin is null");
    }

    public String name()
    {
        return factory.name();
    }
}
