package org.atnas.api.cluster;

import static java.util.Objects.requireNonNull;

/** A member left the cluster (stopped, crashed or unreachable) before it answered a job. */
public final class MemberLostException
        extends ClusterJobException
{
    private final ClusterMember member;

    public MemberLostException(ClusterMember member, Throwable cause)
    {
        super("Member " + requireNonNull(member, "member is null") + " left the cluster before it answered", cause);
        this.member = member;
    }

    /** The member that left. */
    public ClusterMember member()
    {
        return member;
    }
}
