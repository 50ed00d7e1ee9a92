package org.atnas.api;

import java.util.Set;

/**
 * The meta parameter optimisation of one (architecture, task) pair (Eq. 4 to 6): the inner loop on
 * the support set, then the meta-gradient. Written against {@link BackendWorker} only, so one
 * implementation serves every backend. The engine averages the pairs' meta-gradients and applies
 * them with {@link Supernet#applyMetaGradient}.
 *
 * <p>Implementations are stateless and thread-safe; the engine calls them from several worker
 * threads at once, each with its own worker.
 */
public interface MetaOptimizer
{
    /** The component name, as configured, for example {@code maml}. */
    String name();

    /** Capabilities the backend must offer; the engine checks them before any work starts. */
    Set<BackendCapability> requiredCapabilities();

    /**
     * Runs the inner loop of {@code subnet} on {@code task}'s support set from the current supernet
     * weights and returns the pair's meta-gradient. Must not change W and must close every handle it
     * made except the returned gradient.
     *
     * @throws NonFiniteLossException if a loss is NaN or infinite; the message names the step
     */
    MetaGradient metaGradient(BackendWorker worker, Subnet subnet, Task task, InnerLoop innerLoop);

    /**
     * Adapts {@code subnet} to {@code task} with the inner loop and scores it on the query set: the
     * fitness of one (architecture, task) pair. The default is plain SGD from the current weights,
     * which is what every first-order method evaluates.
     */
    default Adaptation adapt(BackendWorker worker, Subnet subnet, Task task, InnerLoop innerLoop)
    {
        try (Weights start = worker.weights(subnet, false);
                Weights adapted = innerLoop(worker, subnet, start, task, innerLoop, false);
                Loss query = worker.forward(subnet, adapted, task.query())) {
            requireFinite(query, "query", innerLoop.steps(), task);
            return new Adaptation(query.value(), query.accuracy());
        }
    }

    /**
     * The inner loop (Eq. 4): M SGD steps on the task's support set from {@code start}. Returns the
     * adapted weights, which the caller closes; {@code start} stays open and unchanged, every
     * intermediate handle is closed (with {@code createGraph} their graph stays reachable from the
     * result, so the caller can differentiate through the steps).
     *
     * @throws NonFiniteLossException if a support loss is NaN or infinite
     */
    static Weights innerLoop(BackendWorker worker, Subnet subnet, Weights start, Task task, InnerLoop innerLoop, boolean createGraph)
    {
        Weights current = start;
        try {
            for (int step = 0; step < innerLoop.steps(); step++) {
                Weights next;
                try (Loss loss = worker.forward(subnet, current, task.support());
                        Gradient gradient = worker.gradient(loss, current, createGraph)) {
                    requireFinite(loss, "support", step, task);
                    next = worker.sgdStep(current, gradient, innerLoop.learningRate());
                }
                if (current != start) {
                    current.close();
                }
                current = next;
            }
            return current;
        }
        catch (RuntimeException e) {
            if (current != start) {
                current.close();
            }
            throw e;
        }
    }

    /**
     * Fails the pair when a loss is not a finite number, naming the set, the inner step and the task seed.
     *
     * @throws NonFiniteLossException if the loss is NaN or infinite
     */
    static void requireFinite(Loss loss, String set, int step, Task task)
    {
        if (!Double.isFinite(loss.value())) {
            throw new NonFiniteLossException("The " + set + " loss is " + loss.value() + " at inner step " + step + " of the task with seed " + task.seed());
        }
    }
}
