package org.atnas.backend.nd4j;

import java.util.concurrent.atomic.AtomicLong;

import org.bytedeco.javacpp.Pointer;

/**
 * Keeps ND4J's native memory bounded. ND4J frees an array's native buffer when the garbage collector
 * has found its Java object dead (a weak reference, processed by ND4J's deallocator threads). The Java
 * objects are tiny and live for a whole pass, so they reach the old generation, which the JVM collects
 * only when the Java heap fills: before {@link PassArrays} closed a gradient pass's arrays, SameDiff's
 * dead activations piled up, about 0.9 GB per meta-step of a C = 4 network, 12 GB in the benchmark
 * at C = 16. What is still left to the collector is smaller (arrays SameDiff makes outside a pass's
 * ops), but the collections requested here still take about 300 MB off the benchmark's peak. When
 * the process's resident memory is above a limit after a pass, a collection is requested, at most
 * once a second across workers; the buffers it finds dead are freed within milliseconds. (ND4J's own
 * periodic collection, {@code togglePeriodicGc}, does not start once its deallocator threads wait
 * for a first dead buffer, which never comes.) The arrays the workers' {@link ArrayPool} keeps
 * count against the limit like any others: leaving them out let the dead buffers pile up between
 * rarer collections, to a peak of 2.6 GB over 60 meta-steps of the benchmark.
 */
final class NativeMemory
{
    private static final long MIN_INTERVAL_NANOS = 1_000_000_000L;
    private static final AtomicLong lastCollection = new AtomicLong(System.nanoTime() - MIN_INTERVAL_NANOS);

    private final long limitBytes;
    private final ArrayPool pool;

    /**
     * @param limitMegabytes resident memory above which a collection is requested; 0 never requests one
     * @param reuseMegabytes the most the workers' pool keeps of their passes' freed arrays; 0 keeps none
     */
    NativeMemory(int limitMegabytes, int reuseMegabytes)
    {
        if (limitMegabytes < 0) {
            throw new IllegalArgumentException("limitMegabytes must not be negative, got " + limitMegabytes);
        }
        if (reuseMegabytes < 0) {
            throw new IllegalArgumentException("reuseMegabytes must not be negative, got " + reuseMegabytes);
        }
        this.limitBytes = limitMegabytes * 1024L * 1024L;
        this.pool = new ArrayPool(reuseMegabytes * 1024L * 1024L);
    }

    /** The pool the workers' gradient passes free into and allocate from, shared by all of them. */
    ArrayPool pool()
    {
        return pool;
    }

    /** Called after each pass: requests a collection if resident memory is above the limit and none was requested in the last second. */
    void afterPass()
    {
        if (limitBytes == 0 || Pointer.physicalBytes() <= limitBytes) {
            return;
        }
        long last = lastCollection.get();
        long now = System.nanoTime();
        if (now - last >= MIN_INTERVAL_NANOS && lastCollection.compareAndSet(last, now)) {
            System.gc();
        }
    }
}
