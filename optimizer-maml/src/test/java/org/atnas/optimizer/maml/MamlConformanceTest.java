package org.atnas.optimizer.maml;

import java.util.Map;

import org.atnas.api.MetaOptimizer;
import org.atnas.conformance.Components;
import org.atnas.conformance.MetaOptimizerConformance;
import org.junit.jupiter.api.Nested;

/** First-order MAML, as its plugin makes it by default, against the meta-optimizer kit; second order in {@link SecondOrder}. */
class MamlConformanceTest
        extends MetaOptimizerConformance
{
    @Override
    protected MetaOptimizer createMetaOptimizer()
    {
        return Components.create(new MamlPlugin(), MetaOptimizer.class, Maml.NAME);
    }

    /** Second-order MAML: the kit's backend then offers second-order gradients. */
    @Nested
    class SecondOrder
            extends MetaOptimizerConformance
    {
        @Override
        protected MetaOptimizer createMetaOptimizer()
        {
            return Components.create(new MamlPlugin(), MetaOptimizer.class, Maml.NAME, Map.of("maml.second-order", "true"));
        }
    }
}
