package org.atnas.backend.nd4j;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The memory manager of the gradient sessions: the arrays {@link PassArrays} frees are kept, by data
 * type, shape and order, and handed out again for the next op output of the same kind. Every pass
 * of a network computes the same shapes (a support pass and a query pass differ only in the batch),
 * so after the first passes almost no op output is a fresh allocation. A fresh one costs more than
 * its size suggests: libnd4j zero-fills every buffer it allocates, and the pages of a large block
 * are new to the process (page faults, then the zeroing: together about 40% of the worker threads'
 * samples in {@code perf} on the protocol's workload).
 *
 * <p>Only {@link #give} returns an array to the pool, never the session's own {@link #release}: the
 * session considers an array dead on rules of its own and would hand out one that the listener has
 * already pooled, or still tracks (two ops writing one buffer). Reused arrays are not cleared:
 * SameDiff's default memory manager reuses op outputs the same way, so ops overwrite their outputs.
 *
 * <p>The pool holds at most {@code capacityBytes}; an array given beyond that is closed. The workers
 * of a backend share one pool (thread-safe): while one worker is in a query pass, the arrays another
 * freed at the end of its own are there for it, rather than idle in a pool of their own (with a
 * pool per worker, the benchmark's resident memory reached 2.7 GB within 28 meta-steps; shared, it
 * stayed at 2.1–2.2 GB over 60).
 */
final class ArrayPool
        extends AbstractMemoryMgr
{
    private final long capacityBytes;
    private final Map<Key, ArrayDeque<INDArray>> free = new HashMap<>();
    private long pooledBytes;

    /** @param capacityBytes the most the pool keeps between uses; 0 keeps nothing (every array given is closed) */
    ArrayPool(long capacityBytes)
    {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacityBytes must not be negative, got " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    // a fresh array is made outside the lock: its zero-filling would hold up the other workers' allocations and gives
    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape)
    {
        INDArray pooled = take(Key.of(dataType, shape, 'c'));
        return pooled != null ? pooled : Nd4j.createUninitialized(dataType, shape);
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor)
    {
        INDArray pooled = descriptor.isEmpty() ? null : take(Key.of(descriptor.dataType(), descriptor.getShape(), descriptor.getOrder()));
        return pooled != null ? pooled : Nd4j.create(descriptor, false);
    }

    /** Ignored: only {@link #give} returns arrays (see the class comment). */
    @Override
    public void release(INDArray array)
    {
    }

    /**
     * Returns an array nothing reads any more, to be handed out again: a dense array with its own
     * buffer is kept while the pool has room, anything else is closed (a closed one is ignored).
     */
    synchronized void give(INDArray array)
    {
        if (array == null || array.wasClosed()) {
            return;
        }
        long bytes = bytes(array);
        boolean dense = !array.isView() && !array.isEmpty() && array.data().length() == array.length() && Shape.hasDefaultStridesForShape(array);
        if (!dense || pooledBytes + bytes > capacityBytes) {
            Nd4jArrays.close(array);
            return;
        }
        free.computeIfAbsent(Key.of(array.dataType(), array.shape(), array.ordering()), key -> new ArrayDeque<>()).push(array);
        pooledBytes += bytes;
    }

    /** Bytes held for reuse. */
    synchronized long pooledBytes()
    {
        return pooledBytes;
    }

    /** Frees every pooled array. */
    @Override
    public synchronized void close()
    {
        free.values().forEach(arrays -> arrays.forEach(Nd4jArrays::close));
        free.clear();
        pooledBytes = 0;
    }

    private synchronized INDArray take(Key key)
    {
        ArrayDeque<INDArray> arrays = free.get(key);
        if (arrays == null || arrays.isEmpty()) {
            return null;
        }
        INDArray array = arrays.pop();
        pooledBytes -= bytes(array);
        return array;
    }

    private static long bytes(INDArray array)
    {
        return array.length() * array.dataType().width();
    }

    private record Key(DataType dataType, List<Long> shape, char order)
    {
        static Key of(DataType dataType, long[] shape, char order)
        {
            return new Key(dataType, Arrays.stream(shape).boxed().toList(), order);
        }
    }
}
