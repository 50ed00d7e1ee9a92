package org.atnas.backend.nd4j;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The OpenMP threads of the ND4J ops a thread runs ({@code nd4j.threads}). ND4J's own setting
 * ({@code Environment.setMaxThreads}) does not reach oneDNN, which runs ND4J's convolutions: oneDNN
 * forms its OpenMP team from the calling thread's OpenMP setting, by default one thread per core.
 * With two workers on two cores, each worker's convolutions then ran two OpenMP threads, four in all,
 * and oneDNN's threads spun in its barrier (a {@code pause} loop in its JIT code) for 13% of the
 * workers' CPU time (perf, the benchmark's meta-step). OpenMP keeps this setting per thread, so every
 * thread that runs a pass sets it, once, before its first one.
 */
final class OpenMpThreads
{
    private final int threads;
    private final ThreadLocal<Boolean> applied = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** @param threads OpenMP threads per op; 0 leaves OpenMP's default (one per core) */
    OpenMpThreads(int threads)
    {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must not be negative, got " + threads);
        }
        this.threads = threads;
    }

    /** Makes the ND4J ops the calling thread runs from now on use the configured number of OpenMP threads. */
    void applyToCurrentThread()
    {
        if (threads == 0 || applied.get()) {
            return;
        }
        nativeOps().setOmpNumThreads(threads);
        applied.set(Boolean.TRUE);
    }

    /** OpenMP's thread count for the calling thread's next op. */
    static int currentThreadCount()
    {
        return nativeOps().ompGetMaxThreads();
    }

    private static NativeOps nativeOps()
    {
        // the natives' holder reads what loading ND4J's backend sets up
        Nd4j.getBackend();
        return NativeOpsHolder.getInstance().getDeviceNativeOps();
    }
}
