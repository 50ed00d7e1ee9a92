package org.atnas.backend.djl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.BackendWorker;
import org.atnas.api.Gradient;
import org.atnas.api.ImageBatch;
import org.atnas.api.ImageShape;
import org.atnas.api.Loss;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Subnet;
import org.atnas.api.SupernetState;
import org.atnas.api.Weights;
import org.atnas.api.io.Safetensors;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;
import org.atnas.backend.djl.DjlHandles.DjlGradient;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.atnas.searchspace.nasbench201.NasBench201SearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DjlBackendTest
{
    private static final DjlBackend DOUBLE = new DjlBackend(1, Optional.empty(), DataType.FLOAT64);
    private static final DjlBackend SINGLE = new DjlBackend(1, Optional.empty(), DataType.FLOAT32);
    private static final MetaUpdate ADAM = MetaUpdate.adam(0.001);

    static List<NetworkDescription> everyOpKind()
    {
        return Networks.everyOpKind();
    }

    /** The loss at the supernet's current weights. */
    private static double loss(BackendWorker worker, Subnet subnet, ImageBatch batch)
    {
        try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, batch)) {
            return loss.value();
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("everyOpKind")
    void gradientsMatchFiniteDifferencesInDoublePrecision(NetworkDescription network)
    {
        ImageBatch batch = Networks.batch(Networks.INPUT, 6, Networks.CLASSES, 11);
        try (DjlSupernet supernet = (DjlSupernet) DOUBLE.createSupernet(network, ADAM, 3); BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            Map<String, double[]> analytic = new HashMap<>();
            try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, batch); Gradient gradient = worker.gradient(loss, weights, false)) {
                ((DjlGradient) gradient).values.forEach((name, value) -> analytic.put(name, value.toDoubleArray()));
            }
            assertThat(analytic.keySet()).containsExactlyInAnyOrderElementsOf(network.parameters().stream().map(ParameterSpec::name).toList());
            SplittableRandom random = new SplittableRandom(5);
            double step = 1e-5;
            for (ParameterSpec parameter : network.parameters()) {
                NDArray values = supernet.parameter(parameter.name());
                for (int probe = 0; probe < 3; probe++) {
                    int index = random.nextInt((int) parameter.size());
                    double numeric = centralDifference(values, index, step, () -> loss(worker, subnet, batch));
                    assertThat(analytic.get(parameter.name())[index])
                            .as("d loss / d %s[%d]", parameter.name(), index)
                            .isCloseTo(numeric, within(1e-6 + 1e-4 * Math.abs(numeric)));
                }
            }
        }
    }

    private static void set(NDArray array, int index, double value)
    {
        double[] values = array.toDoubleArray();
        values[index] = value;
        array.set(values);
    }

    @Test
    void oneStepMamlMetaGradientMatchesFiniteDifferences()
    {
        NetworkDescription network = Networks.single(new org.atnas.api.network.Op("sep_conv", org.atnas.api.network.OpKind.SEP_CONV, 4, 4, 3, 1, 1));
        ImageBatch support = Networks.batch(Networks.INPUT, 3, Networks.CLASSES, 1);
        ImageBatch query = Networks.batch(Networks.INPUT, 6, Networks.CLASSES, 2);
        double learningRate = 0.4;
        try (DjlSupernet supernet = (DjlSupernet) DOUBLE.createSupernet(network, ADAM, 8); BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            Map<String, double[]> secondOrder = new HashMap<>();
            Map<String, double[]> firstOrder = new HashMap<>();
            try (Weights initial = worker.weights(subnet, true);
                    Loss supportLoss = worker.forward(subnet, initial, support);
                    Gradient inner = worker.gradient(supportLoss, initial, true);
                    Weights adapted = worker.sgdStep(initial, inner, learningRate);
                    Loss queryLoss = worker.forward(subnet, adapted, query);
                    Gradient meta = worker.gradient(queryLoss, initial, false)) {
                ((DjlGradient) meta).values.forEach((name, value) -> secondOrder.put(name, value.toDoubleArray()));
            }
            try (Weights initial = worker.weights(subnet, false);
                    Loss supportLoss = worker.forward(subnet, initial, support);
                    Gradient inner = worker.gradient(supportLoss, initial, false);
                    Weights adapted = worker.sgdStep(initial, inner, learningRate);
                    Loss queryLoss = worker.forward(subnet, adapted, query);
                    Gradient meta = worker.gradient(queryLoss, adapted, false)) {
                ((DjlGradient) meta).values.forEach((name, value) -> firstOrder.put(name, value.toDoubleArray()));
            }
            SplittableRandom random = new SplittableRandom(9);
            double largestGap = 0;
            int checked = 0;
            for (ParameterSpec parameter : network.parameters()) {
                NDArray values = supernet.parameter(parameter.name());
                for (int probe = 0; probe < 2; probe++) {
                    int index = random.nextInt((int) parameter.size());
                    double numeric = centralDifference(values, index, 1e-5, () -> adaptedQueryLoss(worker, subnet, support, query, learningRate));
                    double finer = centralDifference(values, index, 1e-6, () -> adaptedQueryLoss(worker, subnet, support, query, learningRate));
                    if (Math.abs(numeric - finer) > 1e-4 * (1 + Math.abs(numeric))) {
                        // the adapted loss jumps where the support gradient crosses a ReLU or max-pool kink: no derivative to compare
                        continue;
                    }
                    checked++;
                    assertThat(secondOrder.get(parameter.name())[index])
                            .as("d query loss(adapted) / d %s[%d]", parameter.name(), index)
                            .isCloseTo(numeric, within(1e-6 + 1e-4 * Math.abs(numeric)));
                    largestGap = Math.max(largestGap, Math.abs(firstOrder.get(parameter.name())[index] - numeric));
                }
            }
            assertThat(checked).isGreaterThan(20);
            // the first-order approximation really differs: the check would catch a backend that ignored createGraph
            assertThat(largestGap).isGreaterThan(1e-3);
        }
    }

    /** (f(x + h) − f(x − h)) / 2h for one coordinate of a parameter array, restoring it after. */
    private static double centralDifference(NDArray values, int index, double step, java.util.function.DoubleSupplier function)
    {
        double original = values.toDoubleArray()[index];
        set(values, index, original + step);
        double plus = function.getAsDouble();
        set(values, index, original - step);
        double minus = function.getAsDouble();
        set(values, index, original);
        return (plus - minus) / (2 * step);
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

    @Test
    void dartsOutputShapesForTwoAndEightCellsAtBothInputSizes()
    {
        for (int cells : new int[] {2, 8}) {
            DartsSearchSpace space = new DartsSearchSpace(cells, 8, 3);
            for (ImageShape input : List.of(new ImageShape(1, 28, 28), new ImageShape(3, 84, 84))) {
                NetworkDescription subnet = space.describe(space.sample(new SplittableRandom(cells)), input, 5);
                try (DjlSupernet supernet = (DjlSupernet) SINGLE.createSupernet(subnet, ADAM, 1);
                        NDManager manager = NDManager.newBaseManager()) {
                    Map<String, NDArray> weights = new HashMap<>();
                    for (ParameterSpec parameter : subnet.parameters()) {
                        weights.put(parameter.name(), supernet.parameter(parameter.name()));
                    }
                    NDArray images = manager.randomNormal(new Shape(2, input.channels(), input.height(), input.width()));
                    NDArray logits = new DjlNetwork(subnet).forward(images, weights, new NormBuffers(manager));
                    assertThat(logits.getShape()).as(cells + " cells, " + input).isEqualTo(new Shape(2, 5));
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
            try (DjlSupernet supernet = (DjlSupernet) SINGLE.createSupernet(network, ADAM, 2); BackendWorker worker = supernet.newWorker()) {
                Subnet subnet = worker.compile(network);
                double loss = loss(worker, subnet, Networks.batch(network.input(), 4, 4, 3));
                assertThat(loss).isFinite().isPositive();
            }
        }
    }

    @Test
    void aStepChangesOnlyTheSelectedOpsWeights()
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 4, 1);
        ImageShape input = new ImageShape(1, 8, 8);
        NetworkDescription supernetDescription = space.describeSupernet(input, 3);
        NetworkDescription subnetDescription = space.describe(ArchitectureCode.parse("4,4,4,4,0,3,4,0,0,3,0,6,0,0,1,1,0,1,3,1,0,3,0,0,1,3,0,0"), input, 3);
        try (DjlSupernet supernet = (DjlSupernet) SINGLE.createSupernet(supernetDescription, ADAM, 4); BackendWorker worker = supernet.newWorker()) {
            SupernetState before = supernet.state();
            Subnet subnet = worker.compile(subnetDescription);
            try (Weights weights = worker.weights(subnet, false);
                    Loss loss = worker.forward(subnet, weights, Networks.batch(input, 6, 3, 5));
                    Gradient gradient = worker.gradient(loss, weights, false)) {
                assertThat(((DjlGradient) gradient).values.keySet()).containsExactlyInAnyOrderElementsOf(subnetDescription.parameters().stream().map(ParameterSpec::name).toList());
                supernet.applyMetaGradient(List.of(gradient));
            }
            SupernetState after = supernet.state();
            List<String> selected = subnetDescription.parameters().stream().map(ParameterSpec::name).toList();
            int unselected = 0;
            for (String name : before.parameters().keySet()) {
                if (selected.contains(name)) {
                    assertThat(after.parameters().get(name)).as(name).isNotEqualTo(before.parameters().get(name));
                }
                else {
                    assertThat(after.parameters().get(name)).as(name).containsExactly(before.parameters().get(name));
                    unselected++;
                }
            }
            assertThat(unselected).isGreaterThan(100);
            assertThat(after.steps()).containsOnlyKeys(selected);
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
        try (DjlSupernet supernet = (DjlSupernet) SINGLE.createSupernet(space.describeSupernet(input, 5), ADAM, 6)) {
            Map<String, float[]> aloneFirst = gradients(supernet, first, 21, 1);
            Map<String, float[]> aloneSecond = gradients(supernet, second, 22, 1);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Callable<Map<String, float[]>> a = () -> gradients(supernet, first, 21, 30);
                Callable<Map<String, float[]>> b = () -> gradients(supernet, second, 22, 30);
                Future<Map<String, float[]>> together = threads.submit(a);
                Future<Map<String, float[]>> alsoTogether = threads.submit(b);
                assertSame(together.get(), aloneFirst);
                assertSame(alsoTogether.get(), aloneSecond);
            }
            finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void theBackwardPassDoesNotReadTheInputBufferAfterTheGarbageCollectorFreedIt()
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 8, 3);
        ImageShape input = new ImageShape(1, 28, 28);
        NetworkDescription network = space.describe(space.sample(new SplittableRandom(1)), input, 5);
        try (DjlSupernet supernet = (DjlSupernet) SINGLE.createSupernet(network, ADAM, 6)) {
            Map<String, float[]> expected = gradients(supernet, network, 21, 1);
            try (BackendWorker worker = supernet.newWorker()) {
                Subnet subnet = worker.compile(network);
                ImageBatch batch = Networks.batch(network.input(), 10, 5, 21);
                try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, batch)) {
                    // the convolutions keep the input for the backward pass; collect and overwrite whatever Java memory held it
                    List<ByteBuffer> garbage = new ArrayList<>();
                    for (int round = 0; round < 5; round++) {
                        System.gc();
                        for (int i = 0; i < 50; i++) {
                            ByteBuffer buffer = ByteBuffer.allocateDirect(batch.pixels().length * Float.BYTES).order(ByteOrder.nativeOrder());
                            while (buffer.hasRemaining()) {
                                buffer.putFloat(Float.NaN);
                            }
                            garbage.add(buffer);
                        }
                    }
                    try (Gradient gradient = worker.gradient(loss, weights, false)) {
                        Map<String, float[]> actual = new HashMap<>();
                        ((DjlGradient) gradient).values.forEach((name, value) -> actual.put(name, value.toFloatArray()));
                        assertSame(actual, expected);
                    }
                    assertThat(garbage).hasSize(250);
                }
            }
        }
    }

    /** The gradient of one subnet on one batch, computed {@code repeats} times on a new worker (the last one returned). */
    private static Map<String, float[]> gradients(DjlSupernet supernet, NetworkDescription network, long seed, int repeats)
    {
        Map<String, float[]> result = new HashMap<>();
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            ImageBatch batch = Networks.batch(network.input(), 10, 5, seed);
            for (int i = 0; i < repeats; i++) {
                try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, batch); Gradient gradient = worker.gradient(loss, weights, false)) {
                    result.clear();
                    ((DjlGradient) gradient).values.forEach((name, value) -> result.put(name, value.toFloatArray()));
                }
            }
        }
        return result;
    }

    private static void assertSame(Map<String, float[]> actual, Map<String, float[]> expected)
    {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((name, values) -> assertThat(actual.get(name)).as(name).containsExactly(values));
    }

    @Test
    void safetensorsRoundTripAndHeaderLayout(@TempDir Path directory)
            throws IOException
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 4, 1);
        ImageShape input = new ImageShape(1, 8, 8);
        NetworkDescription description = space.describeSupernet(input, 3);
        ImageBatch batch = Networks.batch(input, 6, 3, 2);
        NetworkDescription subnetDescription = space.describe(space.sample(new SplittableRandom(3)), input, 3);
        try (DjlSupernet original = (DjlSupernet) SINGLE.createSupernet(description, ADAM, 12);
                DjlSupernet restored = (DjlSupernet) SINGLE.createSupernet(description, ADAM, 99);
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
            Safetensors.write(file, tensors, Map.of("backend", "djl"));

            byte[] bytes = Files.readAllBytes(file);
            long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
            assertThat(header).startsWith("{\"__metadata__\":{\"backend\":\"djl\"},\"cell0.edge0.avg_pool_3x3.bn.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}");
            long floats = description.parameters().stream().mapToLong(ParameterSpec::size).sum();
            assertThat(bytes.length).isEqualTo(8 + headerLength + 4 * floats);

            Safetensors.Content content = Safetensors.read(file);
            Map<String, float[]> values = new HashMap<>();
            content.tensors().forEach((name, tensor) -> values.put(name, tensor.values()));
            restored.restore(new SupernetState(values, Map.of(), Map.of(), Map.of()));
            assertThat(loss(other, other.compile(subnetDescription), batch)).isEqualTo(loss(worker, subnet, batch));
            assertThat(content.metadata()).containsEntry("backend", "djl");
        }
    }

    @Test
    void aSecondBackwardIntoTheSameWeightsLeavesTheFirstGradientAlone()
    {
        NetworkDescription network = Networks.single(new org.atnas.api.network.Op("sep_conv", org.atnas.api.network.OpKind.SEP_CONV, 4, 4, 3, 1, 1));
        ImageBatch first = Networks.batch(Networks.INPUT, 6, Networks.CLASSES, 1);
        ImageBatch second = Networks.batch(Networks.INPUT, 6, Networks.CLASSES, 2);
        try (DjlSupernet supernet = (DjlSupernet) SINGLE.createSupernet(network, ADAM, 1); BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            Map<String, float[]> alone = new HashMap<>();
            try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, second); Gradient gradient = worker.gradient(loss, weights, false)) {
                ((DjlGradient) gradient).values.forEach((name, value) -> alone.put(name, value.toFloatArray()));
            }
            try (Weights weights = worker.weights(subnet, false);
                    Loss firstLoss = worker.forward(subnet, weights, first);
                    Gradient firstGradient = worker.gradient(firstLoss, weights, false)) {
                Map<String, float[]> before = new HashMap<>();
                ((DjlGradient) firstGradient).values.forEach((name, value) -> before.put(name, value.toFloatArray()));
                try (Loss secondLoss = worker.forward(subnet, weights, second); Gradient secondGradient = worker.gradient(secondLoss, weights, false)) {
                    before.forEach((name, values) -> assertThat(((DjlGradient) firstGradient).values.get(name).toFloatArray()).as(name).containsExactly(values));
                    alone.forEach((name, values) -> {
                        float[] actual = ((DjlGradient) secondGradient).values.get(name).toFloatArray();
                        for (int i = 0; i < values.length; i++) {
                            assertThat(actual[i]).as(name).isCloseTo(values[i], within(1e-5f + 1e-4f * Math.abs(values[i])));
                        }
                    });
                }
            }
        }
    }

    @Test
    void subnetsMustFitTheSupernet()
    {
        NetworkDescription network = Networks.single(new org.atnas.api.network.Op("sep_conv", org.atnas.api.network.OpKind.SEP_CONV, 4, 4, 3, 1, 1));
        NetworkDescription other = Networks.single(new org.atnas.api.network.Op("sep_conv", org.atnas.api.network.OpKind.SEP_CONV, 4, 4, 5, 1, 1));
        NetworkDescription unknown = Networks.single(new org.atnas.api.network.Op("dil_conv", org.atnas.api.network.OpKind.DIL_CONV, 4, 4, 3, 1, 2));
        try (DjlSupernet supernet = (DjlSupernet) SINGLE.createSupernet(network, ADAM, 1); BackendWorker worker = supernet.newWorker()) {
            assertThatThrownBy(() -> worker.compile(other))
                    .hasMessage("The subnet uses parameter sep_conv.dw1.weight with shape [4, 1, 5, 5], the supernet has [4, 1, 3, 3]");
            assertThatThrownBy(() -> worker.compile(unknown))
                    .hasMessage("The subnet uses parameter dil_conv.dw.weight, which the supernet does not have");
            assertThatThrownBy(() -> supernet.restore(new SupernetState(Map.of("x", new float[1]), Map.of(), Map.of(), Map.of())))
                    .hasMessageStartingWith("The state does not match this supernet: missing [stem.conv.weight, stem.bn.weight, stem.bn.bias] and ");
        }
    }

    @Test
    void theSameSeedGivesTheSameWeights()
    {
        NetworkDescription network = Networks.single(new org.atnas.api.network.Op("sep_conv", org.atnas.api.network.OpKind.SEP_CONV, 4, 4, 3, 1, 1));
        try (DjlSupernet a = (DjlSupernet) SINGLE.createSupernet(network, ADAM, 5); DjlSupernet b = (DjlSupernet) SINGLE.createSupernet(network, ADAM, 5);
                DjlSupernet c = (DjlSupernet) SINGLE.createSupernet(network, ADAM, 6)) {
            assertThat(a.state().parameters().get("sep_conv.dw1.weight")).containsExactly(b.state().parameters().get("sep_conv.dw1.weight"));
            assertThat(a.state().parameters().get("sep_conv.dw1.weight")).isNotEqualTo(c.state().parameters().get("sep_conv.dw1.weight"));
            assertThat(a.state().parameters().get("sep_conv.bn1.weight")).containsOnly(1f);
        }
    }

    @Test
    void nativeMemoryStaysFlatOverManyInnerSteps()
    {
        NetworkDescription network = new DartsSearchSpace(2, 8, 3).describe(ArchitectureCode.parse("4,4,4,4,0,3,4,0,0,3,0,6,0,0,1,1,0,1,3,1,0,3,0,0,1,3,0,0"), new ImageShape(1, 28, 28), 5);
        ImageBatch batch = Networks.batch(network.input(), 5, 5, 1);
        try (DjlSupernet supernet = (DjlSupernet) SINGLE.createSupernet(network, ADAM, 1); DjlWorker worker = (DjlWorker) supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            List<Long> resident = new ArrayList<>();
            for (int round = 0; round < 6; round++) {
                for (int step = 0; step < 100; step++) {
                    try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, batch); Gradient gradient = worker.gradient(loss, weights, false);
                            Weights next = worker.sgdStep(weights, gradient, 0.01)) {
                        assertThat(next).isNotNull();
                    }
                }
                assertThat(worker.manager().getManagedArrays()).as("arrays left in the worker's manager").hasSizeLessThan(10);
                resident.add(residentKilobytes());
            }
            // after the allocator's warm-up, resident memory stays flat: leaking one copy of the weights (46 KB) per step would add 9 MB over the last two rounds
            assertThat(resident.get(5) - resident.get(3)).as("resident memory growth, KB: %s", resident).isLessThan(4_000);
        }
    }

    private static long residentKilobytes()
    {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
