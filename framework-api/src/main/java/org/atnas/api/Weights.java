package org.atnas.api;

/**
 * The weights of one subnet, held by the backend: either a view of the supernet's current weights
 * ({@link BackendWorker#weights}) or the result of an inner-loop step ({@link BackendWorker#sgdStep}).
 * Never changes once made.
 */
public interface Weights
        extends BackendHandle
{
}
