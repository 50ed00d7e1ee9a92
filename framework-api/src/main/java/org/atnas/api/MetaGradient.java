package org.atnas.api;

import static java.util.Objects.requireNonNull;

/**
 * The meta-gradient of one (architecture, task) pair and what the adapted subnet scored.
 *
 * @param gradient owned by the worker that computed it; the caller closes it after the outer update
 * @param adaptation query loss and accuracy at the adapted weights
 */
public record MetaGradient(Gradient gradient, Adaptation adaptation)
{
    public MetaGradient
    {
        requireNonNull(gradient, "gradient is null");
        requireNonNull(adaptation, "adaptation is null");
    }
}
