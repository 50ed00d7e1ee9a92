package org.atnas.api.plugin;

import java.util.Optional;

/** What a {@link ComponentFactory} receives when it creates its component. */
public interface ComponentContext
{
    /**
     * The configured value of a setting the factory declared, or its default.
     *
     * @throws IllegalArgumentException if the setting was not declared by the factory
     * @throws IllegalStateException naming the key if a setting without default was not configured
     */
    <T> T get(Setting<T> setting);

    /**
     * The configured value of a setting the factory declared, its default, or empty: for settings
     * without default that the component can do without.
     *
     * @throws IllegalArgumentException if the setting was not declared by the factory
     */
    <T> Optional<T> find(Setting<T> setting);
}
