package org.atnas.api;

/** Optional abilities of a {@link WeightBackend}. */
public enum BackendCapability
{
    /**
     * {@link BackendWorker#gradient} with {@code createGraph = true} keeps the gradient in the
     * graph, so an inner loop can be differentiated again (second-order MAML). Offering it also
     * promises bounded memory: the graph of an inner loop is released once the gradient through it
     * has been taken without {@code createGraph} and its handles are closed, so native memory stays
     * flat over any number of second-order meta-steps (the conformance kit checks this). A backend
     * that cannot keep that promise does not offer the capability, and the engine refuses
     * second-order MAML on it at startup instead of running out of memory.
     */
    SECOND_ORDER
}
