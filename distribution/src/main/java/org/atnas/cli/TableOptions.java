package org.atnas.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.atnas.api.FitnessTable;
import org.atnas.api.SearchSpace;
import org.atnas.core.ServiceType;
import picocli.CommandLine.Option;

/** {@code --table FILE}: the NAS-Bench-201 table the benchmarks search against. */
final class TableOptions
{
    @Option(names = "--table", required = true, paramLabel = "FILE", description = "nats_bench_tss.csv (sets nasbench201.table).")
    Path table;

    /** The keys that select the NAS-Bench-201 space with this table. */
    Map<String, String> settings()
    {
        Map<String, String> fixed = new LinkedHashMap<>();
        fixed.put(ServiceType.SEARCH_SPACE.key(), "nasbench201");
        fixed.put("nasbench201.table", table.toString());
        return fixed;
    }

    /** The space's table. */
    static FitnessTable of(SearchSpace space)
    {
        return space.fitnessTable().orElseThrow(() -> new IllegalArgumentException("Search space [" + space.name() + "] has no fitness table"));
    }
}
