package org.atnas.searchspace.nasbench201;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.FitnessTable;
import org.atnas.api.ImageShape;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.OpKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NasBench201SearchSpaceTest
{
    static final Path SHARED_TABLE = Path.of("../../shared/data/nasbench201/nats_bench_tss.csv");
    private static final String HEADER = "CIFAR10TestAccuracy200Epochs,CIFAR100TestAccuracy200Epochs,ImageNetTestAccuracy200Epochs,ArchitectureString,UniqueString";

    private final NasBench201SearchSpace space = new NasBench201SearchSpace(5, 16, Optional.empty());

    /** The shared table; a test that needs it fails under CI=true when it is missing, and is skipped elsewhere. */
    static Path sharedTable()
    {
        if (!Files.isRegularFile(SHARED_TABLE)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but the NAS-Bench-201 table is missing: " + SHARED_TABLE.toAbsolutePath());
            }
            assumeTrue(false, "no NAS-Bench-201 table at " + SHARED_TABLE.toAbsolutePath());
        }
        return SHARED_TABLE;
    }

    @Test
    void notationRoundTripForEveryRowOfTheTable()
            throws IOException
    {
        List<String> lines = Files.readAllLines(sharedTable());
        assertThat(lines).hasSize(15_626);
        Set<ArchitectureCode> codes = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String notation = line.split(",")[3];
            ArchitectureCode code = space.fromNotation(notation);
            space.validate(code);
            assertThat(space.toNotation(code)).isEqualTo(notation);
            codes.add(code);
        }
        assertThat(codes).hasSize(15_625);
    }

    @Test
    void tableGivesMeasuredAccuracies()
    {
        FitnessTable table = new LazyFitnessTable(sharedTable(), TableMetric.CIFAR10);
        assertThat(table.codes()).hasSize(15_625);
        assertThat(table.bestFitness()).isCloseTo(94.37, org.assertj.core.data.Offset.offset(0.005));
        ArchitectureCode second = space.fromNotation("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");
        assertThat(table.fitness(second).getAsDouble()).isEqualTo(93.66000000000001);
        assertThat(new LazyFitnessTable(sharedTable(), TableMetric.CIFAR100).fitness(second).getAsDouble()).isEqualTo(70.29333326822916);
    }

    @Test
    void codesFollowTheBenchmarksEdgeOrder()
    {
        ArchitectureCode code = space.fromNotation("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|nor_conv_1x1~0|avg_pool_3x3~1|none~2|");
        assertThat(code.format()).isEqualTo("3,0,1,2,4,0");
        assertThat(space.genes()).extracting(gene -> gene.positions().length).containsExactly(1, 2, 3);
    }

    @Test
    void notationErrors()
    {
        assertThatThrownBy(() -> space.fromNotation("|nor_conv_3x3~0|+|none~0|skip_connect~1|"))
                .hasMessage("Invalid NAS-Bench-201 string [|nor_conv_3x3~0|+|none~0|skip_connect~1|]: it has 2 nodes, expected 3 separated by '+'");
        assertThatThrownBy(() -> space.fromNotation("|conv~0|+|none~0|skip_connect~1|+|none~0|none~1|none~2|"))
                .hasMessage("Invalid NAS-Bench-201 string [|conv~0|+|none~0|skip_connect~1|+|none~0|none~1|none~2|]: node 1 has op [conv], expected one of [none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3]");
        assertThatThrownBy(() -> space.fromNotation("|none~0|+|none~1|skip_connect~0|+|none~0|none~1|none~2|"))
                .hasMessage("Invalid NAS-Bench-201 string [|none~0|+|none~1|skip_connect~0|+|none~0|none~1|none~2|]: node 2 edge [none~1] must be op~0");
        assertThatThrownBy(() -> space.fromNotation("|none~0|+|none~0|+|none~0|none~1|none~2|"))
                .hasMessage("Invalid NAS-Bench-201 string [|none~0|+|none~0|+|none~0|none~1|none~2|]: node 2 has 1 edges, expected 2");
        assertThatThrownBy(() -> space.validate(ArchitectureCode.parse("0,0,0,5,0,0")))
                .hasMessage("Invalid NAS-Bench-201 code: node 3, edge 3 (from node 0) holds 5, expected an op code from 0 to 4 [none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3]");
        assertThatThrownBy(() -> space.validate(ArchitectureCode.parse("0,0,0")))
                .hasMessage("Invalid NAS-Bench-201 code: it has 3 values, expected 6 (one per edge)");
    }

    @Test
    void sampledCodesAreValidAndCoverTheSpace()
    {
        Set<ArchitectureCode> seen = new HashSet<>();
        for (long seed = 0; seed < 100_000; seed++) {
            ArchitectureCode code = space.sample(new SplittableRandom(seed));
            space.validate(code);
            seen.add(code);
        }
        assertThat(seen.size()).isGreaterThan(15_500);
    }

    @Test
    void networkIsTheBenchmarksMacroStructure()
    {
        ArchitectureCode code = space.fromNotation("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");
        NetworkDescription network = space.describe(code, new ImageShape(3, 32, 32), 10);
        assertThat(network.cells()).hasSize(17);
        assertThat(network.cells().get(5).name()).isEqualTo("reduction1");
        assertThat(network.cells().get(5).preprocess()).extracting(op -> op.kind()).containsExactly(OpKind.RELU_CONV_BN, OpKind.POOLED_PROJECTION);
        assertThat(network.classifierChannels()).isEqualTo(64);
        assertThat(network.head().orElseThrow().kind()).isEqualTo(OpKind.BN_RELU);
        // a residual block 16->32: conv_a 16*32*9 + BN 64, conv_b 32*32*9 + BN 64, shortcut 16*32
        long block = 16 * 32 * 9 + 64 + 32 * 32 * 9 + 64 + 16 * 32;
        assertThat(network.parameters()).extracting(parameter -> parameter.name()).contains("reduction1.conv_a.conv.weight", "cell0.edge0.nor_conv_3x3.conv.weight", "lastact.bn.weight");
        NetworkDescription allNone = space.describe(ArchitectureCode.parse("0,0,0,0,0,0"), new ImageShape(3, 32, 32), 10);
        // no edge has parameters: stem 3*16*9 + 32, two blocks, lastact 128, classifier 64*10 + 10
        long block2 = 32 * 64 * 9 + 128 + 64 * 64 * 9 + 128 + 32 * 64;
        assertThat(allNone.parameterCount()).isEqualTo(3 * 16 * 9 + 32 + block + block2 + 128 + 640 + 10);
        assertThat(space.describeSupernet(new ImageShape(3, 32, 32), 10).parameterCount()).isGreaterThan(network.parameterCount());
    }

    @Test
    void malformedTablesNameFileAndLine(@TempDir Path directory)
            throws IOException
    {
        Path badRow = directory.resolve("bad.csv");
        Files.writeString(badRow, HEADER + "\n90.0,70,40,|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|,x\n91.0,70,40,|bogus~0|+|none~0|none~1|+|none~0|none~1|none~2|,x\n");
        assertThatThrownBy(() -> new LazyFitnessTable(badRow, TableMetric.CIFAR10).bestFitness())
                .hasMessage("NAS-Bench-201 table [" + badRow + "], line 3: Invalid NAS-Bench-201 string [|bogus~0|+|none~0|none~1|+|none~0|none~1|none~2|]: node 1 has op [bogus], expected one of [none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3]");
        Path noColumn = directory.resolve("nocolumn.csv");
        Files.writeString(noColumn, "a,b\n1,2\n");
        assertThatThrownBy(() -> new LazyFitnessTable(noColumn, TableMetric.CIFAR10).codes())
                .hasMessage("NAS-Bench-201 table [" + noColumn + "] has no column CIFAR10TestAccuracy200Epochs; its header is [a, b]");
        Path missing = directory.resolve("missing.csv");
        assertThatThrownBy(() -> new LazyFitnessTable(missing, TableMetric.CIFAR10).codes())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("NAS-Bench-201 table [" + missing + "] does not exist or is not a file (key nasbench201.table)");
        Path good = directory.resolve("good.csv");
        Files.writeString(good, TableFixtures.table(TableFixtures.rows()));
        assertThat(new LazyFitnessTable(good, TableMetric.CIFAR10).fitness(ArchitectureCode.parse("3,0,0,0,0,0")).getAsDouble()).isEqualTo(59.375);
    }
}
