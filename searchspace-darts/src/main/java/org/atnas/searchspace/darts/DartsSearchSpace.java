package org.atnas.searchspace.darts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.atnas.api.ArchitectureCode;
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

/**
 * The DARTS cell space (DESIGN.md §1). Each cell instance is searched on its own: a code holds 14
 * values per cell, the edges of its 4 intermediate nodes in order (node 0 reads inputs 0 and 1,
 * node 1 reads 0..2, node 2 reads 0..3, node 3 reads 0..4), each an op code from 0 (no edge) to 7.
 * Every intermediate node has exactly two non-zero incoming edges. Reduction cells sit at 1/3 and
 * 2/3 of the depth (with 2 cells: the second).
 */
public final class DartsSearchSpace
        implements SearchSpace
{
    public static final String NAME = "darts";
    static final int NODES = 4;
    static final int INPUTS = 2;
    static final int EDGES_PER_CELL = 14;
    private static final int EDGES_PER_NODE = 2;
    private static final Pattern CELL_NOTATION = Pattern.compile("\\s*(normal|reduce)\\s*=\\s*\\[(.*)]\\s*");
    /** DARTS-V2's normal and reduction cells (Liu et al. 2019) as cell codes, in the edge order of shared/bench/BENCHMARK.md. */
    static final String DARTS_V2_NORMAL = "4,4,4,4,0,3,4,0,0,3,0,6,0,0";
    static final String DARTS_V2_REDUCE = "1,1,0,1,3,1,0,3,0,0,1,3,0,0";
    private static final Pattern EDGE_NOTATION = Pattern.compile("\\(\\s*'([a-z0-9_]+)'\\s*,\\s*(\\d+)\\s*\\)");

    private final int cells;
    private final int channels;
    private final int stemMultiplier;
    private final List<Gene> genes;

    /**
     * @param cells number of cells, each searched on its own (the paper's small network: 2)
     * @param channels initial channels C (doubled at every reduction cell)
     * @param stemMultiplier the stem writes {@code stemMultiplier * channels} channels
     */
    public DartsSearchSpace(int cells, int channels, int stemMultiplier)
    {
        if (cells < 1) {
            throw new IllegalArgumentException("cells must be at least 1, got " + cells);
        }
        if (channels < 2 || channels % 2 != 0) {
            throw new IllegalArgumentException("channels must be an even number of at least 2, got " + channels);
        }
        if (stemMultiplier < 1) {
            throw new IllegalArgumentException("stemMultiplier must be at least 1, got " + stemMultiplier);
        }
        this.cells = cells;
        this.channels = channels;
        this.stemMultiplier = stemMultiplier;
        List<Gene> genes = new ArrayList<>();
        for (int cell = 0; cell < cells; cell++) {
            for (int node = 0; node < NODES; node++) {
                int first = cell * EDGES_PER_CELL + firstEdge(node);
                int[] positions = new int[node + INPUTS];
                for (int i = 0; i < positions.length; i++) {
                    positions[i] = first + i;
                }
                genes.add(new Gene("cell" + cell + ".node" + node, positions));
            }
        }
        this.genes = List.copyOf(genes);
    }

    /** The first edge (within a cell) of intermediate node {@code node}: 0, 2, 5, 9. */
    static int firstEdge(int node)
    {
        return node * (node + 3) / 2;
    }

    public int cells()
    {
        return cells;
    }

    /** Whether cell {@code cell} is a reduction cell. */
    public boolean isReduction(int cell)
    {
        if (cells == 2) {
            return cell == 1;
        }
        return cells > 2 && (cell == cells / 3 || cell == 2 * cells / 3);
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int codeLength()
    {
        return cells * EDGES_PER_CELL;
    }

    @Override
    public int choices(int position)
    {
        checkPosition(position);
        return DartsOp.ALL.size();
    }

    @Override
    public String optionName(int position, int value)
    {
        checkPosition(position);
        if (value < 0 || value >= DartsOp.ALL.size()) {
            throw new IllegalArgumentException("Op code " + value + " does not exist; DARTS op codes run from 0 to " + (DartsOp.ALL.size() - 1));
        }
        return DartsOp.ofCode(value).opName();
    }

    @Override
    public List<Gene> genes()
    {
        return genes;
    }

    @Override
    public ArchitectureCode sample(RandomGenerator random)
    {
        int[] values = new int[codeLength()];
        for (int g = 0; g < genes.size(); g++) {
            int[] positions = genes.get(g).positions();
            int[] geneValues = sampleGene(g, random);
            for (int i = 0; i < positions.length; i++) {
                values[positions[i]] = geneValues[i];
            }
        }
        return ArchitectureCode.of(values);
    }

    @Override
    public int[] sampleGene(int gene, RandomGenerator random)
    {
        int inputs = genes.get(gene).positions().length;
        int first = random.nextInt(inputs);
        int second = random.nextInt(inputs - 1);
        if (second >= first) {
            second++;
        }
        int[] values = new int[inputs];
        values[first] = 1 + random.nextInt(DartsOp.ALL.size() - 1);
        values[second] = 1 + random.nextInt(DartsOp.ALL.size() - 1);
        return values;
    }

    @Override
    public void validate(ArchitectureCode code)
    {
        if (code.length() != codeLength()) {
            throw new InvalidArchitectureException("Invalid DARTS code: it has " + code.length() + " values, expected " + codeLength() + " (14 edges x " + cells + " cells)");
        }
        for (int cell = 0; cell < cells; cell++) {
            for (int node = 0; node < NODES; node++) {
                int first = firstEdge(node);
                int last = first + node + INPUTS - 1;
                List<Integer> chosen = new ArrayList<>();
                for (int edge = first; edge <= last; edge++) {
                    int value = code.get(cell * EDGES_PER_CELL + edge);
                    if (value >= DartsOp.ALL.size()) {
                        throw new InvalidArchitectureException("Invalid DARTS code: cell " + cell + ", node " + node + ", edge " + edge + " (from node " + (edge - first) + ") holds " + value + ", expected an op code from 0 to " + (DartsOp.ALL.size() - 1));
                    }
                    if (value != 0) {
                        chosen.add(edge);
                    }
                }
                if (chosen.size() != EDGES_PER_NODE) {
                    throw new InvalidArchitectureException("Invalid DARTS code: cell " + cell + ", node " + node + " (edges " + first + "-" + last + ") has " + chosen.size() + " non-zero incoming edges " + chosen + ", expected exactly 2");
                }
            }
        }
    }

    /**
     * The genotype in DARTS notation, one cell after the other separated by {@code ; }, each cell
     * {@code normal=[...]} or {@code reduce=[...]} listing its chosen edges as
     * {@code ('op', input node)}, two per intermediate node, in code order.
     */
    @Override
    public String toNotation(ArchitectureCode code)
    {
        validate(code);
        StringBuilder text = new StringBuilder();
        for (int cell = 0; cell < cells; cell++) {
            if (cell > 0) {
                text.append("; ");
            }
            text.append(isReduction(cell) ? "reduce" : "normal").append("=[");
            boolean firstEdge = true;
            for (int node = 0; node < NODES; node++) {
                for (int input = 0; input < node + INPUTS; input++) {
                    int value = code.get(cell * EDGES_PER_CELL + firstEdge(node) + input);
                    if (value != 0) {
                        text.append(firstEdge ? "" : ", ").append("('").append(DartsOp.ofCode(value).opName()).append("', ").append(input).append(')');
                        firstEdge = false;
                    }
                }
            }
            text.append(']');
        }
        return text.toString();
    }

    @Override
    public ArchitectureCode fromNotation(String notation)
    {
        String[] cellTexts = notation.split(";", -1);
        if (cellTexts.length != cells) {
            throw new IllegalArgumentException("Invalid DARTS genotype: it has " + cellTexts.length + " cells, expected " + cells + " (cells separated by ';')");
        }
        int[] values = new int[codeLength()];
        for (int cell = 0; cell < cells; cell++) {
            Matcher matcher = CELL_NOTATION.matcher(cellTexts[cell]);
            String expectedKind = isReduction(cell) ? "reduce" : "normal";
            if (!matcher.matches()) {
                throw new IllegalArgumentException("Invalid DARTS genotype: cell " + cell + " [" + cellTexts[cell].strip() + "] is not of the form " + expectedKind + "=[('op', input), ...]");
            }
            if (!matcher.group(1).equals(expectedKind)) {
                throw new IllegalArgumentException("Invalid DARTS genotype: cell " + cell + " is a " + (isReduction(cell) ? "reduction" : "normal") + " cell, expected " + expectedKind + "=[...] but got " + matcher.group(1) + "=[...]");
            }
            String edges = matcher.group(2);
            Matcher edge = EDGE_NOTATION.matcher(edges);
            int index = 0;
            int end = 0;
            while (edge.find()) {
                String between = edges.substring(end, edge.start()).strip();
                if (!between.equals(index == 0 ? "" : ",")) {
                    throw new IllegalArgumentException("Invalid DARTS genotype: cell " + cell + " has unexpected text [" + between + "] before edge " + index);
                }
                end = edge.end();
                int node = index / EDGES_PER_NODE;
                if (node >= NODES) {
                    throw new IllegalArgumentException("Invalid DARTS genotype: cell " + cell + " lists more than " + NODES * EDGES_PER_NODE + " edges");
                }
                int op = DartsOp.NAMES.indexOf(edge.group(1));
                if (op <= 0) {
                    throw new IllegalArgumentException("Invalid DARTS genotype: cell " + cell + ", node " + node + " has op '" + edge.group(1) + "', expected one of " + DartsOp.NAMES.subList(1, DartsOp.NAMES.size()));
                }
                int input = Integer.parseInt(edge.group(2));
                if (input >= node + INPUTS) {
                    throw new IllegalArgumentException("Invalid DARTS genotype: cell " + cell + ", node " + node + " reads node " + input + ", expected an input from 0 to " + (node + INPUTS - 1));
                }
                int position = cell * EDGES_PER_CELL + firstEdge(node) + input;
                if (values[position] != 0) {
                    throw new IllegalArgumentException("Invalid DARTS genotype: cell " + cell + ", node " + node + " reads node " + input + " twice");
                }
                values[position] = op;
                index++;
            }
            if (!edges.substring(end).isBlank() || index != NODES * EDGES_PER_NODE) {
                throw new IllegalArgumentException("Invalid DARTS genotype: cell " + cell + " must list exactly " + NODES * EDGES_PER_NODE + " edges ('op', input), found " + index + (edges.substring(end).isBlank() ? "" : " and unreadable text [" + edges.substring(end).strip() + "]"));
            }
        }
        return ArchitectureCode.of(values);
    }

    /** {@code darts-v2}: DARTS-V2's normal cell in every normal cell, its reduction cell in every reduction cell. */
    @Override
    public Map<String, ArchitectureCode> namedArchitectures()
    {
        StringBuilder code = new StringBuilder();
        for (int cell = 0; cell < cells; cell++) {
            code.append(cell == 0 ? "" : ",").append(isReduction(cell) ? DARTS_V2_REDUCE : DARTS_V2_NORMAL);
        }
        return Map.of("darts-v2", ArchitectureCode.parse(code.toString()));
    }

    @Override
    public NetworkDescription describe(ArchitectureCode code, ImageShape input, int classes)
    {
        validate(code);
        return network(input, classes, (cell, edge) -> {
            int value = code.get(cell * EDGES_PER_CELL + edge);
            return value == 0 ? List.of() : List.of(DartsOp.ofCode(value));
        });
    }

    @Override
    public NetworkDescription describeSupernet(ImageShape input, int classes)
    {
        List<DartsOp> candidates = DartsOp.ALL.subList(1, DartsOp.ALL.size());
        return network(input, classes, (cell, edge) -> candidates);
    }

    private interface EdgeOps
    {
        List<DartsOp> opsOf(int cell, int edge);
    }

    /** The network of the benchmark protocol (shared/bench/BENCHMARK.md), with the given ops on each edge. */
    private NetworkDescription network(ImageShape input, int classes, EdgeOps edgeOps)
    {
        int stemChannels = stemMultiplier * channels;
        Op stem = new Op("stem", OpKind.CONV_BN, input.channels(), stemChannels, 3, 1, 1);
        List<Cell> cellList = new ArrayList<>();
        int prevPrevChannels = stemChannels;
        int prevChannels = stemChannels;
        int cellChannels = channels;
        boolean reductionPrev = false;
        for (int cell = 0; cell < cells; cell++) {
            boolean reduction = isReduction(cell);
            if (reduction) {
                cellChannels *= 2;
            }
            String cellName = "cell" + cell;
            int c = cellChannels;
            Op pre0 = reductionPrev
                    ? new Op(cellName + ".pre0", OpKind.FACTORIZED_REDUCE, prevPrevChannels, c, 1, 2, 1)
                    : new Op(cellName + ".pre0", OpKind.RELU_CONV_BN, prevPrevChannels, c, 1, 1, 1);
            Op pre1 = new Op(cellName + ".pre1", OpKind.RELU_CONV_BN, prevChannels, c, 1, 1, 1);
            List<Node> nodes = new ArrayList<>();
            for (int node = 0; node < NODES; node++) {
                List<Edge> edges = new ArrayList<>();
                for (int from = 0; from < node + INPUTS; from++) {
                    int edge = firstEdge(node) + from;
                    int stride = reduction && from < INPUTS ? 2 : 1;
                    for (DartsOp op : edgeOps.opsOf(cell, edge)) {
                        edges.add(new Edge(from, op.toOp(cellName + ".edge" + edge, c, stride)));
                    }
                }
                nodes.add(new Node(edges));
            }
            cellList.add(new Cell(cellName, reduction, c, List.of(-2, -1), List.of(pre0, pre1), nodes, List.of(2, 3, 4, 5)));
            reductionPrev = reduction;
            prevPrevChannels = prevChannels;
            prevChannels = NODES * c;
        }
        return new NetworkDescription(input, classes, stem, cellList, Optional.empty());
    }

    private void checkPosition(int position)
    {
        if (position < 0 || position >= codeLength()) {
            throw new IndexOutOfBoundsException("Position " + position + " is outside the code (length " + codeLength() + ")");
        }
    }
}
