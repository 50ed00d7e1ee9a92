package org.atnas.backend.nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.ImageBatch;
import org.atnas.api.ImageShape;
import org.atnas.api.network.NetworkDescription;
import org.atnas.backend.conformance.Networks;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The eager executor computes what the SameDiff graph computes: the same loss, logits and gradients, in float64. */
class EagerNetworkTest
{
    /** The DARTS-V2 cells, and a code with every op kind of the space between its two cells. */
    private static final List<ArchitectureCode> CODES = List.of(
            ArchitectureCode.parse("4,4,4,4,0,3,4,0,0,3,0,6,0,0,1,1,0,1,3,1,0,3,0,0,1,3,0,0"),
            ArchitectureCode.parse("5,7,2,0,1,6,0,3,0,7,0,0,5,0,2,7,0,4,6,1,0,5,0,0,0,3,0,3"));

    @Test
    void theEagerPassComputesWhatTheGraphComputes()
    {
        // 28 x 28, and 13 x 13, whose odd sizes reach the reduction cells' padding and the shifted half of a factorized reduce
        for (ImageShape input : List.of(new ImageShape(1, 28, 28), new ImageShape(3, 13, 13))) {
            DartsSearchSpace space = new DartsSearchSpace(2, 8, 2);
            ImageBatch batch = Networks.batch(input, 7, 5, 3);
            for (ArchitectureCode code : CODES) {
                NetworkDescription network = space.describe(code, input, 5);
                Map<String, INDArray> weights = randomWeights(network, 11);
                INDArray pixels = Nd4j.create(batch.pixels(), new long[] {batch.size(), input.channels(), input.height(), input.width()}, 'c').castTo(DataType.DOUBLE);

                EagerNetwork eager = new EagerNetwork(network, Optional.empty());
                // a pass with other weights first: the compared one computes into memory that pass freed (its arrays are not cleared)
                eager.gradients(randomWeights(network, 12), pixels, batch.labels()).gradients().values().forEach(INDArray::close);
                Executor.Result result = eager.gradients(weights, pixels, batch.labels());

                Nd4jNetwork graph = new Nd4jNetwork(network, DataType.DOUBLE, new ArrayPool(0));
                INDArray labels = Nd4j.zeros(DataType.DOUBLE, batch.size(), network.classes());
                for (int i = 0; i < batch.size(); i++) {
                    labels.putScalar(i, batch.labels()[i], 1.0);
                }
                graph.bind(weights);
                graph.beginPass(pixels, labels);
                OutAndGrad expected = graph.graph().calculateGradientsAndOutputs(Map.of(Nd4jNetwork.INPUT, pixels, Nd4jNetwork.LABELS, labels),
                        List.of(Nd4jNetwork.LOSS, Nd4jNetwork.LOGITS), graph.parameters());
                try {
                    String at = code + " on " + input;
                    assertThat(result.loss()).as("%s: loss", at).isCloseTo(expected.getOutputs().get(Nd4jNetwork.LOSS).getDouble(0), within(1e-10));
                    double[] logits = expected.getOutputs().get(Nd4jNetwork.LOGITS).dup('c').data().asDouble();
                    assertThat(result.logits()).hasSize(logits.length);
                    for (int i = 0; i < logits.length; i++) {
                        assertThat((double) result.logits()[i]).as("%s: logit %d", at, i).isCloseTo(logits[i], within(1e-5));
                    }
                    assertThat(result.gradients().keySet()).containsExactlyInAnyOrderElementsOf(network.parameters().stream().map(parameter -> parameter.name()).toList());
                    result.gradients().forEach((name, gradient) -> {
                        double[] want = expected.getGradients().get(name).dup('c').data().asDouble();
                        double[] got = gradient.dup('c').data().asDouble();
                        assertThat(gradient.shape()).as("%s: shape of %s", at, name).isEqualTo(weights.get(name).shape());
                        // float64, but batch norm's gradients in closed form here and through the moments' backward ops there (the graph's scale
                        // gradients differ by up to 2e-6 of their largest; the conformance kit's finite differences hold both): within 1e-5 of it
                        double tolerance = 1e-5 * java.util.Arrays.stream(want).map(Math::abs).max().orElse(0) + 1e-12;
                        for (int i = 0; i < want.length; i++) {
                            assertThat(got[i]).as("%s: %s[%d]", at, name, i).isCloseTo(want[i], within(tolerance));
                        }
                    });
                    float[] inferred = eager.logits(weights, pixels);
                    assertThat(inferred).containsExactly(result.logits());
                }
                finally {
                    graph.endPass();
                }
            }
        }
    }

    private static Map<String, INDArray> randomWeights(NetworkDescription network, long seed)
    {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> arrays = new HashMap<>();
        network.parameters().forEach(parameter -> arrays.put(parameter.name(), Nd4j.randn(DataType.DOUBLE, Nd4jArrays.shape(parameter)).muli(0.3)));
        return arrays;
    }
}
