package org.atnas.core.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.atnas.api.FitnessTable;
import org.atnas.api.SearchSpace;
import org.atnas.core.ServiceType;

/**
 * The tabular benchmark the evolver and predictor benchmarks run against: NAS-Bench-201, whose
 * table gives every architecture's measured accuracy (the protocol of the paper's Sec. 4.4 and Fig. 6).
 */
public final class FitnessTables
{
    private FitnessTables() {}

    /** The keys that select the NAS-Bench-201 space with the table {@code file}. */
    public static Map<String, String> nasBench201(Path file)
    {
        Map<String, String> fixed = new LinkedHashMap<>();
        fixed.put(ServiceType.SEARCH_SPACE.key(), "nasbench201");
        fixed.put("nasbench201.table", file.toString());
        return fixed;
    }

    /**
     * The space's table.
     *
     * @throws IllegalArgumentException if the space has none
     */
    public static FitnessTable of(SearchSpace space)
    {
        return space.fitnessTable().orElseThrow(() -> new IllegalArgumentException("Search space [" + space.name() + "] has no fitness table"));
    }
}
