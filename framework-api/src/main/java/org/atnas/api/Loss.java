package org.atnas.api;

/**
 * The result of a forward pass of a subnet on a batch: the mean cross-entropy loss and the
 * accuracy. It keeps what {@link BackendWorker#gradient} needs to differentiate it.
 */
public interface Loss
        extends BackendHandle
{
    /** Mean cross-entropy over the batch. */
    double value();

    /** Fraction of the batch whose arg-max logit equals the label, in [0, 1]. */
    double accuracy();
}
