package org.atnas.api;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The supernet's weights and Adam state as heap arrays: what a checkpoint stores. Arrays are in the
 * shapes of the {@link org.atnas.api.network.ParameterSpec}s, flattened in row-major order.
 *
 * @param parameters every parameter of the supernet, by name
 * @param firstMoments Adam's first moments of the parameters that have been updated at least once
 * @param secondMoments Adam's second moments, same names as {@code firstMoments}
 * @param steps Adam's step count per parameter (only parameters a subnet used are stepped)
 */
public record SupernetState(Map<String, float[]> parameters, Map<String, float[]> firstMoments, Map<String, float[]> secondMoments, Map<String, Long> steps)
{
    public SupernetState
    {
        parameters = Map.copyOf(requireNonNull(parameters, "parameters is null"));
        firstMoments = Map.copyOf(requireNonNull(firstMoments, "firstMoments is null"));
        secondMoments = Map.copyOf(requireNonNull(secondMoments, "secondMoments is null"));
        steps = Map.copyOf(requireNonNull(steps, "steps is null"));
        if (!firstMoments.keySet().equals(secondMoments.keySet()) || !firstMoments.keySet().equals(steps.keySet())) {
            throw new IllegalArgumentException("Adam state must name the same parameters in its first moments, second moments and steps");
        }
    }
}
