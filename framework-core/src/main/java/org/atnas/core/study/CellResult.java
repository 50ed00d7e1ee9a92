package org.atnas.core.study;

import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What a finished cell of a study measured ({@code cell.json} in its folder).
 *
 * @param id the cell's folder name
 * @param variant the variant's label
 * @param values each axis key's value
 * @param seed the cell's seed
 * @param budget the cell's budget in {@code unit}
 * @param unit {@code cpu-minutes} or {@code steps}
 * @param cpuMinutes CPU minutes the search and the final training used
 * @param searchSteps meta-steps of the search, warm-up included
 * @param trainingSteps meta-steps of the final training (0 without one)
 * @param code the architecture tested
 * @param genotype the space's notation of it
 * @param parameters its network's trainable parameters
 * @param multiplyAdds its multiply-adds per image
 * @param accuracy mean meta-test query accuracy
 * @param confidence95 half-width of its 95% interval over the tasks
 * @param tasks meta-test tasks
 * @param fitness the search's final meta-val fitness of the tested architecture (NaN if not measured)
 */
public record CellResult(String id, String variant, Map<String, String> values, long seed, double budget, String unit, double cpuMinutes, int searchSteps, int trainingSteps,
        String code, String genotype, long parameters, long multiplyAdds, double accuracy, double confidence95, int tasks, double fitness)
{
    public CellResult
    {
        requireNonNull(id, "id is null");
        requireNonNull(variant, "variant is null");
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        requireNonNull(code, "code is null");
        requireNonNull(genotype, "genotype is null");
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("accuracy must be in [0, 1], got " + accuracy);
        }
    }
}
