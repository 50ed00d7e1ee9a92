package org.atnas.api;

import java.util.Map;

import org.atnas.api.network.NetworkDescription;

/**
 * The operations a meta-optimizer builds inner loops from, on one thread. Every handle it returns
 * is owned by this worker and becomes invalid when the worker is closed. Not thread-safe: one
 * thread at a time; different workers may run at the same time on different threads.
 *
 * <p>None of these operations changes W; only {@link Supernet#applyMetaGradient} does.
 */
public interface BackendWorker
        extends AutoCloseable
{
    /**
     * Compiles a subnet of this worker's supernet.
     *
     * @throws IllegalArgumentException if the description uses a parameter the supernet lacks or
     *     has with another shape (the message names it)
     */
    Subnet compile(NetworkDescription subnet);

    /**
     * The subnet's weights W ⊙ A as they are now. With {@code differentiable}, gradients of later
     * losses can be taken with respect to these weights through inner-loop steps (requires
     * {@link BackendCapability#SECOND_ORDER} for steps made with {@code createGraph}).
     */
    Weights weights(Subnet subnet, boolean differentiable);

    /**
     * Forward pass of the subnet with the given weights on a batch (batch norm uses the batch's
     * statistics). The labels are the batch's; the subnet's class count must exceed every label.
     */
    Loss forward(Subnet subnet, Weights weights, ImageBatch batch);

    /**
     * The gradient of a loss with respect to {@code withRespectTo}, which must be the weights the
     * loss was computed with or weights they were derived from by {@link #sgdStep} (then the
     * gradient flows back through those steps, which needs {@code createGraph} on them).
     *
     * @param createGraph keep the gradient differentiable (second order); throws
     *     {@link UnsupportedOperationException} naming the backend if it lacks
     *     {@link BackendCapability#SECOND_ORDER}
     */
    Gradient gradient(Loss loss, Weights withRespectTo, boolean createGraph);

    /** Out-of-place SGD: {@code weights - learningRate * gradient}; parameters without gradient are carried over. */
    Weights sgdStep(Weights weights, Gradient gradient, double learningRate);

    /** {@code minuend - subtrahend}, parameter by parameter (Reptile's meta-gradient W − W̃). */
    Gradient difference(Weights minuend, Weights subtrahend);

    /**
     * The logits of a forward pass, as {@link #forward} computes them (batch norm uses the batch's
     * statistics, so a prediction depends on the batch it is made in): {@code batch.size()} rows of
     * the subnet's class count, row-major. The batch's labels are ignored. Heap arrays at the edge:
     * what a prediction for a user's images needs, never called inside the inner loop.
     *
     * <p>API 1.1. The default throws {@link UnsupportedOperationException}: a backend built against
     * 1.0 cannot predict, only train and score.
     */
    default float[] logits(Subnet subnet, Weights weights, ImageBatch batch)
    {
        throw new UnsupportedOperationException("The backend " + getClass().getName() + " predates API 1.1 and cannot compute logits");
    }

    /**
     * The values of {@code weights} (for example the result of an inner loop), by parameter name,
     * flattened row-major in the shapes of the subnet's {@link org.atnas.api.network.ParameterSpec}s:
     * what saving an adapted network needs.
     *
     * <p>API 1.1. The default throws {@link UnsupportedOperationException}: a backend built against
     * 1.0 cannot read weights out of a worker.
     */
    default Map<String, float[]> values(Weights weights)
    {
        throw new UnsupportedOperationException("The backend " + getClass().getName() + " predates API 1.1 and cannot read adapted weights");
    }

    /**
     * A gradient of this worker with the given values, by parameter name, shaped as
     * {@link Gradient#values()} gives them: how a meta-gradient computed in another JVM (Sec. 3.4
     * on a cluster) joins the ones this JVM passes to {@link Supernet#applyMetaGradient}. Values
     * that came out of {@link Gradient#values()} of the same backend come back bit for bit.
     *
     * <p>API 1.2. The default throws {@link UnsupportedOperationException}: a backend built against
     * an older API cannot take part in a cluster's meta-step.
     *
     * @throws IllegalArgumentException naming the parameter the supernet lacks or has with another size
     */
    default Gradient gradientOf(Map<String, double[]> values)
    {
        throw new UnsupportedOperationException("the backend " + getClass().getName() + " does not implement BackendWorker.gradientOf (API 1.2)");
    }

    /** Releases the worker and every handle it still owns. */
    @Override
    void close();
}
