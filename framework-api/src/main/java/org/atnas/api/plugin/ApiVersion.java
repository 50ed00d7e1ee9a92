package org.atnas.api.plugin;

/**
 * The version of this API. A plugin returns {@link #CURRENT} from {@link Plugin#apiVersion()}:
 * being a compile-time constant, it is copied into the plugin's class file, so the plugin reports
 * the version it was compiled against, not the one it runs with.
 *
 * <p>A host accepts a plugin built against the same major version and a minor version no newer
 * than its own: a minor version only adds to the API, so a plugin built against an older one still
 * links.
 *
 * <ul>
 *     <li>1.0: the first API.</li>
 *     <li>1.1: {@link Setting#oneOf}, a setting that is one of a closed list of words, and
 *         {@link Setting#choices()}.</li>
 *     <li>1.2: {@link org.atnas.api.cluster.ClusterService}, a cluster of JVMs, and
 *         {@link org.atnas.api.BackendWorker#gradientOf}, a gradient from another JVM's values;
 *         {@link org.atnas.api.Supernet#applyGradient}, the supervised update of Algorithm 3
 *         (a learning rate per step and decoupled weight decay).</li>
 * </ul>
 */
public final class ApiVersion
{
    /** {@code major.minor}. */
    public static final String CURRENT = "1.2";

    private ApiVersion() {}
}
