package org.atnas.backend.djl;

import java.util.HashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/**
 * Scratch running-mean and running-variance arrays for batch norm, one pair per channel count
 * and worker. The fused batch-norm op needs them even when it normalises with the batch's
 * statistics; what it writes into them is never read.
 */
final class NormBuffers
{
    private final NDManager manager;
    private final Map<Integer, NDList> buffers = new HashMap<>();

    NormBuffers(NDManager manager)
    {
        this.manager = manager;
    }

    NDList buffers(int channels, NDArray like)
    {
        return buffers.computeIfAbsent(channels, count -> {
            NDArray mean = manager.zeros(new Shape(count), like.getDataType());
            NDArray variance = manager.ones(new Shape(count), like.getDataType());
            // made inside a forward's scope, they must outlive it
            NDScope.unregister(mean, variance);
            return new NDList(mean, variance);
        });
    }
}
