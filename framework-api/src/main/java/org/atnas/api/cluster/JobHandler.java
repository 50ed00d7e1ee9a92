package org.atnas.api.cluster;

/**
 * Serves the jobs other members send to this one: bytes in, bytes out. The bytes are the engine's
 * own encoding; the cluster service only carries them.
 */
@FunctionalInterface
public interface JobHandler
{
    /**
     * Runs one job. Called on a thread of the cluster service, possibly for several jobs at once;
     * the handler orders its work itself.
     *
     * @param from the member that submitted the job
     * @param job the bytes given to {@link ClusterService#submit}; never null
     * @return the reply the submitter's future completes with; never null
     * @throws RuntimeException to fail the job: the submitter's future completes with a
     *     {@link ClusterJobException} carrying this exception's message
     */
    byte[] handle(ClusterMember from, byte[] job);
}
