package org.atnas.backend.nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The same safetensors weights in both backends: the same logits, the same step. */
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
        WeightBackend djl = new DjlBackend(1, Optional.empty(), DataType.FLOAT32);
        WeightBackend nd4j = new Nd4jBackend(1, 1536, org.nd4j.linalg.api.buffer.DataType.FLOAT);
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
        Nd4jNetwork graph = new Nd4jNetwork(network, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        Map<String, INDArray> arrays = new HashMap<>();
        network.parameters().forEach(parameter -> arrays.put(parameter.name(),
                Nd4j.create(weights.get(parameter.name()), java.util.Arrays.stream(parameter.shape()).asLongStream().toArray(), 'c')));
        graph.bind(arrays);
        INDArray input = Nd4j.create(batch.pixels(), new long[] {batch.size(), batch.shape().channels(), batch.shape().height(), batch.shape().width()}, 'c');
        INDArray labels = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, batch.size(), network.classes());
        return graph.graph().output(Map.of(Nd4jNetwork.INPUT, input, Nd4jNetwork.LABELS, labels), Nd4jNetwork.LOGITS).get(Nd4jNetwork.LOGITS).dup('c').data().asFloat();
    }
}
