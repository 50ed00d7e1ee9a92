package org.atnas.api;

import java.util.List;

import org.atnas.api.network.NetworkDescription;

/**
 * The supernet weights W and the Adam state of the outer update. Thread-safe: workers on several
 * threads read W while none of them is inside {@link #applyMetaGradient}; the engine calls
 * {@link #applyMetaGradient}, {@link #state} and {@link #restore} only between meta-steps, from one
 * thread.
 */
public interface Supernet
        extends AutoCloseable
{
    /** The description this supernet was created from. */
    NetworkDescription description();

    /**
     * A new worker: the per-thread context in which subnets are trained. One worker per parallel
     * meta-search worker (Sec. 3.4); each is used by one thread at a time.
     */
    BackendWorker newWorker();

    /**
     * The outer update (Eq. 6 and 7): W ← Adam(W, g) with g the sum of {@code gradients} divided by
     * their number; a parameter missing from a gradient counts as zero there. Only parameters that
     * at least one gradient names are updated (and only their Adam state advances).
     *
     * @param gradients meta-gradients made by workers of this supernet; not closed by this call
     * @throws IllegalArgumentException if the list is empty or a gradient comes from another supernet
     */
    void applyMetaGradient(List<Gradient> gradients);

    /**
     * The supervised update of Algorithm 3 (fast architecture transfer): W ← Adam(W, g) as
     * {@link #applyMetaGradient} with g = 1/P Σᵢ ∂Lᵢ/∂W ⊙ Aᵢ, the mean of the P subnets' gradients
     * (a parameter missing from a gradient counts as zero there), but with the learning rate of
     * this step instead of the {@link MetaUpdate}'s (so that a caller can follow a schedule) and
     * decoupled weight decay (AdamW): each updated parameter is first scaled by
     * {@code 1 − learningRate · weightDecay}. Only parameters that at least one gradient names are
     * updated (and only their Adam state advances). Same threading rule as {@link #applyMetaGradient}.
     *
     * <p>API 1.2. The default throws {@link UnsupportedOperationException}: a backend built against
     * an older API cannot train a supernet on a labelled data set.
     *
     * @param gradients gradients made by workers of this supernet; not closed by this call
     * @param learningRate Adam's learning rate for this step, positive
     * @param weightDecay the decoupled weight decay, 0 or more
     * @throws IllegalArgumentException if the list is empty, a gradient comes from another supernet
     *     or a rate is out of range
     */
    default void applyGradient(List<Gradient> gradients, double learningRate, double weightDecay)
    {
        throw new UnsupportedOperationException("The backend " + getClass().getName() + " predates API 1.2 and cannot train a supernet on a labelled data set");
    }

    /** A heap copy of W and the Adam state, for checkpoints and tests. */
    SupernetState state();

    /**
     * Replaces W and the Adam state.
     *
     * @throws IllegalArgumentException naming the parameter whose name or size does not match this supernet
     */
    void restore(SupernetState state);

    /** Releases the weights. Every worker must have been closed. */
    @Override
    void close();
}
