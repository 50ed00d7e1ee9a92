package org.atnas.core.search;

import java.util.Map;

/**
 * What a checkpoint records of where a run came from.
 *
 * @param components the component of each service by its key, with the plugin's version ({@code djl 0.1.0})
 * @param configuration the effective configuration
 */
public record Provenance(Map<String, String> components, Map<String, String> configuration)
{
    public Provenance
    {
        components = Map.copyOf(components);
        configuration = Map.copyOf(configuration);
    }

    /** For runs that are never resumed (benchmarks, tests). */
    public static Provenance none()
    {
        return new Provenance(Map.of(), Map.of());
    }
}
