package org.atnas.api;

/** Optional abilities of a {@link WeightBackend}. */
public enum BackendCapability
{
    /**
     * {@link BackendWorker#gradient} with {@code createGraph = true} keeps the gradient in the
     * graph, so an inner loop can be differentiated again (second-order MAML).
     */
    SECOND_ORDER
}
