package org.atnas.optimizer.reptile;

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
 * Reptile: after M inner SGD steps on the support set, the meta-gradient is W − W̃, the way back
 * from the adapted weights; the outer update then moves W towards W̃. The query set only scores the
 * adaptation.
 */
public final class Reptile
        implements MetaOptimizer
{
    public static final String NAME = "reptile";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public Set<BackendCapability> requiredCapabilities()
    {
        return EnumSet.noneOf(BackendCapability.class);
    }

    @Override
    public MetaGradient metaGradient(BackendWorker worker, Subnet subnet, Task task, InnerLoop innerLoop)
    {
        try (Weights start = worker.weights(subnet, false);
                Weights adapted = MetaOptimizer.innerLoop(worker, subnet, start, task, innerLoop, false);
                Loss query = worker.forward(subnet, adapted, task.query())) {
            MetaOptimizer.requireFinite(query, "query", innerLoop.steps(), task);
            Gradient difference = worker.difference(start, adapted);
            return new MetaGradient(difference, new Adaptation(query.value(), query.accuracy()));
        }
    }
}
