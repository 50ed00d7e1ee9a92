package org.atnas.optimizer.reptile;

import org.atnas.api.MetaOptimizer;
import org.atnas.conformance.Components;
import org.atnas.conformance.MetaOptimizerConformance;

/** Reptile, as its plugin makes it, against the meta-optimizer kit. */
class ReptileConformanceTest
        extends MetaOptimizerConformance
{
    @Override
    protected MetaOptimizer createMetaOptimizer()
    {
        return Components.create(new ReptilePlugin(), MetaOptimizer.class, Reptile.NAME);
    }
}
