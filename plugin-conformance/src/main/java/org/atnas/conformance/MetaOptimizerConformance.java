package org.atnas.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.atnas.api.Adaptation;
import org.atnas.api.BackendCapability;
import org.atnas.api.BackendWorker;
import org.atnas.api.InnerLoop;
import org.atnas.api.MetaGradient;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.MetaUpdate;
import org.atnas.api.NonFiniteLossException;
import org.atnas.api.Subnet;
import org.atnas.api.Task;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;
import org.atnas.conformance.QuadraticBackend.QuadraticSupernet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * What every {@link MetaOptimizer} must do, checked through the API only on a
 * {@link QuadraticBackend} (offering {@link BackendCapability#SECOND_ORDER} only if the optimizer
 * requires it): an optimizer's test extends this class and implements {@link #createMetaOptimizer}.
 * A meta-gradient leaves the supernet's weights alone, closes every handle but the gradient it
 * returns, covers exactly the subnet's parameters with finite values, reports the adaptation that
 * {@link MetaOptimizer#adapt} scores, is the same for the same task and from two threads at once,
 * and one outer step along it lowers the adapted query loss of a task whose support and query sets
 * agree; a non-finite support loss fails with the message of {@link MetaOptimizer#requireFinite},
 * with every handle closed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class MetaOptimizerConformance
{
    private static final InnerLoop INNER_LOOP = new InnerLoop(3, 0.2);

    /** The meta-optimizer under test, as its factory makes it with default settings. */
    protected abstract MetaOptimizer createMetaOptimizer();

    private QuadraticSupernet supernet(MetaOptimizer optimizer, double learningRate)
    {
        Set<BackendCapability> required = optimizer.requiredCapabilities();
        assertThat(required).as("required capabilities").isNotNull();
        boolean secondOrder = required.contains(BackendCapability.SECOND_ORDER);
        return new QuadraticBackend(secondOrder).createSupernet(QuadraticBackend.tinyNetwork(), MetaUpdate.adam(learningRate), 3);
    }

    private static Map<String, double[]> weightsOf(QuadraticSupernet supernet)
    {
        Map<String, double[]> weights = new java.util.LinkedHashMap<>();
        for (ParameterSpec parameter : supernet.description().parameters()) {
            weights.put(parameter.name(), supernet.value(parameter.name()));
        }
        return weights;
    }

    @Test
    void nameIsAConfigurationWord()
    {
        assertThat(createMetaOptimizer().name()).matches("[a-z0-9]+(-[a-z0-9]+)*");
    }

    @Test
    void aMetaGradientCoversTheSubnetLeavesTheWeightsAloneAndClosesItsHandles()
    {
        MetaOptimizer optimizer = createMetaOptimizer();
        QuadraticSupernet supernet = supernet(optimizer, 0.001);
        NetworkDescription network = supernet.description();
        Map<String, double[]> before = weightsOf(supernet);
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            MetaGradient meta = optimizer.metaGradient(worker, subnet, QuadraticBackend.task(0.5, 2.0, 1), INNER_LOOP);
            assertThat(supernet.openHandles()).as("handles left open besides the returned gradient").isEqualTo(1);
            Map<String, double[]> values = meta.gradient().values();
            assertThat(values.keySet()).as("the meta-gradient's parameters").containsExactlyInAnyOrderElementsOf(before.keySet());
            values.forEach((name, gradient) -> {
                assertThat(gradient).as(name).hasSize(before.get(name).length);
                for (double value : gradient) {
                    assertThat(Double.isFinite(value)).as("%s holds finite values", name).isTrue();
                }
            });
            assertThat(meta.adaptation().queryLoss()).isFinite().isPositive();
            assertThat(meta.adaptation().queryAccuracy()).isBetween(0.0, 1.0);
            meta.gradient().close();
            assertThat(supernet.openHandles()).as("handles left open after closing the gradient").isZero();
        }
        weightsOf(supernet).forEach((name, after) -> assertThat(after).as("%s after the meta-gradient", name).isEqualTo(before.get(name)));
    }

    @Test
    void theAdaptationOfAMetaGradientIsWhatAdaptScores()
    {
        MetaOptimizer optimizer = createMetaOptimizer();
        QuadraticSupernet supernet = supernet(optimizer, 0.001);
        Task task = QuadraticBackend.task(0.5, 2.0, 2);
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(supernet.description());
            MetaGradient meta = optimizer.metaGradient(worker, subnet, task, INNER_LOOP);
            meta.gradient().close();
            Adaptation adapted = optimizer.adapt(worker, subnet, task, INNER_LOOP);
            assertThat(meta.adaptation().queryLoss()).isCloseTo(adapted.queryLoss(), within(1e-9));
            assertThat(meta.adaptation().queryAccuracy()).isCloseTo(adapted.queryAccuracy(), within(1e-9));
            assertThat(supernet.openHandles()).as("handles left open by adapt").isZero();
        }
    }

    @Test
    void theSameTaskGivesTheSameMetaGradientOnTwoThreads()
            throws Exception
    {
        MetaOptimizer optimizer = createMetaOptimizer();
        QuadraticSupernet supernet = supernet(optimizer, 0.001);
        List<Task> tasks = List.of(QuadraticBackend.task(0.1, 0.7, 3), QuadraticBackend.task(-0.4, 0.2, 4));
        List<Map<String, double[]>> alone = new ArrayList<>();
        for (Task task : tasks) {
            alone.add(metaGradient(optimizer, supernet, task));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Map<String, double[]>>>> futures = new ArrayList<>();
            for (Task task : tasks) {
                futures.add(pool.submit(() -> {
                    List<Map<String, double[]>> repeated = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        repeated.add(metaGradient(optimizer, supernet, task));
                    }
                    return repeated;
                }));
            }
            for (int t = 0; t < tasks.size(); t++) {
                for (Map<String, double[]> gradient : futures.get(t).get()) {
                    assertThat(gradient.keySet()).isEqualTo(alone.get(t).keySet());
                    int task = t;
                    gradient.forEach((name, values) -> assertThat(values).as("task %s, %s", task, name).isEqualTo(alone.get(task).get(name)));
                }
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anOuterStepAlongTheMetaGradientLowersTheAdaptedQueryLoss()
    {
        MetaOptimizer optimizer = createMetaOptimizer();
        // Adam moves each weight by about its learning rate: large enough to see, small enough not to overshoot
        QuadraticSupernet supernet = supernet(optimizer, 0.01);
        Task task = QuadraticBackend.task(0.5, 0.5, 5);
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(supernet.description());
            double before = optimizer.adapt(worker, subnet, task, INNER_LOOP).queryLoss();
            MetaGradient meta = optimizer.metaGradient(worker, subnet, task, INNER_LOOP);
            supernet.applyMetaGradient(List.of(meta.gradient()));
            meta.gradient().close();
            double after = optimizer.adapt(worker, subnet, task, INNER_LOOP).queryLoss();
            assertThat(after).as("adapted query loss after one outer step, from %s", before).isLessThan(before);
        }
    }

    @Test
    void aNonFiniteSupportLossFailsNamingTheStepAndClosesEveryHandle()
    {
        MetaOptimizer optimizer = createMetaOptimizer();
        QuadraticSupernet supernet = supernet(optimizer, 0.001);
        Task task = QuadraticBackend.task(Double.NaN, 0.5, 6);
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(supernet.description());
            assertThatThrownBy(() -> optimizer.metaGradient(worker, subnet, task, INNER_LOOP))
                    .isInstanceOf(NonFiniteLossException.class)
                    .hasMessage("The support loss is NaN at inner step 0 of the task with seed 6");
            assertThat(supernet.openHandles()).as("handles left open after the failure").isZero();
        }
    }

    private static Map<String, double[]> metaGradient(MetaOptimizer optimizer, QuadraticSupernet supernet, Task task)
    {
        try (BackendWorker worker = supernet.newWorker()) {
            MetaGradient meta = optimizer.metaGradient(worker, worker.compile(supernet.description()), task, INNER_LOOP);
            try (var gradient = meta.gradient()) {
                return gradient.values();
            }
        }
    }
}
