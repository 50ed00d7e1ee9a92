package org.atnas.api.plugin;

/**
 * The version of this API. A plugin returns {@link #CURRENT} from {@link Plugin#apiVersion()}:
 * being a compile-time constant, it is copied into the plugin's class file, so the plugin reports
 * the version it was compiled against, not the one it runs with.
 *
 * <p>A host accepts a plugin built against the same major version and a minor version no newer
 * than its own.
 */
public final class ApiVersion
{
    /** {@code major.minor}. */
    public static final String CURRENT = "1.0";

    private ApiVersion() {}
}
