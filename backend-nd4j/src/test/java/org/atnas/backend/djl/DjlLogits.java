package org.atnas.backend.djl;

import java.util.HashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.atnas.api.ImageBatch;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;

/** The DJL backend's logits for given weights, for the cross-backend parity test (the API hands out losses, not logits). */
public final class DjlLogits
{
    private DjlLogits() {}

    public static float[] logits(NetworkDescription network, Map<String, float[]> weights, ImageBatch batch)
    {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> arrays = new HashMap<>();
            for (ParameterSpec parameter : network.parameters()) {
                long[] shape = java.util.Arrays.stream(parameter.shape()).asLongStream().toArray();
                arrays.put(parameter.name(), DjlSupernet.owned(manager, weights.get(parameter.name()), new Shape(shape), DataType.FLOAT32));
            }
            NDArray input = DjlSupernet.owned(manager, batch.pixels(), new Shape(batch.size(), batch.shape().channels(), batch.shape().height(), batch.shape().width()), DataType.FLOAT32);
            return new DjlNetwork(network, MemoryFormat.CHANNELS_LAST).forward(input, arrays, new NormBuffers(manager)).toFloatArray();
        }
    }
}
