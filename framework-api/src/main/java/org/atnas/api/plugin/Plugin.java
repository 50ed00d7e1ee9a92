package org.atnas.api.plugin;

import java.util.List;

/**
 * The entry point of a plugin, found with {@link java.util.ServiceLoader}: a plugin jar lists its
 * implementation in {@code META-INF/services/org.atnas.api.plugin.Plugin}. The class needs a public
 * no-argument constructor.
 *
 * <p>The host calls these methods once, at start-up, with the thread context class loader set to
 * the plugin's class loader. They must not do expensive work: components are created later, by
 * their factories, and only when configuration selects them.
 */
public interface Plugin
{
    /** The API version this plugin was compiled against: return {@link ApiVersion#CURRENT}. */
    String apiVersion();

    /** The components this plugin offers. Names must be unique per service across all installed plugins. */
    List<ComponentFactory<?>> components();
}
