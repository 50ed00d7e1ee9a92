#if($service == "evolver")
package ${package};

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Evolver;
import org.atnas.api.Gene;
import org.atnas.api.Individual;
import org.atnas.api.Population;
import org.atnas.api.SearchSpace;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the best quarter of a population (at least one) with their fitness, and fills the rest
 * with their mutants: each gene of a parent drawn anew with the mutation probability. A mutant
 * that repeats a code or that the space refuses (the engine may constrain a space) is replaced by
 * a random code of the space.
 */
public final class ${className}
        implements Evolver
{
    public static final String NAME = "${componentName}";

    private final double mutationProbability;

    public ${className}(double mutationProbability)
    {
        if (!(mutationProbability >= 0 && mutationProbability <= 1)) {
            throw new IllegalArgumentException("mutationProbability must be between 0 and 1, got " + mutationProbability);
        }
        this.mutationProbability = mutationProbability;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public Population evolve(Population evaluated, SearchSpace space, RandomGenerator random)
    {
        return next(ranked(evaluated), evaluated.size(), space, random);
    }

    @Override
    public Population halve(Population evaluated, SearchSpace space, RandomGenerator random)
    {
        List<Individual> ranked = ranked(evaluated);
        return ranked.size() == 1 ? evaluated : next(ranked, ranked.size() / 2, space, random);
    }

    private Population next(List<Individual> ranked, int size, SearchSpace space, RandomGenerator random)
    {
        List<Individual> parents = ranked.subList(0, Math.max(1, size / 4));
        List<Individual> next = new ArrayList<>(parents);
        Set<ArchitectureCode> codes = new HashSet<>();
        parents.forEach(parent -> codes.add(parent.code()));
        while (next.size() < size) {
            ArchitectureCode child = mutate(parents.get(random.nextInt(parents.size())).code(), space, random);
            if (codes.contains(child) || !space.isValid(child)) {
                child = space.sample(random);
            }
            codes.add(child);
            next.add(Individual.unevaluated(child));
        }
        return new Population(next);
    }

    private ArchitectureCode mutate(ArchitectureCode parent, SearchSpace space, RandomGenerator random)
    {
        ArchitectureCode mutant = parent;
        List<Gene> genes = space.genes();
        for (int g = 0; g < genes.size(); g++) {
            if (random.nextDouble() < mutationProbability) {
                mutant = mutant.with(genes.get(g).positions(), space.sampleGene(g, random));
            }
        }
        return mutant;
    }

    private static List<Individual> ranked(Population evaluated)
    {
        requireNonNull(evaluated, "evaluated is null");
        if (evaluated.size() == 0) {
            throw new IllegalArgumentException("Cannot evolve an empty population");
        }
        for (Individual individual : evaluated.individuals()) {
            if (!individual.isEvaluated()) {
                throw new IllegalArgumentException("Cannot evolve a population with unevaluated individuals, such as " + individual.code());
            }
        }
        return evaluated.ranked();
    }
}
#elseif($service == "search-space")
package ${package};

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

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
 * A chain of nodes after a stem convolution: node i reads node i − 1 through one op of four. A
 * code holds one op index per node, each node its own gene. The supernet sums all four ops on
 * every edge, so that its parameters are the union of every subnet's.
 */
public final class ${className}
        implements SearchSpace
{
    public static final String NAME = "${componentName}";
    private static final List<String> OPS = List.of("skip", "conv_1x1", "conv_3x3", "avg_pool_3x3");

    private final int nodes;
    private final int channels;

    public ${className}(int nodes, int channels)
    {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be at least 1, got " + nodes);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be at least 1, got " + channels);
        }
        this.nodes = nodes;
        this.channels = channels;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int codeLength()
    {
        return nodes;
    }

    @Override
    public int choices(int position)
    {
        return OPS.size();
    }

    @Override
    public String optionName(int position, int value)
    {
        return OPS.get(value);
    }

    @Override
    public List<Gene> genes()
    {
        return IntStream.range(0, nodes).mapToObj(node -> new Gene("node" + (node + 1), new int[] {node})).toList();
    }

    @Override
    public ArchitectureCode sample(RandomGenerator random)
    {
        int[] values = new int[nodes];
        for (int node = 0; node < nodes; node++) {
            values[node] = random.nextInt(OPS.size());
        }
        return ArchitectureCode.of(values);
    }

    @Override
    public int[] sampleGene(int gene, RandomGenerator random)
    {
        return new int[] {random.nextInt(OPS.size())};
    }

    @Override
    public void validate(ArchitectureCode code)
    {
        if (code.length() != nodes) {
            throw new InvalidArchitectureException("A " + NAME + " code has " + nodes + " positions, one per node, got " + code.length());
        }
        for (int node = 0; node < nodes; node++) {
            if (code.get(node) >= OPS.size()) {
                throw new InvalidArchitectureException("Node " + (node + 1) + " holds op " + code.get(node) + ", expected 0 to " + (OPS.size() - 1) + " " + OPS);
            }
        }
    }

    @Override
    public String toNotation(ArchitectureCode code)
    {
        validate(code);
        return "chain(" + String.join(",", IntStream.range(0, nodes).mapToObj(node -> OPS.get(code.get(node))).toList()) + ")";
    }

    @Override
    public ArchitectureCode fromNotation(String notation)
    {
        if (!notation.startsWith("chain(") || !notation.endsWith(")")) {
            throw new IllegalArgumentException("A " + NAME + " notation reads chain(op,op,...), got [" + notation + "]");
        }
        List<Integer> values = new ArrayList<>();
        for (String op : notation.substring(6, notation.length() - 1).split(",", -1)) {
            int value = OPS.indexOf(op.strip());
            if (value < 0) {
                throw new IllegalArgumentException("Unknown op [" + op.strip() + "] in [" + notation + "]; known: " + OPS);
            }
            values.add(value);
        }
        return ArchitectureCode.of(values.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public NetworkDescription describe(ArchitectureCode code, ImageShape input, int classes)
    {
        validate(code);
        return network(input, classes, node -> List.of(code.get(node)));
    }

    @Override
    public NetworkDescription describeSupernet(ImageShape input, int classes)
    {
        return network(input, classes, node -> IntStream.range(0, OPS.size()).boxed().toList());
    }

    /** The chain with the ops {@code opsOf(node)} on the edge into each node (cell node 0 is the cell's input). */
    private NetworkDescription network(ImageShape input, int classes, IntFunction<List<Integer>> opsOf)
    {
        Op stem = new Op("stem", OpKind.CONV_BN, input.channels(), channels, 3, 1, 1);
        List<Node> chain = new ArrayList<>();
        for (int node = 0; node < nodes; node++) {
            int from = node;
            chain.add(new Node(opsOf.apply(node).stream().map(op -> new Edge(from, op(from + 1, op))).toList()));
        }
        Op identity = new Op("cell.input", OpKind.SKIP, channels, channels, 1, 1, 1);
        Cell cell = new Cell("cell", false, channels, List.of(-1), List.of(identity), chain, List.of(nodes));
        return new NetworkDescription(input, classes, stem, List.of(cell), Optional.of(new Op("lastact", OpKind.BN_RELU, channels, channels, 1, 1, 1)));
    }

    private Op op(int node, int op)
    {
        String prefix = "cell.node" + node + "." + OPS.get(op);
        return switch (op) {
            case 0 -> new Op(prefix, OpKind.SKIP, channels, channels, 1, 1, 1);
            case 1 -> new Op(prefix, OpKind.RELU_CONV_BN, channels, channels, 1, 1, 1);
            case 2 -> new Op(prefix, OpKind.RELU_CONV_BN, channels, channels, 3, 1, 1);
            default -> new Op(prefix, OpKind.AVG_POOL, channels, channels, 3, 1, 1);
        };
    }
}
#elseif($service == "backend")
package ${package};

import java.util.EnumSet;
import java.util.Set;

import org.atnas.api.BackendCapability;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Supernet;
import org.atnas.api.WeightBackend;
import org.atnas.api.network.NetworkDescription;

/**
 * A weight backend: compiles network descriptions and runs them on a tensor library. Write
 * createSupernet and what it returns; the conformance kit ({@code ${className}Test}) says what is
 * still missing or wrong, op by op: until then {@code mvn package} fails in its tests.
 */
public final class ${className}
        implements WeightBackend
{
    public static final String NAME = "${componentName}";

    private final boolean float64;

    public ${className}(boolean float64)
    {
        this.float64 = float64;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public Set<BackendCapability> capabilities()
    {
        return EnumSet.noneOf(BackendCapability.class);
    }

    @Override
    public Supernet createSupernet(NetworkDescription supernet, MetaUpdate metaUpdate, long seed)
    {
        throw new UnsupportedOperationException("Backend [" + NAME + "] cannot create a supernet yet (float64 = " + float64 + ")");
    }

    @Override
    public void close() {}
}
#elseif($service == "meta-optimizer")
package ${package};

import java.util.EnumSet;
import java.util.Set;

import org.atnas.api.Adaptation;
import org.atnas.api.BackendCapability;
import org.atnas.api.BackendWorker;
import org.atnas.api.InnerLoop;
import org.atnas.api.Loss;
import org.atnas.api.MetaGradient;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.Subnet;
import org.atnas.api.Task;
import org.atnas.api.Weights;

/**
 * First-order MAML: the meta-gradient of a pair is the query loss's gradient at the weights the
 * inner loop adapted, the inner steps treated as constants. Stateless, so thread-safe.
 */
public final class ${className}
        implements MetaOptimizer
{
    public static final String NAME = "${componentName}";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public Set<BackendCapability> requiredCapabilities()
    {
        return EnumSet.noneOf(BackendCapability.class);
    }

    @Override
    public MetaGradient metaGradient(BackendWorker worker, Subnet subnet, Task task, InnerLoop innerLoop)
    {
        try (Weights start = worker.weights(subnet, false);
                Weights adapted = MetaOptimizer.innerLoop(worker, subnet, start, task, innerLoop, false);
                Loss query = worker.forward(subnet, adapted, task.query())) {
            MetaOptimizer.requireFinite(query, "query", innerLoop.steps(), task);
            return new MetaGradient(worker.gradient(query, adapted, false), new Adaptation(query.value(), query.accuracy()));
        }
    }
}
#elseif($service == "predictor")
package ${package};

import java.util.List;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Individual;
import org.atnas.api.Predictor;
import org.atnas.api.SearchSpace;

import static java.util.Objects.requireNonNull;

/**
 * An additive model: the predicted fitness of a code is the mean fitness plus, for each position,
 * the mean difference from it of the trained codes holding the same value there. Deterministic, so
 * the seed is not needed.
 */
public final class ${className}
        implements Predictor
{
    public static final String NAME = "${componentName}";

    private SearchSpace space;
    private double mean;
    private double[][] effects;

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public void train(SearchSpace space, List<Individual> evaluated, long seed)
    {
        requireNonNull(space, "space is null");
        if (evaluated.isEmpty()) {
            throw new IllegalArgumentException("Predictor [" + NAME + "] needs at least one evaluated architecture to train");
        }
        double[] fitness = new double[evaluated.size()];
        double sum = 0;
        for (int i = 0; i < fitness.length; i++) {
            Individual individual = evaluated.get(i);
            space.validate(individual.code());
            fitness[i] = individual.fitness().orElseThrow(() -> new IllegalArgumentException(
                    "Predictor [" + NAME + "] trains on evaluated architectures only; " + individual.code() + " has no fitness"));
            sum += fitness[i];
        }
        double newMean = sum / fitness.length;
        double[][] total = new double[space.codeLength()][];
        int[][] count = new int[space.codeLength()][];
        for (int position = 0; position < total.length; position++) {
            total[position] = new double[space.choices(position)];
            count[position] = new int[space.choices(position)];
        }
        for (int i = 0; i < fitness.length; i++) {
            ArchitectureCode code = evaluated.get(i).code();
            for (int position = 0; position < total.length; position++) {
                total[position][code.get(position)] += fitness[i] - newMean;
                count[position][code.get(position)]++;
            }
        }
        for (int position = 0; position < total.length; position++) {
            for (int value = 0; value < total[position].length; value++) {
                total[position][value] = count[position][value] == 0 ? 0 : total[position][value] / count[position][value];
            }
        }
        this.space = space;
        this.mean = newMean;
        this.effects = total;
    }

    @Override
    public double predict(ArchitectureCode code)
    {
        if (space == null) {
            throw new IllegalStateException("Predictor [" + NAME + "] has not been trained yet");
        }
        space.validate(code);
        double predicted = mean;
        for (int position = 0; position < effects.length; position++) {
            predicted += effects[position][code.get(position)];
        }
        return predicted;
    }
}
#end
