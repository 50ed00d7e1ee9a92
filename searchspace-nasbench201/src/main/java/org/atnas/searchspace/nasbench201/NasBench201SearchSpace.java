package org.atnas.searchspace.nasbench201;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.function.IntFunction;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.FitnessTable;
import org.atnas.api.Gene;
import org.atnas.api.ImageShape;
import org.atnas.api.InvalidArchitectureException;
import org.atnas.api.SearchSpace;
import org.atnas.api.network.Cell;
import org.atnas.api.network.Edge;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.Node;
import org.atnas.api.network.Op;
import org.atnas.api.network.OpKind;

import static java.util.Objects.requireNonNull;

/**
 * The NAS-Bench-201 cell space: a cell of 4 nodes where node j sums one edge from every earlier
 * node, 6 edges in all, each one of 5 ops; all 5^6 = 15,625 codes are valid. The code lists the
 * edges in the benchmark's string order: {@code 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2}. The genes are
 * the nodes 1, 2 and 3 (1, 2 and 3 edges).
 *
 * <p>The network is the benchmark's: a 3×3 conv stem, three stages of {@code cellsPerStage} cells
 * (the same code in every cell, each cell with its own weights) joined by residual reduction
 * blocks that double the channels, then BN-ReLU, global pooling and a linear classifier.
 */
public final class NasBench201SearchSpace
        implements SearchSpace
{
    public static final String NAME = "nasbench201";
    static final List<String> OPS = List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3");
    static final int EDGES = 6;
    private static final int[] TARGET = {1, 2, 2, 3, 3, 3};
    private static final int[] SOURCE = {0, 0, 1, 0, 1, 2};
    private static final List<Gene> GENES = List.of(
            new Gene("node1", new int[] {0}),
            new Gene("node2", new int[] {1, 2}),
            new Gene("node3", new int[] {3, 4, 5}));

    private final int cellsPerStage;
    private final int channels;
    private final Optional<FitnessTable> table;

    /**
     * @param cellsPerStage cells in each of the three stages (the benchmark: 5)
     * @param channels channels of the first stage (the benchmark: 16)
     * @param table the measured fitness of every cell, if configured
     */
    public NasBench201SearchSpace(int cellsPerStage, int channels, Optional<FitnessTable> table)
    {
        if (cellsPerStage < 1) {
            throw new IllegalArgumentException("cellsPerStage must be at least 1, got " + cellsPerStage);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be at least 1, got " + channels);
        }
        this.cellsPerStage = cellsPerStage;
        this.channels = channels;
        this.table = requireNonNull(table, "table is null");
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int codeLength()
    {
        return EDGES;
    }

    @Override
    public int choices(int position)
    {
        checkPosition(position);
        return OPS.size();
    }

    @Override
    public String optionName(int position, int value)
    {
        checkPosition(position);
        if (value < 0 || value >= OPS.size()) {
            throw new IllegalArgumentException("Op code " + value + " does not exist; NAS-Bench-201 op codes run from 0 to " + (OPS.size() - 1));
        }
        return OPS.get(value);
    }

    @Override
    public List<Gene> genes()
    {
        return GENES;
    }

    @Override
    public ArchitectureCode sample(RandomGenerator random)
    {
        int[] values = new int[EDGES];
        for (int i = 0; i < EDGES; i++) {
            values[i] = random.nextInt(OPS.size());
        }
        return ArchitectureCode.of(values);
    }

    @Override
    public int[] sampleGene(int gene, RandomGenerator random)
    {
        int[] values = new int[GENES.get(gene).positions().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(OPS.size());
        }
        return values;
    }

    @Override
    public void validate(ArchitectureCode code)
    {
        if (code.length() != EDGES) {
            throw new InvalidArchitectureException("Invalid NAS-Bench-201 code: it has " + code.length() + " values, expected " + EDGES + " (one per edge)");
        }
        for (int edge = 0; edge < EDGES; edge++) {
            if (code.get(edge) >= OPS.size()) {
                throw new InvalidArchitectureException("Invalid NAS-Bench-201 code: node " + TARGET[edge] + ", edge " + edge + " (from node " + SOURCE[edge] + ") holds " + code.get(edge) + ", expected an op code from 0 to " + (OPS.size() - 1) + " " + OPS);
            }
        }
    }

    /** The benchmark's string, for example {@code |nor_conv_3x3~0|+|none~0|skip_connect~1|+|...|}. */
    @Override
    public String toNotation(ArchitectureCode code)
    {
        validate(code);
        StringBuilder text = new StringBuilder("|");
        for (int edge = 0; edge < EDGES; edge++) {
            if (edge > 0 && SOURCE[edge] == 0) {
                text.append("+|");
            }
            text.append(OPS.get(code.get(edge))).append('~').append(SOURCE[edge]).append('|');
        }
        return text.toString();
    }

    @Override
    public ArchitectureCode fromNotation(String notation)
    {
        String[] nodes = notation.strip().split("\\+", -1);
        if (nodes.length != 3) {
            throw new IllegalArgumentException("Invalid NAS-Bench-201 string [" + notation + "]: it has " + nodes.length + " nodes, expected 3 separated by '+'");
        }
        int[] values = new int[EDGES];
        int edge = 0;
        for (int node = 1; node <= 3; node++) {
            String text = nodes[node - 1];
            if (!text.startsWith("|") || !text.endsWith("|") || text.length() < 2) {
                throw new IllegalArgumentException("Invalid NAS-Bench-201 string [" + notation + "]: node " + node + " [" + text + "] must be written |op~input|...|");
            }
            String[] edges = text.substring(1, text.length() - 1).split("\\|", -1);
            if (edges.length != node) {
                throw new IllegalArgumentException("Invalid NAS-Bench-201 string [" + notation + "]: node " + node + " has " + edges.length + " edges, expected " + node);
            }
            for (int source = 0; source < node; source++, edge++) {
                String[] parts = edges[source].split("~", -1);
                if (parts.length != 2 || !parts[1].equals(Integer.toString(source))) {
                    throw new IllegalArgumentException("Invalid NAS-Bench-201 string [" + notation + "]: node " + node + " edge [" + edges[source] + "] must be op~" + source);
                }
                int op = OPS.indexOf(parts[0]);
                if (op < 0) {
                    throw new IllegalArgumentException("Invalid NAS-Bench-201 string [" + notation + "]: node " + node + " has op [" + parts[0] + "], expected one of " + OPS);
                }
                values[edge] = op;
            }
        }
        return ArchitectureCode.of(values);
    }

    @Override
    public NetworkDescription describe(ArchitectureCode code, ImageShape input, int classes)
    {
        validate(code);
        return network(input, classes, edge -> code.get(edge) == 0 ? List.of() : List.of(code.get(edge)));
    }

    @Override
    public NetworkDescription describeSupernet(ImageShape input, int classes)
    {
        List<Integer> candidates = List.of(1, 2, 3, 4);
        return network(input, classes, edge -> candidates);
    }

    @Override
    public Optional<FitnessTable> fitnessTable()
    {
        return table;
    }

    private NetworkDescription network(ImageShape input, int classes, IntFunction<List<Integer>> edgeOps)
    {
        Op stem = new Op("stem", OpKind.CONV_BN, input.channels(), channels, 3, 1, 1);
        List<Cell> cells = new ArrayList<>();
        int c = channels;
        for (int stage = 0; stage < 3; stage++) {
            if (stage > 0) {
                cells.add(residualReduction("reduction" + stage, c, 2 * c));
                c *= 2;
            }
            for (int i = 0; i < cellsPerStage; i++) {
                cells.add(cell("cell" + cells.size(), c, edgeOps));
            }
        }
        return new NetworkDescription(input, classes, stem, cells, Optional.of(new Op("lastact", OpKind.BN_RELU, c, c, 1, 1, 1)));
    }

    private static Cell cell(String name, int c, IntFunction<List<Integer>> edgeOps)
    {
        List<List<Edge>> edges = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int edge = 0; edge < EDGES; edge++) {
            for (int op : edgeOps.apply(edge)) {
                edges.get(TARGET[edge] - 1).add(new Edge(SOURCE[edge], op(name + ".edge" + edge + "." + OPS.get(op), op, c)));
            }
        }
        Op identity = new Op(name + ".input", OpKind.SKIP, c, c, 1, 1, 1);
        return new Cell(name, false, c, List.of(-1), List.of(identity), edges.stream().map(Node::new).toList(), List.of(3));
    }

    private static Op op(String prefix, int op, int c)
    {
        return switch (op) {
            case 1 -> new Op(prefix, OpKind.SKIP, c, c, 1, 1, 1);
            case 2 -> new Op(prefix, OpKind.RELU_CONV_BN, c, c, 1, 1, 1);
            case 3 -> new Op(prefix, OpKind.RELU_CONV_BN, c, c, 3, 1, 1);
            case 4 -> new Op(prefix, OpKind.AVG_POOL, c, c, 3, 1, 1);
            default -> throw new IllegalArgumentException("Op code " + op + " has no operation");
        };
    }

    /** The benchmark's ResNet basic block with stride 2: conv_b(conv_a(x)) + project(pool(x)). */
    private static Cell residualReduction(String name, int in, int out)
    {
        Op convA = new Op(name + ".conv_a", OpKind.RELU_CONV_BN, in, out, 3, 2, 1);
        Op shortcut = new Op(name + ".shortcut", OpKind.POOLED_PROJECTION, in, out, 1, 2, 1);
        Op convB = new Op(name + ".conv_b", OpKind.RELU_CONV_BN, out, out, 3, 1, 1);
        Op add = new Op(name + ".add", OpKind.SKIP, out, out, 1, 1, 1);
        Node sum = new Node(List.of(new Edge(0, convB), new Edge(1, add)));
        return new Cell(name, false, out, List.of(-1, -1), List.of(convA, shortcut), List.of(sum), List.of(2));
    }

    private void checkPosition(int position)
    {
        if (position < 0 || position >= EDGES) {
            throw new IndexOutOfBoundsException("Position " + position + " is outside the code (length " + EDGES + ")");
        }
    }
}
