package org.atnas.api;

/**
 * An opaque object owned by a backend (weights, a gradient, a loss). Only the backend that made a
 * handle can read it; pass it back to the same {@link BackendWorker} (or, for gradients, to the
 * {@link Supernet} of that worker). Handles hold native memory: close each one when done with it.
 * Closing twice is allowed; using a closed handle throws {@link IllegalStateException}.
 */
public interface BackendHandle
        extends AutoCloseable
{
    @Override
    void close();
}
