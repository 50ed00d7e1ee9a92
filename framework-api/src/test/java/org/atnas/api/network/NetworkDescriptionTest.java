package org.atnas.api.network;

import java.util.List;
import java.util.Optional;

import org.atnas.api.ImageShape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkDescriptionTest
{
    @Test
    void opParametersFollowTheDocumentedNamesAndShapes()
    {
        Op sep = new Op("cell0.edge3.sep_conv_5x5", OpKind.SEP_CONV, 8, 16, 5, 2, 1);
        assertThat(sep.parameters()).extracting(ParameterSpec::toString).containsExactly(
                "cell0.edge3.sep_conv_5x5.dw1.weight[8, 1, 5, 5]",
                "cell0.edge3.sep_conv_5x5.pw1.weight[8, 8, 1, 1]",
                "cell0.edge3.sep_conv_5x5.bn1.weight[8]",
                "cell0.edge3.sep_conv_5x5.bn1.bias[8]",
                "cell0.edge3.sep_conv_5x5.dw2.weight[8, 1, 5, 5]",
                "cell0.edge3.sep_conv_5x5.pw2.weight[16, 8, 1, 1]",
                "cell0.edge3.sep_conv_5x5.bn2.weight[16]",
                "cell0.edge3.sep_conv_5x5.bn2.bias[16]");
        assertThat(sep.outputSize(7)).isEqualTo(4);
        // two depthwise 5x5 and two pointwise convs on a 4x4 output
        assertThat(sep.multiplyAdds(7)).isEqualTo(16L * 8 * 25 + 16L * 8 * 8 + 16L * 8 * 25 + 16L * 16 * 8);
        assertThat(new Op("r", OpKind.FACTORIZED_REDUCE, 6, 4, 1, 2, 1).parameters()).extracting(ParameterSpec::toString)
                .containsExactly("r.conv1.weight[2, 6, 1, 1]", "r.conv2.weight[2, 6, 1, 1]", "r.bn.weight[4]", "r.bn.bias[4]");
        assertThat(new Op("s", OpKind.SKIP, 4, 4, 1, 1, 1).parameters()).isEmpty();
    }

    @Test
    void invalidOpsAreRejected()
    {
        assertThatThrownBy(() -> new Op("p", OpKind.MAX_POOL_BN, 4, 8, 3, 1, 1))
                .hasMessage("Op p of kind MAX_POOL_BN cannot change channels (4 -> 8)");
        assertThatThrownBy(() -> new Op("f", OpKind.FACTORIZED_REDUCE, 4, 5, 1, 2, 1))
                .hasMessage("Op f: FACTORIZED_REDUCE needs an even number of output channels, got 5");
        assertThatThrownBy(() -> new Op("s", OpKind.SKIP, 4, 4, 1, 2, 1))
                .hasMessage("Op s: SKIP has stride 1; use FACTORIZED_REDUCE to reduce");
        assertThatThrownBy(() -> new Op("c", OpKind.CONV_BN, 4, 4, 3, 3, 1))
                .hasMessage("Invalid op c: CONV_BN in=4 out=4 kernel=3 stride=3 dilation=1");
    }

    @Test
    void sharedPrefixesShareParametersButNotShapes()
    {
        Op stem = new Op("stem", OpKind.CONV_BN, 1, 4, 3, 1, 1);
        Op a = new Op("cell0.edge0.conv", OpKind.RELU_CONV_BN, 4, 4, 3, 1, 1);
        Op b = new Op("cell0.edge0.conv", OpKind.RELU_CONV_BN, 4, 4, 1, 1, 1);
        Cell cell = new Cell("cell0", false, 4, List.of(-1), List.of(new Op("cell0.in", OpKind.SKIP, 4, 4, 1, 1, 1)), List.of(new Node(List.of(new Edge(0, a), new Edge(0, b)))), List.of(1));
        NetworkDescription network = new NetworkDescription(new ImageShape(1, 8, 8), 3, stem, List.of(cell), Optional.empty());
        assertThatThrownBy(network::parameters)
                .hasMessage("Parameter cell0.edge0.conv.conv.weight is used with two shapes: cell0.edge0.conv.conv.weight[4, 4, 3, 3] and cell0.edge0.conv.conv.weight[4, 4, 1, 1]");
    }

    @Test
    void cellsCheckTheirWiring()
    {
        Op in = new Op("in", OpKind.SKIP, 4, 4, 1, 1, 1);
        Op op = new Op("e", OpKind.SKIP, 4, 4, 1, 1, 1);
        assertThatThrownBy(() -> new Cell("c", false, 4, List.of(-1), List.of(in), List.of(new Node(List.of(new Edge(1, op)))), List.of(1)))
                .hasMessage("Cell c: node 1 reads node 1, which does not come before it");
        assertThatThrownBy(() -> new Cell("c", false, 4, List.of(-1), List.of(in), List.of(new Node(List.of(new Edge(0, op)))), List.of(2)))
                .hasMessage("Cell c: output node 2 does not exist");
        assertThatThrownBy(() -> new Cell("c", false, 4, List.of(0), List.of(in), List.of(), List.of(0)))
                .hasMessage("Cell c: input offsets must be negative, got 0");
    }
}
