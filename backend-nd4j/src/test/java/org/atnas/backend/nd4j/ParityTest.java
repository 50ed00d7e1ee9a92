package org.atnas.backend.nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import ai.djl.ndarray.types.DataType;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.BackendWorker;
import org.atnas.api.Gradient;
import org.atnas.api.ImageBatch;
import org.atnas.api.ImageShape;
import org.atnas.api.Loss;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Subnet;
import org.atnas.api.Supernet;
import org.atnas.api.SupernetState;
import org.atnas.api.WeightBackend;
import org.atnas.api.Weights;
import org.atnas.api.io.Safetensors;
import org.atnas.api.network.NetworkDescription;
import org.atnas.backend.conformance.Networks;
import org.atnas.backend.djl.DjlBackend;
import org.atnas.backend.djl.DjlLogits;
import org.atnas.backend.djl.MemoryFormat;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The same safetensors weights in both backends: the same logits, the same step; and one graph over many calls. */
class ParityTest
{
    private static final MetaUpdate ADAM = MetaUpdate.adam(0.001);
    private static final ImageShape INPUT = new ImageShape(1, 28, 28);

    /** The DARTS-V2 cells, and a code with every op kind of the space between its two cells. */
    private static final List<ArchitectureCode> CODES = List.of(
            ArchitectureCode.parse("4,4,4,4,0,3,4,0,0,3,0,6,0,0,1,1,0,1,3,1,0,3,0,0,1,3,0,0"),
            ArchitectureCode.parse("5,7,2,0,1,6,0,3,0,7,0,0,5,0,2,7,0,4,6,1,0,5,0,0,0,3,0,3"));

    @Test
    void theSameWeightsGiveTheSameLogitsAndTheSameInnerStep(@TempDir Path directory)
            throws IOException
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 8, 2);
        NetworkDescription supernetDescription = space.describeSupernet(INPUT, 5);
        WeightBackend djl = new DjlBackend(1, Optional.empty(), DataType.FLOAT32, 0, MemoryFormat.CHANNELS_LAST);
        WeightBackend nd4j = new Nd4jBackend(1, 1536, 1024, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        ImageBatch batch = Networks.batch(INPUT, 10, 5, 3);
        try (Supernet fromDjl = djl.createSupernet(supernetDescription, ADAM, 21); Supernet intoNd4j = nd4j.createSupernet(supernetDescription, ADAM, 99)) {
            // DJL's weights, through a safetensors file, into ND4J (seeded differently, so only the file makes them equal)
            Path file = directory.resolve("supernet.safetensors");
            Map<String, Safetensors.Tensor> tensors = new HashMap<>();
            supernetDescription.parameters().forEach(parameter -> tensors.put(parameter.name(), new Safetensors.Tensor(parameter.shape(), fromDjl.state().parameters().get(parameter.name()))));
            Safetensors.write(file, tensors, Map.of());
            Map<String, float[]> read = new HashMap<>();
            Safetensors.read(file).tensors().forEach((name, tensor) -> read.put(name, tensor.values()));
            intoNd4j.restore(new SupernetState(read, Map.of(), Map.of(), Map.of()));

            for (ArchitectureCode code : CODES) {
                NetworkDescription subnet = space.describe(code, INPUT, 5);
                float[] expected = DjlLogits.logits(subnet, read, batch);
                float[] actual = nd4jLogits(subnet, read, batch);
                assertThat(actual).hasSize(10 * 5);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).as("%s logit %d", code, i).isCloseTo(expected[i], within(1e-4f));
                }
                Map<String, double[]> djlStep = innerStep(fromDjl, subnet, batch);
                Map<String, double[]> nd4jStep = innerStep(intoNd4j, subnet, batch);
                assertThat(nd4jStep.keySet()).isEqualTo(djlStep.keySet());
                djlStep.forEach((name, values) -> {
                    double[] other = nd4jStep.get(name);
                    for (int i = 0; i < values.length; i++) {
                        assertThat(other[i]).as("%s: %s[%d] after one step", code, name, i).isCloseTo(values[i], within(1e-4));
                    }
                });
            }
        }
    }

    /**
     * A graph is built once per architecture and fed new weights and batches each call: every call
     * must read what it is given, never values left from an earlier call.
     */
    @Test
    void aCompiledGraphComputesWithTheWeightsOfEachCall()
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 8, 2);
        ImageBatch batch = Networks.batch(INPUT, 10, 5, 3);
        // one pool for every graph, as a worker has: later passes compute into arrays earlier ones (of other architectures) left
        ArrayPool pool = new ArrayPool(Long.MAX_VALUE);
        for (ArchitectureCode code : CODES) {
            NetworkDescription network = space.describe(code, INPUT, 5);
            Map<String, INDArray> first = randomWeights(network, 1);
            Map<String, INDArray> second = randomWeights(network, 2);
            Nd4jNetwork reused = new Nd4jNetwork(network, org.nd4j.linalg.api.buffer.DataType.FLOAT, pool);
            Map<String, INDArray> ignored = gradientPass(reused, first, batch);
            // passes of another batch size in between, as an inner loop's support and query passes
            for (int pass = 0; pass < 10; pass++) {
                gradientPass(reused, pass % 2 == 0 ? second : first, Networks.batch(INPUT, 3 + pass, 5, pass));
            }
            Map<String, INDArray> again = gradientPass(reused, second, batch);
            Map<String, INDArray> fresh = gradientPass(new Nd4jNetwork(network, org.nd4j.linalg.api.buffer.DataType.FLOAT, new ArrayPool(0)), second, batch);
            assertThat(ignored.get(Nd4jNetwork.LOSS).getDouble(0)).as("%s: the two weights give different losses", code)
                    .isNotCloseTo(fresh.get(Nd4jNetwork.LOSS).getDouble(0), within(1e-3));
            fresh.forEach((name, expected) -> {
                float[] want = expected.dup('c').data().asFloat();
                float[] got = again.get(name).dup('c').data().asFloat();
                for (int i = 0; i < want.length; i++) {
                    assertThat(got[i]).as("%s: %s[%d] from the reused graph", code, name, i).isCloseTo(want[i], within(1e-5f));
                }
            });
        }
    }

    /**
     * SameDiff keeps a gradient pass's arrays in its session after the pass; the pass must leave
     * them freed, not waiting for the garbage collector (what stays open is the graph's own: the
     * weights, and the few values computed from constants once).
     */
    @Test
    void aGradientPassLeavesItsArraysFreed()
    {
        NetworkDescription network = new DartsSearchSpace(2, 8, 2).describe(CODES.get(1), INPUT, 5);
        Nd4jNetwork graph = new Nd4jNetwork(network, org.nd4j.linalg.api.buffer.DataType.FLOAT, new ArrayPool(0));
        gradientPass(graph, randomWeights(network, 3), Networks.batch(INPUT, 10, 5, 3));
        long[] bytes = passBytes(graph);
        assertThat(bytes[0]).as("bytes the pass computed").isGreaterThan(10_000_000L);
        assertThat(bytes[1]).as("bytes still open of %d", bytes[0]).isLessThan(bytes[0] / 100);
    }

    /** With room in the pool, what a pass frees stays open there, for the next pass to compute into, and nothing else does. */
    @Test
    void aGradientPassLeavesItsArraysInThePool()
    {
        NetworkDescription network = new DartsSearchSpace(2, 8, 2).describe(CODES.get(1), INPUT, 5);
        ArrayPool pool = new ArrayPool(Long.MAX_VALUE);
        Nd4jNetwork graph = new Nd4jNetwork(network, org.nd4j.linalg.api.buffer.DataType.FLOAT, pool);
        gradientPass(graph, randomWeights(network, 3), Networks.batch(INPUT, 10, 5, 3));
        long[] first = passBytes(graph);
        long pooled = pool.pooledBytes();
        assertThat(pooled).as("bytes pooled of %d computed", first[0]).isGreaterThan(first[0] / 10);
        assertThat(first[1] - pooled).as("bytes open outside the pool (%d open)", first[1]).isLessThan(first[0] / 100);
        // the second pass computes into the pooled arrays: the pool does not grow
        gradientPass(graph, randomWeights(network, 4), Networks.batch(INPUT, 10, 5, 4));
        assertThat(pool.pooledBytes()).isEqualTo(pooled);
    }

    /**
     * The bytes of the arrays holding the last gradient pass's values (views left out; an array that
     * held several values, reused through the pool, counted once), and of those still open.
     */
    private static long[] passBytes(Nd4jNetwork graph)
    {
        long total = 0;
        long open = 0;
        Set<INDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (InferenceSession session : graph.graph().getFunction("grad").getSessions().values()) {
            for (SDValue value : session.getNodeValueOutputs().values()) {
                for (INDArray array : value.getCollection()) {
                    if (array != null && !array.isView() && seen.add(array)) {
                        long bytes = array.length() * array.dataType().width();
                        total += bytes;
                        open += array.wasClosed() ? 0 : bytes;
                    }
                }
            }
        }
        return new long[] {total, open};
    }

    /** The loss, the logits and the gradients of one pass, copied out of the graph. */
    private static Map<String, INDArray> gradientPass(Nd4jNetwork network, Map<String, INDArray> weights, ImageBatch batch)
    {
        network.bind(weights);
        INDArray input = pixels(batch);
        INDArray labels = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, batch.size(), network.description().classes());
        for (int i = 0; i < batch.size(); i++) {
            labels.putScalar(i, batch.labels()[i], 1.0);
        }
        network.beginPass(input, labels);
        try {
            var result = network.graph().calculateGradientsAndOutputs(Map.of(Nd4jNetwork.INPUT, input, Nd4jNetwork.LABELS, labels),
                    List.of(Nd4jNetwork.LOSS, Nd4jNetwork.LOGITS), network.parameters());
            Map<String, INDArray> copied = new HashMap<>();
            result.getOutputs().forEach((name, array) -> copied.put(name, array.dup()));
            result.getGradients().forEach((name, array) -> copied.put(name, array.dup()));
            return copied;
        }
        finally {
            network.endPass();
        }
    }

    /** The batch's pixels as an NCHW float array. */
    private static INDArray pixels(ImageBatch batch)
    {
        return Nd4j.create(batch.pixels(), new long[] {batch.size(), batch.shape().channels(), batch.shape().height(), batch.shape().width()}, 'c');
    }

    private static Map<String, INDArray> randomWeights(NetworkDescription network, long seed)
    {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> arrays = new HashMap<>();
        network.parameters().forEach(parameter -> arrays.put(parameter.name(),
                Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, Nd4jArrays.shape(parameter)).muli(0.3)));
        return arrays;
    }

    /** The weights after one SGD step (lr 0.1) on the batch, as W + (W̃ − W). */
    private static Map<String, double[]> innerStep(Supernet supernet, NetworkDescription network, ImageBatch batch)
    {
        Map<String, float[]> initial = supernet.state().parameters();
        try (BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, batch); Gradient gradient = worker.gradient(loss, weights, false);
                    Weights adapted = worker.sgdStep(weights, gradient, 0.1); Gradient moved = worker.difference(adapted, weights)) {
                Map<String, double[]> after = new HashMap<>();
                moved.values().forEach((name, step) -> {
                    double[] values = new double[step.length];
                    for (int i = 0; i < step.length; i++) {
                        values[i] = initial.get(name)[i] + step[i];
                    }
                    after.put(name, values);
                });
                return after;
            }
        }
    }

    private static float[] nd4jLogits(NetworkDescription network, Map<String, float[]> weights, ImageBatch batch)
    {
        Nd4jNetwork graph = new Nd4jNetwork(network, org.nd4j.linalg.api.buffer.DataType.FLOAT, new ArrayPool(0));
        Map<String, INDArray> arrays = new HashMap<>();
        network.parameters().forEach(parameter -> arrays.put(parameter.name(),
                Nd4j.create(weights.get(parameter.name()), Nd4jArrays.shape(parameter), 'c')));
        graph.bind(arrays);
        INDArray input = pixels(batch);
        INDArray labels = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, batch.size(), network.classes());
        return graph.graph().output(Map.of(Nd4jNetwork.INPUT, input, Nd4jNetwork.LABELS, labels), Nd4jNetwork.LOGITS).get(Nd4jNetwork.LOGITS).dup('c').data().asFloat();
    }
}
