package org.atnas.backend.djl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
import org.atnas.api.WeightBackend;
import org.atnas.api.Weights;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;
import org.atnas.backend.conformance.Networks;
import org.atnas.backend.conformance.WeightBackendConformance;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The conformance kit, and what is particular to DJL: its arrays, its native memory, its use of Java buffers. */
class DjlBackendTest
        extends WeightBackendConformance
{
    private static final MetaUpdate ADAM = MetaUpdate.adam(0.001);

    @Override
    protected WeightBackend createBackend(boolean float64)
    {
        return new DjlBackend(1, Optional.empty(), float64 ? DataType.FLOAT64 : DataType.FLOAT32, 0, MemoryFormat.CHANNELS_LAST);
    }

    private DjlSupernet supernet(NetworkDescription network, long seed)
    {
        return (DjlSupernet) backend().createSupernet(network, ADAM, seed);
    }

    /** The gradient of one subnet on one batch, on a new worker. */
    private static Map<String, double[]> gradient(DjlSupernet supernet, NetworkDescription network, long seed)
    {
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            ImageBatch batch = Networks.batch(network.input(), 10, 5, seed);
            try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, batch); Gradient gradient = worker.gradient(loss, weights, false)) {
                return gradient.values();
            }
        }
    }

    @Test
    void dartsOutputShapesForTwoAndEightCellsAtBothInputSizes()
    {
        for (int cells : new int[] {2, 8}) {
            DartsSearchSpace space = new DartsSearchSpace(cells, 8, 3);
            for (ImageShape input : List.of(new ImageShape(1, 28, 28), new ImageShape(3, 84, 84))) {
                NetworkDescription subnet = space.describe(space.sample(new SplittableRandom(cells)), input, 5);
                try (DjlSupernet supernet = supernet(subnet, 1);
                        NDManager manager = NDManager.newBaseManager()) {
                    Map<String, NDArray> weights = new HashMap<>();
                    for (ParameterSpec parameter : subnet.parameters()) {
                        weights.put(parameter.name(), supernet.parameter(parameter.name()));
                    }
                    NDArray images = manager.randomNormal(new Shape(2, input.channels(), input.height(), input.width()));
                    NDArray logits = new DjlNetwork(subnet, MemoryFormat.CHANNELS_LAST).forward(images, weights, new NormBuffers(manager));
                    assertThat(logits.getShape()).as(cells + " cells, " + input).isEqualTo(new Shape(2, 5));
                }
            }
        }
    }

    @Test
    void theChannelsLastLayoutComputesTheLogitsAndGradientsOfNchw()
    {
        // float64, so that only the kernels' summation order may differ between the layouts (logits come out as float32)
        WeightBackend nchw = new DjlBackend(1, Optional.empty(), DataType.FLOAT64, 0, MemoryFormat.NCHW);
        WeightBackend channelsLast = new DjlBackend(1, Optional.empty(), DataType.FLOAT64, 0, MemoryFormat.CHANNELS_LAST);
        DartsSearchSpace space = new DartsSearchSpace(2, 8, 3);
        // several channels and a non-square image: a layout that mixed up channels, rows or columns would give other logits
        for (ImageShape input : List.of(new ImageShape(1, 28, 28), new ImageShape(3, 12, 16))) {
            for (int sample = 0; sample < 3; sample++) {
                NetworkDescription network = space.describe(space.sample(new SplittableRandom(sample)), input, 5);
                ImageBatch batch = Networks.batch(input, 10, 5, sample);
                try (DjlSupernet expected = (DjlSupernet) nchw.createSupernet(network, ADAM, 7);
                        DjlSupernet actual = (DjlSupernet) channelsLast.createSupernet(network, ADAM, 7)) {
                    String what = input + ", architecture " + sample;
                    assertThat(logits(actual, network, batch)).as(what).containsExactly(logits(expected, network, batch), within(1e-6f));
                    Map<String, double[]> expectedGradient = gradient(expected, network, sample);
                    Map<String, double[]> actualGradient = gradient(actual, network, sample);
                    assertThat(actualGradient.keySet()).isEqualTo(expectedGradient.keySet());
                    expectedGradient.forEach((name, values) -> assertThat(actualGradient.get(name)).as(what + ", " + name).containsExactly(values, within(1e-9)));
                }
            }
        }
        assertThatThrownBy(() -> MemoryFormat.of("nhwc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid value [nhwc] for key [djl.memory-format]: expected one of [nchw, channels-last]");
    }

    private static float[] logits(DjlSupernet supernet, NetworkDescription network, ImageBatch batch)
    {
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            try (Weights weights = worker.weights(subnet, false)) {
                return worker.logits(subnet, weights, batch);
            }
        }
    }

    @Test
    void theBackwardPassDoesNotReadTheInputBufferAfterTheGarbageCollectorFreedIt()
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 8, 3);
        ImageShape input = new ImageShape(1, 28, 28);
        NetworkDescription network = space.describe(space.sample(new SplittableRandom(1)), input, 5);
        try (DjlSupernet supernet = supernet(network, 6)) {
            Map<String, double[]> expected = gradient(supernet, network, 21);
            try (BackendWorker worker = supernet.newWorker()) {
                Subnet subnet = worker.compile(network);
                ImageBatch batch = Networks.batch(network.input(), 10, 5, 21);
                try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, batch)) {
                    // the convolutions keep the input for the backward pass; collect and overwrite whatever Java memory held it
                    List<ByteBuffer> garbage = overwriteFreedJavaMemory(batch.pixels().length * Float.BYTES);
                    try (Gradient gradient = worker.gradient(loss, weights, false)) {
                        assertSame(gradient.values(), expected);
                    }
                    assertThat(garbage).hasSize(500);
                }
            }
        }
    }

    @Test
    void aDifferentiableInnerStepDoesNotReadJavaMemoryTheGarbageCollectorFreed()
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 8, 3);
        NetworkDescription network = space.describe(space.sample(new SplittableRandom(1)), new ImageShape(1, 28, 28), 5);
        try (DjlSupernet supernet = supernet(network, 6)) {
            Map<String, double[]> expected = secondOrderGradient(supernet, network, false);
            // the step's learning rate is a factor of the graph: were it DJL's array of a number, its
            // Java buffer would be freed and overwritten here before the meta-gradient reads it
            assertSame(secondOrderGradient(supernet, network, true), expected);
        }
    }

    /** One differentiable inner step, then the query loss's gradient with respect to the start (second-order MAML). */
    private static Map<String, double[]> secondOrderGradient(DjlSupernet supernet, NetworkDescription network, boolean garbage)
    {
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            try (Weights start = worker.weights(subnet, true);
                    Loss support = worker.forward(subnet, start, Networks.batch(network.input(), 5, 5, 21));
                    Gradient step = worker.gradient(support, start, true);
                    Weights adapted = worker.sgdStep(start, step, 0.1);
                    Loss query = worker.forward(subnet, adapted, Networks.batch(network.input(), 10, 5, 22))) {
                List<ByteBuffer> overwritten = garbage ? overwriteFreedJavaMemory(Double.BYTES) : List.of();
                try (Gradient gradient = worker.gradient(query, start, false)) {
                    assertThat(overwritten).hasSize(garbage ? 500 : 0);
                    return gradient.values();
                }
            }
        }
    }

    /**
     * Collects garbage and fills the native memory freed Java direct buffers held, of that size and
     * of 8 bytes (a number), with NaN: a backward pass that reads it afterwards computes garbage.
     */
    private static List<ByteBuffer> overwriteFreedJavaMemory(int bytes)
    {
        List<ByteBuffer> garbage = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            System.gc();
            for (int i = 0; i < 50; i++) {
                for (int size : new int[] {bytes, Double.BYTES}) {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
                    while (buffer.remaining() >= Float.BYTES) {
                        buffer.putFloat(Float.NaN);
                    }
                    garbage.add(buffer);
                }
            }
        }
        return garbage;
    }

    @Test
    void nativeMemoryStaysFlatOverManyInnerSteps()
    {
        NetworkDescription network = new DartsSearchSpace(2, 8, 3).describe(ArchitectureCode.parse("4,4,4,4,0,3,4,0,0,3,0,6,0,0,1,1,0,1,3,1,0,3,0,0,1,3,0,0"), new ImageShape(1, 28, 28), 5);
        ImageBatch batch = Networks.batch(network.input(), 5, 5, 1);
        try (DjlSupernet supernet = supernet(network, 1); DjlWorker worker = (DjlWorker) supernet.newWorker()) {
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

    @Test
    void aBoundOnImagesInFlightMakesASecondWorkersPassWaitForTheFirstsGradient()
            throws Exception
    {
        NetworkDescription network = Networks.everyOpKind().get(0);
        ImageBatch batch = Networks.batch(network.input(), 8, Networks.CLASSES, 1);
        try (DjlSupernet supernet = new DjlSupernet(network, ADAM, DataType.FLOAT32, 10, MemoryFormat.CHANNELS_LAST, 1);
                BackendWorker first = supernet.newWorker();
                BackendWorker second = supernet.newWorker()) {
            Subnet firstSubnet = first.compile(network);
            Subnet secondSubnet = second.compile(network);
            ExecutorService other = Executors.newSingleThreadExecutor();
            try (Weights firstWeights = first.weights(firstSubnet, false); Weights secondWeights = second.weights(secondSubnet, false)) {
                Loss firstLoss = first.forward(firstSubnet, firstWeights, batch);
                assertThat(supernet.passGate().held()).isEqualTo(8);
                Future<Loss> secondLoss = other.submit(() -> second.forward(secondSubnet, secondWeights, batch));
                Thread.sleep(300);
                assertThat(secondLoss).as("8 + 8 images > 10").isNotDone();
                first.gradient(firstLoss, firstWeights, false).close();
                assertThat(secondLoss.get(30, TimeUnit.SECONDS).value()).isEqualTo(firstLoss.value());
                assertThat(supernet.passGate().held()).as("the first pass gave its images back with its gradient").isEqualTo(8);
                firstLoss.close();
                secondLoss.get().close();
                assertThat(supernet.passGate().held()).as("a loss closed without a gradient gives its images back").isZero();
                // a worker closed with a pass open gives its images back
                second.forward(secondSubnet, secondWeights, batch);
                assertThat(supernet.passGate().held()).isEqualTo(8);
            }
            finally {
                other.shutdownNow();
            }
            second.close();
            assertThat(supernet.passGate().held()).isZero();
        }
    }
}
