package org.atnas.core.search;

import java.util.List;

import org.atnas.api.plugin.Setting;

/** The keys of a search on a cluster ({@code cluster} selects the cluster service; its component declares where the members are). */
public final class ClusterSettings
{
    public static final Setting<Integer> WAIT_FOR = Setting.integer("cluster.wait-for", 1, 1, 1024,
            "With a cluster: the workers (JVMs running atnas worker) the search waits for before its first meta-step; workers that join later are not used.");
    public static final Setting<Integer> WAIT_SECONDS = Setting.integer("cluster.wait-seconds", 120, 1, 86_400,
            "With a cluster: how long the search waits for cluster.wait-for workers before it fails.");

    private ClusterSettings() {}

    public static List<Setting<?>> all()
    {
        return List.of(WAIT_FOR, WAIT_SECONDS);
    }
}
