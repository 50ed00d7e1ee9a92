package org.atnas.backend.nd4j;

import java.util.List;
import java.util.Map;

import org.atnas.api.network.NetworkDescription;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a worker computes a subnet ({@code nd4j.executor}): eagerly, op by op ({@link EagerNetwork}),
 * or as a SameDiff graph ({@link Nd4jNetwork}). One per architecture and worker; not thread-safe.
 */
interface Executor
{
    /** The executors by the name {@code nd4j.executor} takes. */
    enum Kind
    {
        EAGER, SAMEDIFF
    }

    NetworkDescription description();

    /** The subnet's parameter names, in the description's order. */
    List<String> parameters();

    /**
     * One gradient pass: the mean cross-entropy of {@code input} (NCHW, the weights' type) against
     * {@code labels}, the logits, and the loss's gradient with respect to every parameter, in the
     * parameter's shape. The caller owns the gradient arrays; the executor frees everything else it
     * computed before it returns.
     *
     * @param weights the arrays of every parameter by name, read and not changed
     */
    Result gradients(Map<String, INDArray> weights, INDArray input, int[] labels);

    /** The logits of {@code input}, row by row; everything computed is freed before it returns. */
    float[] logits(Map<String, INDArray> weights, INDArray input);

    /** What a gradient pass returns: the loss, the logits row by row, the gradients by parameter name. */
    record Result(double loss, float[] logits, Map<String, INDArray> gradients) {}
}
