package org.atnas.backend.djl;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import org.atnas.api.BackendCapability;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Supernet;
import org.atnas.api.WeightBackend;
import org.atnas.api.network.NetworkDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The weight backend on DJL and PyTorch (libtorch CPU from {@code ai.djl.pytorch:pytorch-native-cpu},
 * no download at run time). Supports second-order gradients: libtorch's {@code autograd.grad} with
 * {@code create_graph}, in bounded memory (the graph goes with the meta-gradient).
 */
public final class DjlBackend
        implements WeightBackend
{
    public static final String NAME = "djl";
    private static final Logger log = LoggerFactory.getLogger(DjlBackend.class);

    private final DataType dataType;
    private final int imagesInFlight;
    private final MemoryFormat memoryFormat;

    /**
     * Starts the PyTorch engine. Thread settings are read once per JVM, when the engine starts.
     *
     * @param threads intra-op threads of each thread that runs passes ({@link PassThreads}); 0 leaves
     *         PyTorch's default (all cores)
     * @param cacheDirectory where the natives are unpacked; empty for DJL's default ({@code ~/.djl.ai})
     * @param dataType FLOAT32, or FLOAT64 for gradient checks
     * @param imagesInFlight the most images whose passes a supernet's workers hold at once (see
     *         {@link PassGate}); 0 for no bound
     * @param memoryFormat how passes lay out their activations
     * @throws IllegalArgumentException if {@code imagesInFlight} is negative
     * @throws IllegalStateException naming the cause when the engine does not start
     */
    public DjlBackend(int threads, Optional<Path> cacheDirectory, DataType dataType, int imagesInFlight, MemoryFormat memoryFormat)
    {
        this.dataType = requireNonNull(dataType, "dataType is null");
        this.memoryFormat = requireNonNull(memoryFormat, "memoryFormat is null");
        this.imagesInFlight = PassGate.checkLimit(imagesInFlight);
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT64) {
            throw new IllegalArgumentException("The DJL backend computes in FLOAT32 or FLOAT64, not " + dataType);
        }
        System.setProperty("ai.djl.offline", "true");
        // an INFO line per engine start otherwise; the optimizer serves TorchScript, which this backend does not use
        System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        cacheDirectory.ifPresent(directory -> System.setProperty("ENGINE_CACHE_DIR", directory.toAbsolutePath().toString()));
        long start = System.nanoTime();
        Engine engine;
        try {
            engine = Engine.getEngine("PyTorch");
        }
        catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("The PyTorch engine did not start (natives from ai.djl.pytorch:pytorch-native-cpu, unpacked into "
                    + cacheDirectory.map(Path::toString).orElse("~/.djl.ai") + "): " + e.getMessage(), e);
        }
        PassThreads.LIBTORCH.engineStarted();
        log.debug("PyTorch {} started in {} ms; {} intra-op threads per pass thread", engine.getVersion(), (System.nanoTime() - start) / 1_000_000, PassThreads.LIBTORCH.perPass());
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public Set<BackendCapability> capabilities()
    {
        return EnumSet.of(BackendCapability.SECOND_ORDER);
    }

    @Override
    public Supernet createSupernet(NetworkDescription supernet, MetaUpdate metaUpdate, long seed)
    {
        return new DjlSupernet(requireNonNull(supernet, "supernet is null"), requireNonNull(metaUpdate, "metaUpdate is null"), dataType, imagesInFlight, memoryFormat, seed);
    }

    @Override
    public void close()
    {
        // the engine lives as long as the JVM; supernets release their own arrays
    }
}
