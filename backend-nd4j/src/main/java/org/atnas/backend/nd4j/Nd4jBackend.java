package org.atnas.backend.nd4j;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.atnas.api.BackendCapability;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Supernet;
import org.atnas.api.WeightBackend;
import org.atnas.api.network.NetworkDescription;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The weight-sharing supernet on ND4J (CPU natives from Maven Central, or CUDA with the {@code cuda}
 * build profile): the workers run libnd4j's ops eagerly, with backward steps of their own, or as
 * SameDiff graphs ({@link Executor}). First order only: the inner loop's gradients are not
 * differentiable, so first-order MAML and Reptile run on it, second-order MAML does not.
 */
public final class Nd4jBackend
        implements WeightBackend
{
    public static final String NAME = "nd4j";
    private static final Logger log = LoggerFactory.getLogger(Nd4jBackend.class);

    private final DataType dataType;
    private final NativeMemory memory;
    private final OpenMpThreads openMp;
    private final boolean opTimes;
    private final Executor.Kind executor;

    /**
     * Starts ND4J.
     *
     * @param threads ND4J's threads and the OpenMP threads per operation on each thread that runs a pass (see {@link OpenMpThreads}); 0 leaves the defaults (all cores)
     * @param collectAboveMegabytes resident memory above which a pass requests a garbage collection (see {@link NativeMemory}); 0 for never
     * @param reuseMegabytes the most the workers keep (in all) of their passes' freed arrays for the next op outputs (see {@link ArrayPool}); 0 for none
     * @param dataType FLOAT, or DOUBLE for gradient checks
     * @throws IllegalStateException naming the cause when the natives do not load
     */
    public Nd4jBackend(int threads, int collectAboveMegabytes, int reuseMegabytes, DataType dataType)
    {
        this(threads, collectAboveMegabytes, reuseMegabytes, dataType, false);
    }

    /**
     * Starts ND4J, as {@link #Nd4jBackend(int, int, int, DataType)}.
     *
     * @param opTimes whether each supernet times its gradient passes' ops and logs where their time went when it closes (see {@link OpTimes})
     */
    public Nd4jBackend(int threads, int collectAboveMegabytes, int reuseMegabytes, DataType dataType, boolean opTimes)
    {
        this(threads, collectAboveMegabytes, reuseMegabytes, dataType, opTimes, Executor.Kind.EAGER);
    }

    /**
     * Starts ND4J, as {@link #Nd4jBackend(int, int, int, DataType, boolean)}.
     *
     * @param executor how the workers compute their subnets: eagerly, op by op, or as SameDiff graphs (see {@link Executor})
     */
    Nd4jBackend(int threads, int collectAboveMegabytes, int reuseMegabytes, DataType dataType, boolean opTimes, Executor.Kind executor)
    {
        this.opTimes = opTimes;
        this.executor = requireNonNull(executor, "executor is null");
        this.dataType = requireNonNull(dataType, "dataType is null");
        this.memory = new NativeMemory(collectAboveMegabytes, reuseMegabytes);
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("The ND4J backend computes in FLOAT or DOUBLE, not " + dataType);
        }
        this.openMp = new OpenMpThreads(threads);
        long start = System.nanoTime();
        try {
            // oneDNN runs the convolutions (dilated depthwise ones, which it refuses, are built undilated: Nd4jNetwork)
            Nd4j.getEnvironment().allowHelpers(true);
            if (threads > 0) {
                Nd4j.getEnvironment().setMaxThreads(threads);
                Nd4j.getEnvironment().setMaxMasterThreads(threads);
            }
        }
        catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("ND4J did not start (natives from org.nd4j:nd4j-native, classifier linux-x86_64): " + e.getMessage(), e);
        }
        log.debug("ND4J {} started in {} ms", Nd4j.getBackend().getClass().getSimpleName(), (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public Set<BackendCapability> capabilities()
    {
        return EnumSet.noneOf(BackendCapability.class);
    }

    @Override
    public Supernet createSupernet(NetworkDescription supernet, MetaUpdate metaUpdate, long seed)
    {
        return new Nd4jSupernet(requireNonNull(supernet, "supernet is null"), requireNonNull(metaUpdate, "metaUpdate is null"), dataType, memory, openMp, opTimes ? Optional.of(new OpTimes()) : Optional.empty(), executor, seed);
    }

    @Override
    public void close()
    {
        // ND4J lives as long as the JVM; its arrays are freed with the supernets' and workers' objects, the pooled ones here
        memory.pool().close();
    }
}
