package org.atnas.backend.djl;

import java.nio.file.Path;
import java.util.List;

import ai.djl.ndarray.types.DataType;
import org.atnas.api.WeightBackend;
import org.atnas.api.plugin.ApiVersion;
import org.atnas.api.plugin.ComponentContext;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Plugin;
import org.atnas.api.plugin.Setting;

/** Offers the {@code djl} weight backend. */
public final class DjlPlugin
        implements Plugin
{
    static final Setting<Integer> THREADS = Setting.integer("djl.threads", 0, 0, 1024,
            "Intra-op threads of PyTorch for each worker (workers x threads should not pass the cores); 0 for PyTorch's default (one per core). Read once, when the engine starts.");
    static final Setting<Path> CACHE_DIRECTORY = Setting.path("djl.cache-directory", null,
            "Where the PyTorch natives (about 430 MB) are unpacked on first use; default ~/.djl.ai.");
    static final Setting<String> PRECISION = Setting.oneOf("djl.precision", "float32", List.of("float32", "float64"),
            "Floating-point precision of the supernet: float32, or float64 (slower; for gradient checks).");
    static final Setting<Integer> IMAGES_IN_FLIGHT = Setting.integer("djl.images-in-flight", 0, 0, 1_000_000,
            "Most images whose passes the workers hold at once, from a forward pass until its gradient is taken; a pass that does not fit waits. "
                    + "0 for no bound. 100 lets one 75-image query pass run at a time: on the benchmark's meta-step, a quarter less peak memory (half with ATNAS_MALLOC=tcmalloc) for 15-30% more time (docs/benchmarks.md).");
    static final Setting<String> MEMORY_FORMAT = Setting.oneOf("djl.memory-format", MemoryFormat.CHANNELS_LAST.key(), MemoryFormat.keys(),
            "Layout of the activations in memory: channels-last (NHWC; libtorch's convolutions, batch norm and pooling run faster on it: "
                    + "1.43x nchw's meta-steps per second on the benchmark, at 10-15% less peak memory, docs/benchmarks.md) "
                    + "or nchw (PyTorch's default layout; it computes, to the bit, what runs made before channels-last became the default computed).");

    @Override
    public String apiVersion()
    {
        return ApiVersion.CURRENT;
    }

    @Override
    public List<ComponentFactory<?>> components()
    {
        return List.of(ComponentFactory.of(WeightBackend.class, DjlBackend.NAME,
                "DJL + PyTorch (libtorch CPU), weight-sharing supernet, second-order gradients",
                List.of(THREADS, CACHE_DIRECTORY, PRECISION, IMAGES_IN_FLIGHT, MEMORY_FORMAT),
                this::create));
    }

    private WeightBackend create(ComponentContext context)
    {
        String precision = context.get(PRECISION);
        DataType dataType = switch (precision) {
            case "float32" -> DataType.FLOAT32;
            case "float64" -> DataType.FLOAT64;
            default -> throw new IllegalArgumentException("Invalid value [" + precision + "] for key [" + PRECISION.key() + "]: expected float32 or float64");
        };
        return new DjlBackend(context.get(THREADS), context.find(CACHE_DIRECTORY), dataType, context.get(IMAGES_IN_FLIGHT), MemoryFormat.of(context.get(MEMORY_FORMAT)));
    }
}
