package org.atnas.backend.djl;

import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

import ai.djl.pytorch.jni.JniUtils;

import static java.util.Objects.requireNonNull;

/**
 * libtorch's intra-op threads, given per thread: the configured number to each thread that runs
 * passes, one to the thread that started the engine.
 *
 * <p>Why not the engine's setting for all: with it, one worker with two intra-op threads ran slower
 * than with one. Its OpenMP threads (GNU libgomp) slept and were woken through the kernel around
 * every parallel op: 158,636 context switches in a 16 s benchmark, against 489 for the PyTorch peer.
 * With the engine's thread at one and each pass thread setting its own count, about 7,000, and two
 * threads 1.2x faster than one (docs/benchmarks.md). libgomp cuts its spinning when its teams
 * count more threads than there are cores; another team beside the worker's is the likely cause.
 */
final class PassThreads
{
    /** libtorch's: its settings are the calling thread's (and the default of threads that start later). */
    static final PassThreads LIBTORCH = new PassThreads(JniUtils::getNumThreads, JniUtils::setNumThreads);

    private final IntSupplier current;
    private final IntConsumer set;
    private final ThreadLocal<Boolean> claimed = ThreadLocal.withInitial(() -> false);
    /** Intra-op threads of a pass thread; 0 until the engine started. */
    private int perPass;

    /**
     * @param current the calling thread's intra-op threads
     * @param set sets the calling thread's intra-op threads
     */
    PassThreads(IntSupplier current, IntConsumer set)
    {
        this.current = requireNonNull(current, "current is null");
        this.set = requireNonNull(set, "set is null");
    }

    /**
     * Called on the thread that started the engine, once it started: keeps the engine's intra-op
     * thread count (the configured one, or PyTorch's default) for the pass threads and leaves the
     * calling thread one. Later calls change nothing: the engine reads its settings once per JVM.
     */
    synchronized void engineStarted()
    {
        if (perPass == 0) {
            perPass = current.getAsInt();
            set.accept(1);
        }
    }

    /**
     * Intra-op threads each pass thread gets.
     *
     * @throws IllegalStateException before the engine started
     */
    synchronized int perPass()
    {
        if (perPass == 0) {
            throw new IllegalStateException("The PyTorch engine has not started: pass threads have no intra-op thread count yet");
        }
        return perPass;
    }

    /** Gives the calling thread the intra-op threads of a pass thread, the first time it runs a pass. */
    void claim()
    {
        if (!claimed.get()) {
            synchronized (this) {
                // one thread at a time: libtorch's setting also resizes process-wide thread pools
                set.accept(perPass());
            }
            claimed.set(true);
        }
    }
}
