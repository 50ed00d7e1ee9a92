package org.atnas.backend.nd4j;

import java.util.List;
import java.util.Locale;

import org.atnas.api.WeightBackend;
import org.atnas.api.plugin.ApiVersion;
import org.atnas.api.plugin.ComponentContext;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Plugin;
import org.atnas.api.plugin.Setting;
import org.nd4j.linalg.api.buffer.DataType;

/** Offers the {@code nd4j} weight backend. */
public final class Nd4jPlugin
        implements Plugin
{
    static final Setting<Integer> THREADS = Setting.integer("nd4j.threads", 1, 0, 1024,
            "OpenMP threads per ND4J operation (oneDNN's convolutions included), set on each worker thread; 0 for OpenMP's default (one per core). One thread per worker was the fastest on small cells.");
    static final Setting<Integer> COLLECT_ABOVE = Setting.integer("nd4j.collect-above-mb", 1536, 0, 1_048_576,
            "ND4J frees native arrays only once the JVM has collected their Java objects: when the process's resident memory is above this many MB after a pass, a collection is requested (at most once a second); 0 never requests one.");
    static final Setting<Integer> REUSE = Setting.integer("nd4j.reuse-mb", 1024, 0, 1_048_576,
            "With nd4j.executor = samediff: the workers keep up to this many MB (in all) of the arrays their gradient passes have freed and compute the next op outputs of the same shape into them, instead of new (zero-filled, page-faulting) allocations; 0 frees them at once. The eager executor frees its arrays at once and allocates new ones (reuse ran no faster there).");
    static final Setting<Boolean> OP_TIMES = Setting.bool("nd4j.op-times", false,
            "Times every op of the gradient passes and, when the supernet closes (at the end of a run), logs where the passes' time went: per batch size, the time in ops and outside them (SameDiff's session, or the eager executor's Java and allocations), then the ops by total time. For profiling; two clock reads per op.");
    static final Setting<String> EXECUTOR = Setting.oneOf("nd4j.executor", "eager", List.of("eager", "samediff"),
            "How the workers compute a subnet: eager runs libnd4j's ops one after the other and its own backward steps; samediff builds a SameDiff graph per architecture and runs it in SameDiff's session (on the benchmark's meta-step 1.2 times as long, at 0.3 GB more memory).");
    static final Setting<String> PRECISION = Setting.oneOf("nd4j.precision", "float32", List.of("float32", "float64"),
            "Floating-point precision of the supernet: float32, or float64 (slower; for gradient checks).");

    @Override
    public String apiVersion()
    {
        return ApiVersion.CURRENT;
    }

    @Override
    public List<ComponentFactory<?>> components()
    {
        return List.of(ComponentFactory.of(WeightBackend.class, Nd4jBackend.NAME,
                "ND4J (oneDNN CPU natives; libnd4j's ops run eagerly, or as SameDiff graphs), weight-sharing supernet, first-order gradients",
                List.of(THREADS, COLLECT_ABOVE, REUSE, PRECISION, EXECUTOR, OP_TIMES),
                this::create));
    }

    private WeightBackend create(ComponentContext context)
    {
        String precision = context.get(PRECISION);
        DataType dataType = switch (precision) {
            case "float32" -> DataType.FLOAT;
            case "float64" -> DataType.DOUBLE;
            default -> throw new IllegalArgumentException("Invalid value [" + precision + "] for key [" + PRECISION.key() + "]: expected float32 or float64");
        };
        Executor.Kind executor = Executor.Kind.valueOf(context.get(EXECUTOR).toUpperCase(Locale.ROOT));
        return new Nd4jBackend(context.get(THREADS), context.get(COLLECT_ABOVE), context.get(REUSE), dataType, context.get(OP_TIMES), executor);
    }
}
