package org.atnas.optimizer.maml;

import java.util.EnumSet;
import java.util.Set;

import org.atnas.api.Adaptation;
import org.atnas.api.BackendCapability;
import org.atnas.api.BackendWorker;
import org.atnas.api.Gradient;
import org.atnas.api.InnerLoop;
import org.atnas.api.Loss;
import org.atnas.api.MetaGradient;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.Subnet;
import org.atnas.api.Task;
import org.atnas.api.Weights;

/**
 * MAML's meta-gradient of one (architecture, task) pair: the query loss's gradient after M inner
 * SGD steps on the support set. First order (the paper's choice): the gradient at the adapted
 * weights, the inner steps treated as constants. Second order: the gradient with respect to the
 * starting weights through the steps, which needs {@link BackendCapability#SECOND_ORDER}.
 */
public final class Maml
        implements MetaOptimizer
{
    public static final String NAME = "maml";

    private final boolean secondOrder;

    public Maml(boolean secondOrder)
    {
        this.secondOrder = secondOrder;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public Set<BackendCapability> requiredCapabilities()
    {
        return secondOrder ? EnumSet.of(BackendCapability.SECOND_ORDER) : EnumSet.noneOf(BackendCapability.class);
    }

    @Override
    public MetaGradient metaGradient(BackendWorker worker, Subnet subnet, Task task, InnerLoop innerLoop)
    {
        try (Weights start = worker.weights(subnet, secondOrder);
                Weights adapted = MetaOptimizer.innerLoop(worker, subnet, start, task, innerLoop, secondOrder);
                Loss query = worker.forward(subnet, adapted, task.query())) {
            MetaOptimizer.requireFinite(query, "query", innerLoop.steps(), task);
            Gradient gradient = worker.gradient(query, secondOrder ? start : adapted, false);
            return new MetaGradient(gradient, new Adaptation(query.value(), query.accuracy()));
        }
    }
}
