package org.atnas.core;

import java.util.Optional;

import org.atnas.api.Predictor;

/**
 * Makes the configured predictor: a new, untrained instance per call (a predictor is trained once
 * per use), or empty when {@code predictor = none}.
 */
@FunctionalInterface
public interface Predictors
{
    Optional<Predictor> create();

    /** No predictor: the paper's plain algorithm. */
    static Predictors none()
    {
        return Optional::empty;
    }
}
