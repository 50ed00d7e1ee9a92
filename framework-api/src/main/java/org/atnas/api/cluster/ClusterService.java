package org.atnas.api.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the engine needs from a cluster of JVMs (Sec. 3.4: the 𝒦 workers of the meta-search on
 * other machines): the members, jobs sent to one member or to all of them as bytes with bytes
 * back, and word when a member leaves. The engine encodes jobs and replies itself, so no class of
 * the engine or of a cluster library crosses this interface, and another cluster library can be
 * plugged in behind it.
 *
 * <p>Life cycle: the factory makes a service that is not yet part of any cluster; {@link #start}
 * makes this JVM a member and joins the configured others; {@link #close} leaves. Every method but
 * {@link #start} and {@link #close} may be called from any thread once started.
 *
 * <p>Security is the service's business: it says in its documentation what it does to keep
 * strangers out (an open-source cluster library may have no authentication at all).
 */
public interface ClusterService
        extends AutoCloseable
{
    /** The component name, as configured, for example {@code hazelcast}. */
    String name();

    /**
     * Starts this JVM's member and joins the cluster of the configured members; returns once this
     * member is part of a cluster (possibly alone: members that start later join it). Called once.
     *
     * @param handler serves the jobs other members send to this one
     * @throws ClusterJobException if the member cannot start (the message names the address or
     *     setting at fault)
     * @throws IllegalStateException if called twice
     */
    void start(JobHandler handler);

    /**
     * This JVM's member.
     *
     * @throws IllegalStateException before {@link #start}
     */
    ClusterMember self();

    /**
     * The members now in the cluster, this one included, oldest first: the same order on every
     * member.
     *
     * @throws IllegalStateException before {@link #start}
     */
    List<ClusterMember> members();

    /**
     * Sends a job to one member, whose {@link JobHandler} runs it. Returns at once.
     *
     * @return completes with the handler's reply; exceptionally with {@link MemberLostException}
     *     if the member leaves before it answers or is not a member (any more), with
     *     {@link ClusterJobException} if the handler threw or the job could not be delivered
     * @throws IllegalStateException before {@link #start}
     */
    CompletableFuture<byte[]> submit(ClusterMember member, byte[] job);

    /**
     * Sends the same job to every member but this one, as {@link #submit} to each.
     *
     * @return one future per member, in {@link #members()} order
     */
    Map<ClusterMember, CompletableFuture<byte[]>> broadcast(byte[] job);

    /**
     * Calls {@code listener} with each member that leaves from now on, on a thread of the service.
     * A listener must return quickly; the futures of the member's unanswered jobs fail with
     * {@link MemberLostException} on their own.
     */
    void onMemberLeft(Consumer<ClusterMember> listener);

    /** Leaves the cluster and releases the service's threads and sockets. Closing twice is allowed. */
    @Override
    void close();
}
