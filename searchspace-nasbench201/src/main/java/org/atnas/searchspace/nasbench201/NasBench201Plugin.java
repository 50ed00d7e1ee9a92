package org.atnas.searchspace.nasbench201;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.atnas.api.FitnessTable;
import org.atnas.api.SearchSpace;
import org.atnas.api.plugin.ApiVersion;
import org.atnas.api.plugin.ComponentContext;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Plugin;
import org.atnas.api.plugin.Setting;

/** Offers the {@code nasbench201} search space. */
public final class NasBench201Plugin
        implements Plugin
{
    static final Setting<Integer> CELLS_PER_STAGE = Setting.integer("nasbench201.cells-per-stage", 5, 1, 64,
            "Cells in each of the three stages of the network (the benchmark: 5).");
    static final Setting<Integer> CHANNELS = Setting.integer("nasbench201.channels", 16, 1, 1024,
            "Channels of the first stage, doubled by each residual reduction block (the benchmark: 16).");
    static final Setting<Path> TABLE = Setting.path("nasbench201.table", null,
            "The NATS-Bench topology table nats_bench_tss.csv, for searches against measured accuracies (atnas bench evolver). Optional.");
    static final Setting<String> METRIC = Setting.oneOf("nasbench201.metric", TableMetric.CIFAR10.configName(), TableMetric.NAMES,
            "The table column used as fitness: test accuracy on CIFAR-10, CIFAR-100 or ImageNet16-120.");

    @Override
    public String apiVersion()
    {
        return ApiVersion.CURRENT;
    }

    @Override
    public List<ComponentFactory<?>> components()
    {
        return List.of(ComponentFactory.of(SearchSpace.class, NasBench201SearchSpace.NAME,
                "NAS-Bench-201 cells (5 ops, 6 edges, 15,625 codes), with the benchmark's measured accuracies",
                List.of(CELLS_PER_STAGE, CHANNELS, TABLE, METRIC),
                this::create));
    }

    private SearchSpace create(ComponentContext context)
    {
        String metricName = context.get(METRIC);
        TableMetric metric = TableMetric.fromConfigName(metricName).orElseThrow(() -> new IllegalArgumentException(
                "Invalid value [" + metricName + "] for key [" + METRIC.key() + "]: expected one of " + TableMetric.NAMES));
        Optional<FitnessTable> table = context.find(TABLE).map(file -> new LazyFitnessTable(file, metric));
        return new NasBench201SearchSpace(context.get(CELLS_PER_STAGE), context.get(CHANNELS), table);
    }
}
