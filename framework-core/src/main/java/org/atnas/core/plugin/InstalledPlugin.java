package org.atnas.core.plugin;

import java.util.List;

import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Plugin;

import static java.util.Objects.requireNonNull;

/**
 * A loaded plugin.
 *
 * @param name the plugin's folder name ({@code classpath} for plugins found on the host's class path)
 * @param location where it was found, for messages: {@code plugins/<name>} or {@code classpath}
 * @param version the plugin jar's {@code Bundle-Version} or {@code Implementation-Version}, or {@code unknown}
 * @param apiVersion the API version it was compiled against
 * @param classLoader the class loader its code runs in
 * @param components what it offers
 */
public record InstalledPlugin(String name, String location, String version, String apiVersion, ClassLoader classLoader, Plugin plugin, List<ComponentFactory<?>> components)
{
    public InstalledPlugin
    {
        requireNonNull(name, "name is null");
        requireNonNull(location, "location is null");
        requireNonNull(version, "version is null");
        requireNonNull(apiVersion, "apiVersion is null");
        requireNonNull(classLoader, "classLoader is null");
        requireNonNull(plugin, "plugin is null");
        components = List.copyOf(requireNonNull(components, "components is null"));
    }
}
