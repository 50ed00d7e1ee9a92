package org.atnas.cluster.hazelcast;

import java.util.List;

import org.atnas.api.cluster.ClusterService;
import org.atnas.api.plugin.ApiVersion;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Plugin;
import org.atnas.api.plugin.Setting;

/** Offers the {@code hazelcast} cluster service. */
public final class HazelcastPlugin
        implements Plugin
{
    static final Setting<String> MEMBERS = Setting.string("hazelcast.members", "127.0.0.1:5701",
            "The cluster's members as HOST:PORT,HOST:PORT,...: the only addresses this member looks for others at (no multicast, no discovery).");
    static final Setting<String> BIND_ADDRESS = Setting.string("hazelcast.bind-address", "127.0.0.1",
            "The local address this member listens on and connects from; the default accepts this machine only. Use the address of a trusted network, never a public one: Hazelcast open source has no authentication.");
    static final Setting<Integer> PORT = Setting.integer("hazelcast.port", 5701, 1, 65535,
            "The port this member listens on (no automatic increment: a taken port is an error).");
    static final Setting<String> NAME = Setting.string("hazelcast.cluster-name", "atnas",
            "The cluster's name: members join only a cluster of the same name, so that two searches on one network stay apart (a name, not a password).");

    @Override
    public String apiVersion()
    {
        return ApiVersion.CURRENT;
    }

    @Override
    public List<ComponentFactory<?>> components()
    {
        return List.of(ComponentFactory.of(ClusterService.class, HazelcastClusterService.NAME,
                "Hazelcast 5.5 members on an explicit TCP/IP member list: places search workers on other JVMs",
                List.of(MEMBERS, BIND_ADDRESS, PORT, NAME),
                context -> new HazelcastClusterService(
                        HazelcastClusterService.members(context.get(MEMBERS)), context.get(BIND_ADDRESS), context.get(PORT), context.get(NAME))));
    }
}
