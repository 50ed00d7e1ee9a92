package org.atnas.backend.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.DoubleSupplier;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.BackendCapability;
import org.atnas.api.BackendWorker;
import org.atnas.api.Gradient;
import org.atnas.api.ImageBatch;
import org.atnas.api.ImageShape;
import org.atnas.api.InnerLoop;
import org.atnas.api.Loss;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Subnet;
import org.atnas.api.Supernet;
import org.atnas.api.SupernetState;
import org.atnas.api.Task;
import org.atnas.api.WeightBackend;
import org.atnas.api.Weights;
import org.atnas.api.io.Safetensors;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.Op;
import org.atnas.api.network.OpKind;
import org.atnas.api.network.ParameterSpec;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.atnas.searchspace.nasbench201.NasBench201SearchSpace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * What every {@link WeightBackend} must do, checked through the API only: a backend's test
 * extends this class and implements {@link #createBackend}. Gradients are checked against finite
 * differences for every op kind (in double precision), networks of both search spaces run at both
 * input sizes, weight sharing updates exactly a subnet's weights, workers on two threads compute
 * what they compute alone, states round-trip through safetensors, gradients sent by another JVM
 * come back through {@code gradientOf} bit for bit, inner-loop steps never touch the shared
 * weights, and second-order meta-steps run in bounded native memory. The DJL backend
 * runs it; so can a third-party backend.
 *
 * <p>The memory test reads the process's resident set ({@code VmRSS} in {@code /proc/self/status}):
 * run the kit with a fixed, pre-touched Java heap ({@code -Xms} = {@code -Xmx} and
 * {@code -XX:+AlwaysPreTouch}) so that resident memory moves with native memory only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class WeightBackendConformance
{
    private static final MetaUpdate ADAM = MetaUpdate.adam(0.001);
    private static final ArchitectureCode DARTS_V2 = ArchitectureCode.parse("4,4,4,4,0,3,4,0,0,3,0,6,0,0,1,1,0,1,3,1,0,3,0,0,1,3,0,0");

    private WeightBackend single;
    private WeightBackend precise;

    /**
     * The backend under test, computing in single precision, or in double precision if
     * {@code float64} (for the finite-difference checks). Called twice per test class; the kit
     * closes both.
     */
    protected abstract WeightBackend createBackend(boolean float64);

    @BeforeAll
    final void startBackends()
    {
        single = createBackend(false);
        precise = createBackend(true);
    }

    @AfterAll
    final void closeBackends()
    {
        single.close();
        precise.close();
    }

    /** The backend in single precision, for subclasses' own tests. */
    protected final WeightBackend backend()
    {
        return single;
    }

    List<NetworkDescription> everyOpKind()
    {
        return Networks.everyOpKind();
    }

    /** The values of a gradient, as the API hands them out. */
    protected static Map<String, double[]> values(Gradient gradient)
    {
        return gradient.values();
    }

    private static double loss(BackendWorker worker, Subnet subnet, ImageBatch batch)
    {
        try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, batch)) {
            return loss.value();
        }
    }

    private static Map<String, double[]> gradient(BackendWorker worker, Subnet subnet, ImageBatch batch)
    {
        try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, batch); Gradient gradient = worker.gradient(loss, weights, false)) {
            return gradient.values();
        }
    }

    private static List<String> names(NetworkDescription network)
    {
        return network.parameters().stream().map(ParameterSpec::name).toList();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("everyOpKind")
    void gradientsMatchFiniteDifferencesInDoublePrecision(NetworkDescription network)
    {
        ImageBatch batch = Networks.batch(Networks.INPUT, 6, Networks.CLASSES, 11);
        try (Supernet supernet = precise.createSupernet(network, ADAM, 3); BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            Map<String, double[]> analytic = gradient(worker, subnet, batch);
            assertThat(analytic.keySet()).containsExactlyInAnyOrderElementsOf(names(network));
            for (ParameterSpec parameter : network.parameters()) {
                assertThat(analytic.get(parameter.name())).as(parameter.name()).hasSize((int) parameter.size());
            }
            List<Probe> probes = probes(supernet, network, 3, 5, () -> loss(worker, subnet, batch));
            int checked = 0;
            for (Probe probe : probes) {
                if (probe.kink()) {
                    continue;
                }
                checked++;
                assertThat(analytic.get(probe.name())[probe.index()])
                        .as("d loss / d %s[%d]", probe.name(), probe.index())
                        .isCloseTo(probe.numeric(), within(1e-6 + 1e-4 * Math.abs(probe.numeric())));
            }
            assertThat(checked).as("probes away from ReLU and max-pool kinks").isGreaterThanOrEqualTo(probes.size() * 2 / 3);
        }
    }

    @Test
    void oneStepMamlMetaGradientMatchesFiniteDifferences()
    {
        Assumptions.assumeTrue(precise.capabilities().contains(BackendCapability.SECOND_ORDER), "the backend does not offer second-order gradients");
        NetworkDescription network = Networks.single(new Op("sep_conv", OpKind.SEP_CONV, 4, 4, 3, 1, 1));
        ImageBatch support = Networks.batch(Networks.INPUT, 3, Networks.CLASSES, 1);
        ImageBatch query = Networks.batch(Networks.INPUT, 6, Networks.CLASSES, 2);
        double learningRate = 0.4;
        try (Supernet supernet = precise.createSupernet(network, ADAM, 8); BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            Map<String, double[]> secondOrder;
            Map<String, double[]> firstOrder;
            try (Weights initial = worker.weights(subnet, true);
                    Loss supportLoss = worker.forward(subnet, initial, support);
                    Gradient inner = worker.gradient(supportLoss, initial, true);
                    Weights adapted = worker.sgdStep(initial, inner, learningRate);
                    Loss queryLoss = worker.forward(subnet, adapted, query);
                    Gradient meta = worker.gradient(queryLoss, initial, false)) {
                secondOrder = meta.values();
            }
            try (Weights initial = worker.weights(subnet, false);
                    Loss supportLoss = worker.forward(subnet, initial, support);
                    Gradient inner = worker.gradient(supportLoss, initial, false);
                    Weights adapted = worker.sgdStep(initial, inner, learningRate);
                    Loss queryLoss = worker.forward(subnet, adapted, query);
                    Gradient meta = worker.gradient(queryLoss, adapted, false)) {
                firstOrder = meta.values();
            }
            double largestGap = 0;
            int checked = 0;
            for (Probe probe : probes(supernet, network, 2, 9, () -> adaptedQueryLoss(worker, subnet, support, query, learningRate))) {
                if (probe.kink()) {
                    continue;
                }
                checked++;
                assertThat(secondOrder.get(probe.name())[probe.index()])
                        .as("d query loss(adapted) / d %s[%d]", probe.name(), probe.index())
                        .isCloseTo(probe.numeric(), within(1e-6 + 1e-4 * Math.abs(probe.numeric())));
                largestGap = Math.max(largestGap, Math.abs(firstOrder.get(probe.name())[probe.index()] - probe.numeric()));
            }
            assertThat(checked).isGreaterThan(20);
            // the first-order approximation really differs: the check would catch a backend that ignored createGraph
            assertThat(largestGap).isGreaterThan(1e-3);
        }
    }

    @Test
    void secondOrderMetaStepsRunInFlatNativeMemory()
    {
        Assumptions.assumeTrue(single.capabilities().contains(BackendCapability.SECOND_ORDER), "the backend does not offer second-order gradients");
        NetworkDescription network = new DartsSearchSpace(2, 8, 3).describe(DARTS_V2, new ImageShape(1, 28, 28), 5);
        // 5-way 1-shot with 5 queries per class, 5 inner steps: the benchmark's meta-step on a narrower network
        Task task = new Task(5, Networks.batch(network.input(), 5, 5, 1), Networks.batch(network.input(), 25, 5, 2), 1);
        InnerLoop innerLoop = new InnerLoop(5, 0.01);
        try (Supernet supernet = single.createSupernet(network, ADAM, 1); BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            List<Long> resident = new ArrayList<>();
            for (int step = 1; step <= 10; step++) {
                try (Weights start = worker.weights(subnet, true);
                        Weights adapted = MetaOptimizer.innerLoop(worker, subnet, start, task, innerLoop, true);
                        Loss query = worker.forward(subnet, adapted, task.query());
                        Gradient meta = worker.gradient(query, start, false)) {
                    supernet.applyMetaGradient(List.of(meta));
                }
                resident.add(residentKilobytes());
                // checked after every step, not only the tenth: a backend that keeps each meta-step's graph (about 900 MB here) fails before it takes the machine's memory;
                // the margin covers the allocator's and the JIT compiler's own ups and downs (a few MB, once 25 MB)
                if (step > 2) {
                    assertThat(resident.get(step - 1) - resident.get(1)).as("resident memory growth from meta-step 2 to %d, KB: %s", step, resident).isLessThan(40_000);
                }
            }
        }
    }

    /** The resident set of this process in kilobytes, from {@code /proc/self/status} (Linux). */
    protected static long residentKilobytes()
    {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read /proc/self/status for the resident set size", e);
        }
        throw new IllegalStateException("No VmRSS line in /proc/self/status");
    }

    private static double adaptedQueryLoss(BackendWorker worker, Subnet subnet, ImageBatch support, ImageBatch query, double learningRate)
    {
        try (Weights initial = worker.weights(subnet, false);
                Loss supportLoss = worker.forward(subnet, initial, support);
                Gradient inner = worker.gradient(supportLoss, initial, false);
                Weights adapted = worker.sgdStep(initial, inner, learningRate);
                Loss queryLoss = worker.forward(subnet, adapted, query)) {
            return queryLoss.value();
        }
    }

    /**
     * A central difference of the function in one coordinate of a parameter, or a kink: where two
     * step sizes disagree, the function has no derivative to compare.
     */
    private record Probe(String name, int index, double numeric, boolean kink) {}

    /** {@code perParameter} random coordinates of every parameter, drawn with {@code seed}, each probed by central differences. */
    private static List<Probe> probes(Supernet supernet, NetworkDescription network, int perParameter, long seed, DoubleSupplier function)
    {
        SplittableRandom random = new SplittableRandom(seed);
        List<Probe> probes = new ArrayList<>();
        for (ParameterSpec parameter : network.parameters()) {
            for (int probe = 0; probe < perParameter; probe++) {
                int index = random.nextInt((int) parameter.size());
                double coarse = centralDifference(supernet, parameter.name(), index, 1e-4, function);
                double fine = centralDifference(supernet, parameter.name(), index, 1e-5, function);
                probes.add(new Probe(parameter.name(), index, fine, Math.abs(coarse - fine) > 1e-3 * (1 + Math.abs(fine))));
            }
        }
        return probes;
    }

    /**
     * The central difference of {@code function} in one coordinate of a parameter, set through
     * {@link Supernet#restore}. The state holds floats: the step is measured between the two
     * rounded values, so it is exact.
     */
    private static double centralDifference(Supernet supernet, String name, int index, double step, DoubleSupplier function)
    {
        SupernetState state = supernet.state();
        float original = state.parameters().get(name)[index];
        float plus = (float) (original + step);
        float minus = (float) (original - step);
        supernet.restore(with(state, name, index, plus));
        double above = function.getAsDouble();
        supernet.restore(with(state, name, index, minus));
        double below = function.getAsDouble();
        supernet.restore(with(state, name, index, original));
        return (above - below) / ((double) plus - (double) minus);
    }

    private static SupernetState with(SupernetState state, String name, int index, float value)
    {
        Map<String, float[]> parameters = new LinkedHashMap<>(state.parameters());
        float[] changed = parameters.get(name).clone();
        changed[index] = value;
        parameters.put(name, changed);
        return new SupernetState(parameters, Map.of(), Map.of(), Map.of());
    }

    @Test
    void dartsNetworksOfTwoAndEightCellsRunAtBothInputSizes()
    {
        for (int cells : new int[] {2, 8}) {
            DartsSearchSpace space = new DartsSearchSpace(cells, 8, 3);
            for (ImageShape input : List.of(new ImageShape(1, 28, 28), new ImageShape(3, 84, 84))) {
                NetworkDescription subnet = space.describe(space.sample(new SplittableRandom(cells)), input, 5);
                try (Supernet supernet = single.createSupernet(subnet, ADAM, 1); BackendWorker worker = supernet.newWorker()) {
                    Subnet compiled = worker.compile(subnet);
                    ImageBatch batch = Networks.batch(input, 5, 5, cells);
                    try (Weights weights = worker.weights(compiled, false); Loss loss = worker.forward(compiled, weights, batch)) {
                        // at initialisation the logits are small: the loss is near ln 5
                        assertThat(loss.value()).as(cells + " cells, " + input).isFinite().isBetween(0.5, 5.0);
                        assertThat(loss.accuracy()).isIn(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);
                    }
                }
            }
        }
    }

    @Test
    void everyCandidateOpRunsInTheSupernetsOfBothSpaces()
    {
        List<NetworkDescription> supernets = List.of(
                new DartsSearchSpace(3, 4, 1).describeSupernet(new ImageShape(1, 12, 12), 4),
                new NasBench201SearchSpace(1, 4, Optional.empty()).describeSupernet(new ImageShape(3, 12, 12), 4));
        for (NetworkDescription network : supernets) {
            try (Supernet supernet = single.createSupernet(network, ADAM, 2); BackendWorker worker = supernet.newWorker()) {
                Subnet subnet = worker.compile(network);
                assertThat(loss(worker, subnet, Networks.batch(network.input(), 4, 4, 3))).isFinite().isPositive();
                assertThat(gradient(worker, subnet, Networks.batch(network.input(), 4, 4, 3)).keySet()).containsExactlyInAnyOrderElementsOf(names(network));
            }
        }
    }

    @Test
    void aStepChangesOnlyTheSelectedOpsWeights()
    {
        MaskedStep step = dartsV2Step((supernet, gradient) -> supernet.applyMetaGradient(List.of(gradient)));
        int unselected = 0;
        for (String name : step.before().parameters().keySet()) {
            if (step.selected().contains(name)) {
                assertThat(step.after().parameters().get(name)).as(name).isNotEqualTo(step.before().parameters().get(name));
            }
            else {
                assertThat(step.after().parameters().get(name)).as(name).containsExactly(step.before().parameters().get(name));
                unselected++;
            }
        }
        assertThat(unselected).isGreaterThan(100);
        assertThat(step.after().steps()).containsOnlyKeys(step.selected());
    }

    /** W before and after an update with one DARTS-V2 subnet's gradient, and the subnet's parameters. */
    private record MaskedStep(SupernetState before, SupernetState after, List<String> selected) {}

    /** Applies one DARTS-V2 subnet's gradient to the DARTS supernet (2 cells, C = 4) with {@code update}. */
    private MaskedStep dartsV2Step(java.util.function.BiConsumer<Supernet, Gradient> update)
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 4, 1);
        ImageShape input = new ImageShape(1, 8, 8);
        NetworkDescription subnetDescription = space.describe(DARTS_V2, input, 3);
        try (Supernet supernet = single.createSupernet(space.describeSupernet(input, 3), ADAM, 4); BackendWorker worker = supernet.newWorker()) {
            SupernetState before = supernet.state();
            Subnet subnet = worker.compile(subnetDescription);
            try (Weights weights = worker.weights(subnet, false);
                    Loss loss = worker.forward(subnet, weights, Networks.batch(input, 6, 3, 5));
                    Gradient gradient = worker.gradient(loss, weights, false)) {
                assertThat(gradient.values().keySet()).containsExactlyInAnyOrderElementsOf(names(subnetDescription));
                update.accept(supernet, gradient);
            }
            return new MaskedStep(before, supernet.state(), names(subnetDescription));
        }
    }

    /**
     * API 1.2, Algorithm 3's supervised update: AdamW on the mean of the subnets' gradients, with the
     * step's own learning rate, on the parameters some gradient names and on no other.
     */
    @Test
    void theSupervisedUpdateIsAdamWOnTheMeanGradientOfTheSubnets()
    {
        NetworkDescription network = Networks.single(new Op("sep_conv", OpKind.SEP_CONV, 4, 4, 3, 1, 1));
        double learningRate = 0.01;
        double weightDecay = 0.5;
        try (Supernet supernet = precise.createSupernet(network, ADAM, 7); BackendWorker worker = supernet.newWorker()) {
            SupernetState before = supernet.state();
            Subnet subnet = worker.compile(network);
            try (Weights weights = worker.weights(subnet, false);
                    Loss first = worker.forward(subnet, weights, Networks.batch(Networks.INPUT, 6, Networks.CLASSES, 4));
                    Gradient one = worker.gradient(first, weights, false);
                    Loss second = worker.forward(subnet, weights, Networks.batch(Networks.INPUT, 6, Networks.CLASSES, 5));
                    Gradient two = worker.gradient(second, weights, false)) {
                Map<String, double[]> a = one.values();
                Map<String, double[]> b = two.values();
                supernet.applyGradient(List.of(one, two), learningRate, weightDecay);
                SupernetState after = supernet.state();
                a.forEach((name, values) -> {
                    for (int i = 0; i < values.length; i++) {
                        // Adam's first step: the bias-corrected moments are g and g squared
                        double g = (values[i] + b.get(name)[i]) / 2;
                        double expected = before.parameters().get(name)[i] * (1 - learningRate * weightDecay) - learningRate * g / (Math.abs(g) + ADAM.epsilon());
                        assertThat((double) after.parameters().get(name)[i]).as("%s[%d]", name, i).isCloseTo(expected, within(1e-6));
                    }
                });
                assertThat(after.steps()).containsOnlyKeys(a.keySet());
                assertThatThrownBy(() -> supernet.applyGradient(List.of(), learningRate, weightDecay)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> supernet.applyGradient(List.of(one), 0, weightDecay)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> supernet.applyGradient(List.of(one), learningRate, -1)).isInstanceOf(IllegalArgumentException.class);
            }
        }
        // a weight no subnet uses gets no update, not even its decay
        MaskedStep step = dartsV2Step((supernet, gradient) -> supernet.applyGradient(List.of(gradient), learningRate, weightDecay));
        step.before().parameters().forEach((name, values) -> {
            if (!step.selected().contains(name)) {
                assertThat(step.after().parameters().get(name)).as(name).containsExactly(values);
            }
        });
        assertThat(step.after().steps()).containsOnlyKeys(step.selected());
    }

    @Test
    void anInnerStepLeavesTheSharedWeightsAlone()
    {
        NetworkDescription network = Networks.single(new Op("sep_conv", OpKind.SEP_CONV, 4, 4, 3, 1, 1));
        try (Supernet supernet = precise.createSupernet(network, ADAM, 7); BackendWorker worker = supernet.newWorker()) {
            SupernetState before = supernet.state();
            Subnet subnet = worker.compile(network);
            try (Weights weights = worker.weights(subnet, false);
                    Loss loss = worker.forward(subnet, weights, Networks.batch(Networks.INPUT, 6, Networks.CLASSES, 4));
                    Gradient gradient = worker.gradient(loss, weights, false);
                    Weights adapted = worker.sgdStep(weights, gradient, 0.5);
                    Gradient moved = worker.difference(adapted, weights)) {
                // the step is -lr * gradient, on the worker's copy only
                Map<String, double[]> step = moved.values();
                gradient.values().forEach((name, values) -> {
                    for (int i = 0; i < values.length; i++) {
                        assertThat(step.get(name)[i]).as(name).isCloseTo(-0.5 * values[i], within(1e-12));
                    }
                });
            }
            before.parameters().forEach((name, values) -> assertThat(supernet.state().parameters().get(name)).as(name).containsExactly(values));
        }
    }

    /** API 1.1: the logits behind a forward pass's accuracy, and the values of adapted weights. */
    @Test
    void logitsAgreeWithTheForwardPassAndValuesWithTheSteps()
    {
        NetworkDescription network = Networks.single(new Op("sep_conv", OpKind.SEP_CONV, 4, 4, 3, 1, 1));
        ImageBatch batch = Networks.batch(Networks.INPUT, 6, Networks.CLASSES, 4);
        try (Supernet supernet = precise.createSupernet(network, ADAM, 7); BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            try (Weights weights = worker.weights(subnet, false);
                    Loss loss = worker.forward(subnet, weights, batch);
                    Gradient gradient = worker.gradient(loss, weights, false);
                    Weights adapted = worker.sgdStep(weights, gradient, 0.5)) {
                float[] logits = worker.logits(subnet, weights, batch);
                assertThat(logits).hasSize(batch.size() * Networks.CLASSES);
                double crossEntropy = 0;
                int correct = 0;
                for (int i = 0; i < batch.size(); i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    int best = 0;
                    for (int c = 0; c < Networks.CLASSES; c++) {
                        if (logits[i * Networks.CLASSES + c] > max) {
                            max = logits[i * Networks.CLASSES + c];
                            best = c;
                        }
                    }
                    double sum = 0;
                    for (int c = 0; c < Networks.CLASSES; c++) {
                        sum += Math.exp(logits[i * Networks.CLASSES + c] - max);
                    }
                    crossEntropy -= logits[i * Networks.CLASSES + batch.labels()[i]] - max - Math.log(sum);
                    correct += best == batch.labels()[i] ? 1 : 0;
                }
                assertThat(crossEntropy / batch.size()).isCloseTo(loss.value(), within(1e-5));
                assertThat((double) correct / batch.size()).isEqualTo(loss.accuracy());

                Map<String, float[]> start = worker.values(weights);
                Map<String, float[]> after = worker.values(adapted);
                assertThat(start.keySet()).containsExactlyInAnyOrderElementsOf(names(network));
                start.forEach((name, values) -> assertThat(values).as(name).containsExactly(supernet.state().parameters().get(name)));
                Map<String, double[]> step = gradient.values();
                after.forEach((name, values) -> {
                    for (int i = 0; i < values.length; i++) {
                        double expected = start.get(name)[i] - 0.5 * (step.containsKey(name) ? step.get(name)[i] : 0);
                        assertThat((double) values[i]).as(name).isCloseTo(expected, within(1e-5));
                    }
                });
            }
        }
    }

    @Test
    void twoThreadsGetTheGradientsTheyGetAlone()
            throws Exception
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 8, 3);
        ImageShape input = new ImageShape(1, 28, 28);
        NetworkDescription first = space.describe(space.sample(new SplittableRandom(1)), input, 5);
        NetworkDescription second = space.describe(space.sample(new SplittableRandom(2)), input, 5);
        try (Supernet supernet = single.createSupernet(space.describeSupernet(input, 5), ADAM, 6)) {
            Map<String, double[]> aloneFirst = repeatedGradient(supernet, first, 21, 1);
            Map<String, double[]> aloneSecond = repeatedGradient(supernet, second, 22, 1);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Future<Map<String, double[]>> together = threads.submit(() -> repeatedGradient(supernet, first, 21, 20));
                Future<Map<String, double[]>> alsoTogether = threads.submit(() -> repeatedGradient(supernet, second, 22, 20));
                assertSame(together.get(), aloneFirst);
                assertSame(alsoTogether.get(), aloneSecond);
            }
            finally {
                threads.shutdownNow();
            }
        }
    }

    /**
     * API 1.2: a gradient's values, as another JVM of a cluster sends them, come back through
     * {@code gradientOf} bit for bit and move the supernet as the gradient itself does; a value
     * for a parameter the supernet lacks, or of another size, is refused by name.
     */
    @Test
    void aGradientsValuesComeBackThroughGradientOf()
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 4, 1);
        ImageShape input = new ImageShape(1, 8, 8);
        NetworkDescription description = space.describeSupernet(input, 3);
        NetworkDescription network = space.describe(space.sample(new SplittableRandom(4)), input, 3);
        ImageBatch batch = Networks.batch(input, 6, 3, 5);
        try (Supernet applied = single.createSupernet(description, ADAM, 8); Supernet imported = single.createSupernet(description, ADAM, 8);
                BackendWorker worker = applied.newWorker(); BackendWorker importer = imported.newWorker()) {
            Subnet subnet = worker.compile(network);
            Map<String, double[]> sent;
            try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, batch); Gradient gradient = worker.gradient(loss, weights, false)) {
                sent = gradient.values();
                applied.applyMetaGradient(List.of(gradient));
            }
            try (Gradient received = importer.gradientOf(sent)) {
                assertSame(received.values(), sent);
                imported.applyMetaGradient(List.of(received));
            }
            Map<String, float[]> expected = applied.state().parameters();
            Map<String, float[]> actual = imported.state().parameters();
            assertThat(actual.keySet()).isEqualTo(expected.keySet());
            expected.forEach((name, values) -> assertThat(actual.get(name)).as(name).containsExactly(values));

            String name = sent.keySet().iterator().next();
            assertThatThrownBy(() -> importer.gradientOf(Map.of("no.such.weight", new double[1])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("The gradient names parameter no.such.weight, which the supernet does not have");
            assertThatThrownBy(() -> importer.gradientOf(Map.of(name, new double[1])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Parameter " + name + " has 1 values in the gradient, the supernet " + sent.get(name).length);
        }
    }

    /** The gradient of one subnet on one batch, computed {@code repeats} times on a new worker (the last one returned). */
    private static Map<String, double[]> repeatedGradient(Supernet supernet, NetworkDescription network, long seed, int repeats)
    {
        Map<String, double[]> result = Map.of();
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            ImageBatch batch = Networks.batch(network.input(), 10, 5, seed);
            for (int i = 0; i < repeats; i++) {
                result = gradient(worker, subnet, batch);
            }
        }
        return result;
    }

    /** Bit for bit. */
    protected static void assertSame(Map<String, double[]> actual, Map<String, double[]> expected)
    {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((name, values) -> assertThat(actual.get(name)).as(name).containsExactly(values));
    }

    @Test
    void theStateRoundTripsThroughSafetensors(@TempDir Path directory)
            throws IOException
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 4, 1);
        ImageShape input = new ImageShape(1, 8, 8);
        NetworkDescription description = space.describeSupernet(input, 3);
        ImageBatch batch = Networks.batch(input, 6, 3, 2);
        NetworkDescription subnetDescription = space.describe(space.sample(new SplittableRandom(3)), input, 3);
        try (Supernet original = single.createSupernet(description, ADAM, 12);
                Supernet restored = single.createSupernet(description, ADAM, 99);
                BackendWorker worker = original.newWorker();
                BackendWorker other = restored.newWorker()) {
            Subnet subnet = worker.compile(subnetDescription);
            try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, batch); Gradient gradient = worker.gradient(loss, weights, false)) {
                original.applyMetaGradient(List.of(gradient));
            }
            Path file = directory.resolve("supernet.safetensors");
            Map<String, Safetensors.Tensor> tensors = new HashMap<>();
            Map<String, int[]> shapes = new HashMap<>();
            description.parameters().forEach(parameter -> shapes.put(parameter.name(), parameter.shape()));
            original.state().parameters().forEach((name, values) -> tensors.put(name, new Safetensors.Tensor(shapes.get(name), values)));
            Safetensors.write(file, tensors, Map.of("backend", single.name()));
            Map<String, float[]> values = new HashMap<>();
            Safetensors.read(file).tensors().forEach((name, tensor) -> values.put(name, tensor.values()));
            restored.restore(new SupernetState(values, Map.of(), Map.of(), Map.of()));
            restored.state().parameters().forEach((name, restoredValues) -> assertThat(restoredValues).as(name).containsExactly(original.state().parameters().get(name)));
            assertThat(loss(other, other.compile(subnetDescription), batch)).isEqualTo(loss(worker, subnet, batch));
        }
    }

    @Test
    void aSecondBackwardIntoTheSameWeightsLeavesTheFirstGradientAlone()
    {
        NetworkDescription network = Networks.single(new Op("sep_conv", OpKind.SEP_CONV, 4, 4, 3, 1, 1));
        ImageBatch first = Networks.batch(Networks.INPUT, 6, Networks.CLASSES, 1);
        ImageBatch second = Networks.batch(Networks.INPUT, 6, Networks.CLASSES, 2);
        try (Supernet supernet = single.createSupernet(network, ADAM, 1); BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            Map<String, double[]> alone = gradient(worker, subnet, second);
            try (Weights weights = worker.weights(subnet, false);
                    Loss firstLoss = worker.forward(subnet, weights, first);
                    Gradient firstGradient = worker.gradient(firstLoss, weights, false)) {
                Map<String, double[]> before = firstGradient.values();
                try (Loss secondLoss = worker.forward(subnet, weights, second); Gradient secondGradient = worker.gradient(secondLoss, weights, false)) {
                    assertSame(firstGradient.values(), before);
                    Map<String, double[]> actual = secondGradient.values();
                    alone.forEach((name, values) -> {
                        for (int i = 0; i < values.length; i++) {
                            assertThat(actual.get(name)[i]).as(name).isCloseTo(values[i], within(1e-5 + 1e-4 * Math.abs(values[i])));
                        }
                    });
                }
            }
        }
    }

    @Test
    void subnetsMustFitTheSupernet()
    {
        NetworkDescription network = Networks.single(new Op("sep_conv", OpKind.SEP_CONV, 4, 4, 3, 1, 1));
        NetworkDescription other = Networks.single(new Op("sep_conv", OpKind.SEP_CONV, 4, 4, 5, 1, 1));
        NetworkDescription unknown = Networks.single(new Op("dil_conv", OpKind.DIL_CONV, 4, 4, 3, 1, 2));
        try (Supernet supernet = single.createSupernet(network, ADAM, 1); BackendWorker worker = supernet.newWorker()) {
            assertThatThrownBy(() -> worker.compile(other)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sep_conv.dw1.weight");
            assertThatThrownBy(() -> worker.compile(unknown)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dil_conv.dw.weight");
            assertThatThrownBy(() -> supernet.restore(new SupernetState(Map.of("x", new float[1]), Map.of(), Map.of(), Map.of())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stem.conv.weight");
        }
    }

    @Test
    void theInitialWeightsAreTheDescriptionsForTheSeed()
    {
        NetworkDescription network = Networks.single(new Op("sep_conv", OpKind.SEP_CONV, 4, 4, 3, 1, 1));
        try (Supernet a = single.createSupernet(network, ADAM, 5); Supernet b = precise.createSupernet(network, ADAM, 5)) {
            // every backend starts from the same W: a checkpoint or a study means the same on any of them
            for (ParameterSpec parameter : network.parameters()) {
                assertThat(a.state().parameters().get(parameter.name())).as(parameter.name()).containsExactly(parameter.initialValues(5));
                assertThat(b.state().parameters().get(parameter.name())).as(parameter.name()).containsExactly(parameter.initialValues(5));
            }
        }
    }

    @Test
    void aClosedGradientCannotBeRead()
    {
        NetworkDescription network = Networks.single(new Op("skip", OpKind.SKIP, 4, 4, 1, 1, 1));
        try (Supernet supernet = single.createSupernet(network, ADAM, 1); BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            Gradient closed;
            try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, Networks.batch(Networks.INPUT, 3, Networks.CLASSES, 1))) {
                closed = worker.gradient(loss, weights, false);
                closed.close();
            }
            assertThatThrownBy(closed::values).isInstanceOf(IllegalStateException.class);
        }
    }
}
