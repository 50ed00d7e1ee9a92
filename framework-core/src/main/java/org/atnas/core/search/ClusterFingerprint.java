package org.atnas.core.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.atnas.api.plugin.ApiVersion;
import org.atnas.core.plugin.InstalledPlugin;
import org.atnas.core.study.DataDigest;

import static java.util.Objects.requireNonNull;

/**
 * What must be the same on a worker as on the coordinator for the worker's meta-gradients to be the
 * ones the coordinator would compute: the API version, the installed plugins with their versions,
 * and the data (SHA-256 of {@code data.path}'s files).
 *
 * @param apiVersion the host's API version
 * @param plugins {@code name version} of every installed plugin, sorted
 * @param data the data's SHA-256 with its file count, or a note that the data is generated from the seed
 */
public record ClusterFingerprint(String apiVersion, List<String> plugins, String data)
{
    public ClusterFingerprint
    {
        requireNonNull(apiVersion, "apiVersion is null");
        plugins = List.copyOf(plugins);
        requireNonNull(data, "data is null");
    }

    /** This JVM's fingerprint for the data at {@code dataPath} (empty: generated data). */
    public static ClusterFingerprint of(List<InstalledPlugin> plugins, Optional<String> dataPath)
    {
        List<String> names = plugins.stream().map(plugin -> plugin.name() + " " + plugin.version()).sorted().toList();
        // one digest per data path (Omniglot comes in two zips); the paths themselves may differ between machines
        List<Map<String, Object>> digests = DataDigest.of(dataPath);
        String data = digests.stream().allMatch(digest -> digest.containsKey("sha256"))
                ? String.join(", ", digests.stream().map(digest -> "SHA-256 " + digest.get("sha256") + " of " + digest.get("files") + " files").toList())
                : "generated from the seed";
        return new ClusterFingerprint(ApiVersion.CURRENT, names, data);
    }

    /**
     * What differs between this worker's fingerprint and the coordinator's, in words, or empty.
     */
    public Optional<String> differences(ClusterFingerprint coordinator)
    {
        List<String> differences = new ArrayList<>();
        if (!apiVersion.equals(coordinator.apiVersion)) {
            differences.add("API version " + apiVersion + " here, " + coordinator.apiVersion + " at the coordinator");
        }
        if (!plugins.equals(coordinator.plugins)) {
            Set<String> missing = new LinkedHashSet<>(coordinator.plugins);
            missing.removeAll(plugins);
            Set<String> extra = new LinkedHashSet<>(plugins);
            extra.removeAll(coordinator.plugins);
            differences.add("plugins differ: the coordinator has " + (missing.isEmpty() ? "none" : missing) + " that this worker lacks, this worker has " + (extra.isEmpty() ? "none" : extra)
                    + " that the coordinator lacks");
        }
        if (!data.equals(coordinator.data)) {
            differences.add("data differ: " + data + " here, " + coordinator.data + " at the coordinator");
        }
        return differences.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", differences));
    }
}
