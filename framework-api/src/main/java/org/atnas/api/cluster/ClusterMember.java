package org.atnas.api.cluster;

import static java.util.Objects.requireNonNull;

/**
 * One JVM of a cluster.
 *
 * @param id unique among the cluster's members for as long as the member lives; a member that
 *     restarts gets a new one
 * @param address where it listens, {@code host:port}, for messages to users
 */
public record ClusterMember(String id, String address)
{
    public ClusterMember
    {
        requireNonNull(id, "id is null");
        requireNonNull(address, "address is null");
    }

    @Override
    public String toString()
    {
        return address;
    }
}
