package org.atnas.optimizer.maml;

import java.util.Map;

import org.atnas.api.BackendCapability;
import org.atnas.api.BackendWorker;
import org.atnas.api.InnerLoop;
import org.atnas.api.MetaGradient;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Subnet;
import org.atnas.api.SupernetState;
import org.atnas.api.Task;
import org.atnas.api.network.NetworkDescription;
import org.atnas.conformance.QuadraticBackend;
import org.atnas.conformance.QuadraticBackend.QuadraticSupernet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MamlTest
{
    private static final NetworkDescription NETWORK = QuadraticBackend.tinyNetwork();
    private static final InnerLoop INNER = new InnerLoop(3, 0.1);
    // the loss is ½ Σ (w − c)²; c is the mean pixel: 0.5 on the support set, −0.25 on the query set
    private static final Task TASK = QuadraticBackend.task(0.5, -0.25, 7);
    private static final double DECAY = Math.pow(1 - 0.1, 3);

    @Test
    void firstOrderIsTheQueryGradientAtTheAdaptedWeights()
    {
        QuadraticSupernet supernet = new QuadraticBackend(true).createSupernet(NETWORK, MetaUpdate.adam(0.001), 1);
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(NETWORK);
            MetaGradient meta = new Maml(false).metaGradient(worker, subnet, TASK, INNER);
            Map<String, double[]> values = QuadraticBackend.values(meta.gradient());
            assertThat(values).containsOnlyKeys("stem.conv.weight", "stem.bn.weight", "stem.bn.bias", "classifier.weight", "classifier.bias");
            values.forEach((name, gradient) -> {
                double[] w = supernet.value(name);
                for (int i = 0; i < w.length; i++) {
                    double adapted = 0.5 + DECAY * (w[i] - 0.5);
                    assertThat(gradient[i]).as(name).isCloseTo(adapted + 0.25, within(1e-6));
                }
            });
            double expectedLoss = 0;
            for (String name : values.keySet()) {
                for (double w : supernet.value(name)) {
                    double adapted = 0.5 + DECAY * (w - 0.5);
                    expectedLoss += 0.5 * (adapted + 0.25) * (adapted + 0.25);
                }
            }
            assertThat(meta.adaptation().queryLoss()).isCloseTo(expectedLoss, within(1e-5));
            assertThat(meta.adaptation().queryAccuracy()).isCloseTo(1 / (1 + expectedLoss), within(1e-7));
            assertThat(new Maml(false).requiredCapabilities()).isEmpty();
        }
    }

    @Test
    void secondOrderCarriesTheInnerStepsJacobianAndMatchesFiniteDifferences()
    {
        QuadraticSupernet supernet = new QuadraticBackend(true).createSupernet(NETWORK, MetaUpdate.adam(0.001), 1);
        Maml maml = new Maml(true);
        assertThat(maml.requiredCapabilities()).containsExactly(BackendCapability.SECOND_ORDER);
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(NETWORK);
            Map<String, double[]> values = QuadraticBackend.values(maml.metaGradient(worker, subnet, TASK, INNER).gradient());
            double[] w = supernet.value("classifier.weight");
            for (int i = 0; i < w.length; i++) {
                double adapted = 0.5 + DECAY * (w[i] - 0.5);
                assertThat(values.get("classifier.weight")[i]).isCloseTo(DECAY * (adapted + 0.25), within(1e-6));
            }
            // finite differences of the adapted query loss, moving one value of W
            SupernetState state = supernet.state();
            double step = 1e-2;
            float[] shifted = state.parameters().get("classifier.weight").clone();
            shifted[1] += (float) step;
            double plus = adaptedLoss(supernet, worker, subnet, state, shifted);
            shifted[1] -= (float) (2 * step);
            double minus = adaptedLoss(supernet, worker, subnet, state, shifted);
            assertThat(values.get("classifier.weight")[1]).isCloseTo((plus - minus) / (2 * step), within(1e-4));
        }
    }

    private static double adaptedLoss(QuadraticSupernet supernet, BackendWorker worker, Subnet subnet, SupernetState state, float[] classifier)
    {
        Map<String, float[]> parameters = new java.util.HashMap<>(state.parameters());
        parameters.put("classifier.weight", classifier);
        supernet.restore(new SupernetState(parameters, state.firstMoments(), state.secondMoments(), state.steps()));
        double loss = new Maml(true).adapt(worker, subnet, TASK, INNER).queryLoss();
        supernet.restore(state);
        return loss;
    }

    @Test
    void secondOrderOnABackendWithoutItNamesTheBackend()
    {
        QuadraticSupernet supernet = new QuadraticBackend(false).createSupernet(NETWORK, MetaUpdate.adam(0.001), 1);
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(NETWORK);
            assertThatThrownBy(() -> new Maml(true).metaGradient(worker, subnet, TASK, INNER))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessage("Backend [quadratic] has no second-order gradients");
        }
    }

    @Test
    void aLossThatIsNotANumberStopsThePairWithStepAndTaskSeed()
    {
        QuadraticSupernet supernet = new QuadraticBackend(false).createSupernet(NETWORK, MetaUpdate.adam(0.001), 1);
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(NETWORK);
            Task diverging = QuadraticBackend.task(1e30, 0, 42);
            assertThatThrownBy(() -> new Maml(false).metaGradient(worker, subnet, diverging, new InnerLoop(3, 1e100)))
                    .isInstanceOf(ArithmeticException.class)
                    .hasMessage("The support loss is Infinity at inner step 2 of the task with seed 42");
        }
    }
}
