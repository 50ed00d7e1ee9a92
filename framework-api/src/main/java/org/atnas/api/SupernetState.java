package org.atnas.api;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.atnas.api.network.ParameterSpec;

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

    /**
     * Checks that this state fits a supernet with these parameters: every parameter, no other,
     * each with its number of values; Adam's moments only of those parameters. What every backend's
     * {@link Supernet#restore} checks before it changes anything.
     *
     * @throws IllegalArgumentException naming the first parameters that are missing, unknown or of another size
     */
    public void requireFits(Collection<ParameterSpec> specs)
    {
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        specs.forEach(spec -> byName.put(spec.name(), spec));
        if (!parameters.keySet().equals(byName.keySet())) {
            Set<String> missing = new LinkedHashSet<>(byName.keySet());
            missing.removeAll(parameters.keySet());
            Set<String> extra = new TreeSet<>(parameters.keySet());
            extra.removeAll(byName.keySet());
            throw new IllegalArgumentException("The state does not match this supernet: missing " + firstFew(missing) + ", unknown " + firstFew(extra));
        }
        for (ParameterSpec spec : byName.values()) {
            int length = parameters.get(spec.name()).length;
            if (length != spec.size()) {
                throw new IllegalArgumentException("Parameter " + spec.name() + " has " + length + " values in the state, the supernet " + spec.size());
            }
        }
        for (String name : firstMoments.keySet()) {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException("The state's Adam moments name parameter " + name + ", which the supernet does not have");
            }
        }
    }

    private static String firstFew(Set<String> names)
    {
        return names.isEmpty() ? "none" : names.size() <= 3 ? names.toString() : List.copyOf(names).subList(0, 3) + " and " + (names.size() - 3) + " more";
    }
}
