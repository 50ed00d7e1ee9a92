package org.atnas.api;

import java.util.Set;

import org.atnas.api.network.NetworkDescription;

/**
 * A tensor library that holds the supernet weights W and trains subnets (W ⊙ A) on them.
 *
 * <p>The backend compiles {@link NetworkDescription}s written in the fixed op vocabulary of
 * {@link org.atnas.api.network.OpKind}; it knows op kinds, not search spaces. Parameters are named
 * by {@link org.atnas.api.network.ParameterSpec}, so weights move between backends by name.
 *
 * <p>Tensors never leave the backend during training: meta-optimizers work on opaque
 * {@link BackendHandle}s through a {@link BackendWorker}. Heap arrays appear only at the edges
 * (images in, scalars out, {@link SupernetState} for files and tests).
 *
 * <p>An instance is created once per run by its factory and may be called from any thread.
 */
public interface WeightBackend
        extends AutoCloseable
{
    /** The component name, as configured, for example {@code djl}. */
    String name();

    /** What this backend can do beyond the required operations. */
    Set<BackendCapability> capabilities();

    /**
     * Creates a supernet holding every parameter of {@code supernet}, initialised as each
     * {@link org.atnas.api.network.ParameterSpec.Role} says, from {@code seed} only.
     *
     * @param supernet the supernet description of a search space ({@link SearchSpace#describeSupernet})
     * @param metaUpdate the outer-update settings
     * @param seed the initialisation seed; the same seed gives the same weights on the same backend
     */
    Supernet createSupernet(NetworkDescription supernet, MetaUpdate metaUpdate, long seed);

    /** Releases everything the backend holds. Called once, after every supernet is closed. */
    @Override
    void close();
}
