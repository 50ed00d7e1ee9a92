package org.atnas.predictor.weka;

import org.atnas.api.Predictor;
import org.atnas.conformance.Components;
import org.atnas.conformance.PredictorConformance;
import org.junit.jupiter.api.Nested;

/** Each of the three Weka predictors, as the plugin makes them, against the predictor kit. */
class WekaConformanceTest
{
    @Nested
    class GaussianProcess
            extends PredictorConformance
    {
        @Override
        protected Predictor createPredictor()
        {
            return Components.create(new WekaPlugin(), Predictor.class, "gaussian-process");
        }
    }

    @Nested
    class RbfNetwork
            extends PredictorConformance
    {
        @Override
        protected Predictor createPredictor()
        {
            return Components.create(new WekaPlugin(), Predictor.class, "rbf");
        }
    }

    @Nested
    class RandomForest
            extends PredictorConformance
    {
        @Override
        protected Predictor createPredictor()
        {
            return Components.create(new WekaPlugin(), Predictor.class, "random-forest");
        }
    }
}
