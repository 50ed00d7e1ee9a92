package org.atnas.optimizer.reptile;

import java.util.Map;

import org.atnas.api.BackendWorker;
import org.atnas.api.InnerLoop;
import org.atnas.api.MetaGradient;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Subnet;
import org.atnas.api.Task;
import org.atnas.api.network.NetworkDescription;
import org.atnas.conformance.QuadraticBackend;
import org.atnas.conformance.QuadraticBackend.QuadraticSupernet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReptileTest
{
    @Test
    void theMetaGradientIsTheWayBackFromTheAdaptedWeights()
    {
        NetworkDescription network = QuadraticBackend.tinyNetwork();
        QuadraticSupernet supernet = new QuadraticBackend(false).createSupernet(network, MetaUpdate.adam(0.001), 3);
        // support centre 0.5: M = 4 steps of lr 0.25 leave (1 − 0.25)^4 of the distance to it
        Task task = QuadraticBackend.task(0.5, 2.0, 1);
        double decay = Math.pow(0.75, 4);
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            MetaGradient meta = new Reptile().metaGradient(worker, subnet, task, new InnerLoop(4, 0.25));
            Map<String, double[]> values = QuadraticBackend.values(meta.gradient());
            assertThat(values).hasSize(5);
            values.forEach((name, difference) -> {
                double[] w = supernet.value(name);
                for (int i = 0; i < w.length; i++) {
                    assertThat(difference[i]).as(name).isCloseTo((1 - decay) * (w[i] - 0.5), within(1e-6));
                }
            });
            double queryLoss = 0;
            for (String name : values.keySet()) {
                for (double w : supernet.value(name)) {
                    double adapted = 0.5 + decay * (w - 0.5);
                    queryLoss += 0.5 * (adapted - 2.0) * (adapted - 2.0);
                }
            }
            assertThat(meta.adaptation().queryLoss()).isCloseTo(queryLoss, within(1e-5));
            assertThat(new Reptile().requiredCapabilities()).isEmpty();
        }
    }
}
