package org.atnas.searchspace.darts;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.ImageShape;
import org.atnas.api.InvalidArchitectureException;
import org.atnas.api.network.Cell;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.OpKind;
import org.atnas.api.network.ParameterSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DartsSearchSpaceTest
{
    // DARTS-V2 as architecture codes (shared/bench/BENCHMARK.md)
    static final String NORMAL = "4,4,4,4,0,3,4,0,0,3,0,6,0,0";
    static final String REDUCE = "1,1,0,1,3,1,0,3,0,0,1,3,0,0";
    static final ArchitectureCode DARTS_V2 = ArchitectureCode.parse(NORMAL + "," + REDUCE);

    private final DartsSearchSpace space = new DartsSearchSpace(2, 16, 3);

    @Test
    void dartsV2SubnetHasTheBenchmarkParameterCount()
    {
        NetworkDescription network = space.describe(DARTS_V2, new ImageShape(1, 28, 28), 5);
        // the PyTorch peer of the meta-step benchmark counts 11,557 parameters for this network
        assertThat(network.parameterCount()).isEqualTo(11_557);
        assertThat(network.classifierChannels()).isEqualTo(128);
        assertThat(network.cells()).extracting(Cell::reduction).containsExactly(false, true);
    }

    @Test
    void dartsV2IsANamedArchitectureForAnyNumberOfCells()
    {
        assertThat(space.namedArchitectures()).containsExactly(java.util.Map.entry("darts-v2", DARTS_V2));
        DartsSearchSpace eight = new DartsSearchSpace(8, 16, 3);
        ArchitectureCode deep = eight.namedArchitectures().get("darts-v2");
        eight.validate(deep);
        // reduction cells at 1/3 and 2/3 of the depth take DARTS-V2's reduction cell, the others its normal cell
        StringBuilder expected = new StringBuilder();
        for (int cell = 0; cell < 8; cell++) {
            expected.append(cell == 0 ? "" : ",").append(cell == 2 || cell == 5 ? REDUCE : NORMAL);
        }
        assertThat(deep).isEqualTo(ArchitectureCode.parse(expected.toString()));
    }

    @Test
    void dartsV2Genotype()
    {
        String genotype = space.toNotation(DARTS_V2);
        assertThat(genotype).isEqualTo("normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), "
                + "('skip_connect', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), ('dil_conv_3x3', 2)]; "
                + "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 1), ('skip_connect', 2), "
                + "('max_pool_3x3', 0), ('skip_connect', 2), ('max_pool_3x3', 1), ('skip_connect', 2)]");
        assertThat(space.fromNotation(genotype)).isEqualTo(DARTS_V2);
    }

    @Test
    void genotypeAcceptsEdgesOfANodeInAnyOrder()
    {
        String swapped = space.toNotation(DARTS_V2).replace("('skip_connect', 0), ('sep_conv_3x3', 1)", "('sep_conv_3x3', 1), ('skip_connect', 0)");
        assertThat(space.fromNotation(swapped)).isEqualTo(DARTS_V2);
    }

    @Test
    void genotypeErrors()
    {
        assertThatThrownBy(() -> space.fromNotation("normal=[]"))
                .hasMessage("Invalid DARTS genotype: it has 1 cells, expected 2 (cells separated by ';')");
        assertThatThrownBy(() -> space.fromNotation(space.toNotation(DARTS_V2).replace("reduce=", "normal=")))
                .hasMessage("Invalid DARTS genotype: cell 1 is a reduction cell, expected reduce=[...] but got normal=[...]");
        assertThatThrownBy(() -> space.fromNotation(space.toNotation(DARTS_V2).replaceFirst("dil_conv_3x3", "conv_9x9")))
                .hasMessage("Invalid DARTS genotype: cell 0, node 3 has op 'conv_9x9', expected one of [max_pool_3x3, avg_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5]");
        assertThatThrownBy(() -> space.fromNotation(space.toNotation(DARTS_V2).replaceFirst("\\('sep_conv_3x3', 1\\)", "('sep_conv_3x3', 0)")))
                .hasMessage("Invalid DARTS genotype: cell 0, node 0 reads node 0 twice");
        assertThatThrownBy(() -> space.fromNotation(space.toNotation(DARTS_V2).replaceFirst("\\('dil_conv_3x3', 2\\)", "('dil_conv_3x3', 7)")))
                .hasMessage("Invalid DARTS genotype: cell 0, node 3 reads node 7, expected an input from 0 to 4");
    }

    @Test
    void validationNamesCellNodeAndEdges()
    {
        assertThatThrownBy(() -> space.validate(ArchitectureCode.parse(NORMAL)))
                .isInstanceOf(InvalidArchitectureException.class)
                .hasMessage("Invalid DARTS code: it has 14 values, expected 28 (14 edges x 2 cells)");
        assertThatThrownBy(() -> space.validate(ArchitectureCode.parse(NORMAL + ",1,1,0,1,3,1,3,3,0,0,1,3,0,0")))
                .hasMessage("Invalid DARTS code: cell 1, node 2 (edges 5-8) has 3 non-zero incoming edges [5, 6, 7], expected exactly 2");
        assertThatThrownBy(() -> space.validate(ArchitectureCode.parse(NORMAL + ",1,0,0,1,3,1,0,3,0,0,1,3,0,0")))
                .hasMessage("Invalid DARTS code: cell 1, node 0 (edges 0-1) has 1 non-zero incoming edges [0], expected exactly 2");
        assertThatThrownBy(() -> space.validate(ArchitectureCode.parse("4,4,4,4,0,3,4,0,0,3,0,6,0,9," + REDUCE)))
                .hasMessage("Invalid DARTS code: cell 0, node 3, edge 13 (from node 4) holds 9, expected an op code from 0 to 7");
        assertThatThrownBy(() -> space.describe(ArchitectureCode.parse(NORMAL + "," + NORMAL.replace("4,4,4,4", "4,0,4,4")), new ImageShape(1, 28, 28), 5))
                .hasMessage("Invalid DARTS code: cell 1, node 0 (edges 0-1) has 1 non-zero incoming edges [0], expected exactly 2");
    }

    @Test
    void sampledCodesAreValidForThousandsOfSeeds()
    {
        DartsSearchSpace deep = new DartsSearchSpace(8, 16, 3);
        Set<ArchitectureCode> distinct = new HashSet<>();
        for (long seed = 0; seed < 5_000; seed++) {
            ArchitectureCode code = deep.sample(new SplittableRandom(seed));
            deep.validate(code);
            distinct.add(code);
            assertThat(deep.fromNotation(deep.toNotation(code))).isEqualTo(code);
            assertThat(ArchitectureCode.parse(code.format())).isEqualTo(code);
        }
        assertThat(distinct).hasSize(5_000);
    }

    @Test
    void samplingIsDeterministicForASeed()
    {
        assertThat(space.sample(new SplittableRandom(42))).isEqualTo(space.sample(new SplittableRandom(42)));
        assertThat(space.sample(new SplittableRandom(42))).isNotEqualTo(space.sample(new SplittableRandom(43)));
    }

    @Test
    void sampledOpsAndInputsCoverEveryChoice()
    {
        int[][] counts = new int[DartsSearchSpace.EDGES_PER_CELL][8];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            ArchitectureCode code = space.sample(random);
            for (int edge = 0; edge < DartsSearchSpace.EDGES_PER_CELL; edge++) {
                counts[edge][code.get(edge)]++;
            }
        }
        // node 0 always uses both inputs; node 3 picks 2 of 5 inputs, so each edge is on 40% of the time
        assertThat(counts[0][0]).isZero();
        assertThat(20_000 - counts[13][0]).isBetween(7_600, 8_400);
        for (int op = 1; op < 8; op++) {
            assertThat(counts[0][op]).isBetween(2_600, 3_100);
        }
    }

    @Test
    void genesAreTheIntermediateNodes()
    {
        DartsSearchSpace deep = new DartsSearchSpace(8, 16, 3);
        assertThat(deep.genes()).hasSize(32);
        assertThat(deep.genes().get(5).name()).isEqualTo("cell1.node1");
        assertThat(deep.genes().get(5).positions()).containsExactly(16, 17, 18);
        int covered = deep.genes().stream().mapToInt(gene -> gene.positions().length).sum();
        assertThat(covered).isEqualTo(deep.codeLength());
    }

    @Test
    void eightCellNetworkReducesAtOneThirdAndTwoThirds()
    {
        DartsSearchSpace deep = new DartsSearchSpace(8, 16, 3);
        ArchitectureCode code = deep.sample(new SplittableRandom(1));
        NetworkDescription network = deep.describe(code, new ImageShape(3, 84, 84), 5);
        assertThat(network.cells()).extracting(Cell::reduction).containsExactly(false, false, true, false, false, true, false, false);
        assertThat(network.cells()).extracting(Cell::channels).containsExactly(16, 16, 32, 32, 32, 64, 64, 64);
        // the cell after a reduction preprocesses its older input with a factorized reduce
        assertThat(network.cells().get(3).preprocess().get(0).kind()).isEqualTo(OpKind.FACTORIZED_REDUCE);
        assertThat(network.cells().get(4).preprocess().get(0).kind()).isEqualTo(OpKind.RELU_CONV_BN);
        assertThat(network.classifierChannels()).isEqualTo(256);
    }

    @Test
    void subnetParametersAreASubsetOfTheSupernetsByName()
    {
        ImageShape input = new ImageShape(1, 28, 28);
        NetworkDescription supernet = space.describeSupernet(input, 5);
        Set<ParameterSpec> all = new HashSet<>(supernet.parameters());
        for (long seed = 0; seed < 200; seed++) {
            NetworkDescription subnet = space.describe(space.sample(new SplittableRandom(seed)), input, 5);
            assertThat(all).containsAll(subnet.parameters());
        }
        assertThat(space.describe(DARTS_V2, input, 5).parameters()).extracting(ParameterSpec::name)
                .contains("stem.conv.weight", "cell0.pre0.conv.weight", "cell0.edge0.sep_conv_3x3.pw1.weight", "cell1.edge5.max_pool_3x3.bn.weight", "classifier.bias")
                .doesNotContain("cell0.edge4.sep_conv_3x3.dw1.weight");
        assertThat(supernet.parameterCount()).isGreaterThan(10 * space.describe(DARTS_V2, input, 5).parameterCount());
    }

    @Test
    void multiplyAddsOfTheStem()
    {
        DartsSearchSpace oneCell = new DartsSearchSpace(1, 2, 1);
        NetworkDescription network = oneCell.describe(ArchitectureCode.parse("3,3,3,3,0,3,3,0,0,3,3,0,0,0"), new ImageShape(1, 4, 4), 2);
        // stem 3x3 conv 1->2 on 4x4: 16*2*9 = 288; pre0 and pre1 1x1 conv 2->2 on 4x4: 2*64 = 128; skips are free; classifier 8*2 = 16
        assertThat(network.multiplyAdds()).isEqualTo(288 + 128 + 16);
        assertThat(network.parameterCount()).isEqualTo(18 + 4 + 2 * (4 + 4) + 16 + 2);
    }
}
