package org.atnas.core.search;

import java.util.Map;

import org.atnas.api.cluster.ClusterService;

import static java.util.Objects.requireNonNull;

/**
 * How a search places its 𝒦 workers on a cluster.
 *
 * @param service the cluster service, not yet started
 * @param fingerprint the coordinator's: workers whose own differs are refused
 * @param configuration the effective configuration a worker runs the search's pairs with (no {@code cluster} keys)
 * @param waitFor workers to wait for before the first meta-step
 * @param waitSeconds how long to wait for them
 */
public record ClusterSetup(ClusterService service, ClusterFingerprint fingerprint, Map<String, String> configuration, int waitFor, int waitSeconds)
{
    public ClusterSetup
    {
        requireNonNull(service, "service is null");
        requireNonNull(fingerprint, "fingerprint is null");
        configuration = Map.copyOf(configuration);
    }
}
