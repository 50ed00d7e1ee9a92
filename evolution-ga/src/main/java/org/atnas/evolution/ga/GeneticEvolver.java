package org.atnas.evolution.ga;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Evolver;
import org.atnas.api.Gene;
import org.atnas.api.Individual;
import org.atnas.api.Population;
import org.atnas.api.SearchSpace;

import static java.util.Objects.requireNonNull;

/**
 * The evolutionary search of AT-NAS (Algorithm 2) and its population-halving variant (Algorithm 3).
 *
 * <p>Crossover and mutation act on the space's genes (a cell space's intermediate nodes): a child
 * of crossover starts as a copy of one parent and takes each gene from the other parent with
 * probability p_c; a mutant is a copy of a parent whose genes are each re-drawn with probability
 * p_m. Both keep codes valid by the {@link SearchSpace} gene contract.
 *
 * <p>Offspring that repeat a code already in the next population, or that the space does not accept
 * (a space the engine constrains, for example by multiply-adds, can refuse what the gene contract
 * alone would allow), are drawn again (a few times), since a duplicate wastes an evaluation;
 * random codes fill what is left.
 */
public final class GeneticEvolver
        implements Evolver
{
    public static final String NAME = "ga";
    /** Draws per offspring before giving up on a new code; tiny spaces may hold fewer codes than the population. */
    private static final int ATTEMPTS = 20;

    private final double parentFraction;
    private final double crossoverProbability;
    private final double mutationProbability;

    /**
     * @param parentFraction t: the top t·K individuals are kept as parents (the paper: 1/4)
     * @param crossoverProbability p_c: per gene, the chance a child takes it from the other parent (the paper: 0.5)
     * @param mutationProbability p_m: per gene, the chance it is re-drawn (the paper: 0.5)
     */
    public GeneticEvolver(double parentFraction, double crossoverProbability, double mutationProbability)
    {
        checkProbability("parentFraction", parentFraction);
        checkProbability("crossoverProbability", crossoverProbability);
        checkProbability("mutationProbability", mutationProbability);
        if (parentFraction == 0) {
            throw new IllegalArgumentException("parentFraction must be above 0");
        }
        this.parentFraction = parentFraction;
        this.crossoverProbability = crossoverProbability;
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
        List<Individual> ranked = rankedOf(evaluated);
        int size = ranked.size();
        int parentCount = Math.min(size, Math.max(1, (int) Math.round(size * parentFraction)));
        List<Individual> parents = ranked.subList(0, parentCount);
        Offspring next = new Offspring(size, parents, space);
        for (int i = 0; i < parentCount; i++) {
            next.add(() -> crossover(pick(parents, random), pick(parents, random), space, random));
        }
        for (Individual parent : parents) {
            next.add(() -> mutate(parent.code(), space, random));
        }
        next.fill(() -> space.sample(random));
        return next.population();
    }

    /**
     * Algorithm 3's evolution: of the next population's n = max(1, K/2) places, ceil(n/4) go to the
     * best individuals, floor(n/4) to crossover, floor(n/4) to mutation and the rest to random codes.
     */
    @Override
    public Population halve(Population evaluated, SearchSpace space, RandomGenerator random)
    {
        List<Individual> ranked = rankedOf(evaluated);
        if (ranked.size() == 1) {
            return evaluated;
        }
        int size = ranked.size() / 2;
        int quarter = size / 4;
        List<Individual> parents = ranked.subList(0, (size + 3) / 4);
        Offspring next = new Offspring(size, parents, space);
        for (int i = 0; i < quarter; i++) {
            next.add(() -> crossover(pick(parents, random), pick(parents, random), space, random));
        }
        for (int i = 0; i < quarter; i++) {
            ArchitectureCode parent = parents.get(i).code();
            next.add(() -> mutate(parent, space, random));
        }
        next.fill(() -> space.sample(random));
        return next.population();
    }

    ArchitectureCode crossover(Individual first, Individual second, SearchSpace space, RandomGenerator random)
    {
        ArchitectureCode child = first.code();
        for (Gene gene : space.genes()) {
            if (random.nextDouble() < crossoverProbability) {
                child = child.with(gene.positions(), gene.valuesIn(second.code()));
            }
        }
        return child;
    }

    ArchitectureCode mutate(ArchitectureCode parent, SearchSpace space, RandomGenerator random)
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

    private static Individual pick(List<Individual> parents, RandomGenerator random)
    {
        return parents.get(random.nextInt(parents.size()));
    }

    private static List<Individual> rankedOf(Population evaluated)
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

    private static void checkProbability(String name, double value)
    {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, got " + value);
        }
    }

    /** The next population as it is built: parents first, then offspring with distinct codes. */
    private static final class Offspring
    {
        private final int size;
        private final List<Individual> members;
        private final Set<ArchitectureCode> codes = new HashSet<>();
        private final SearchSpace space;

        Offspring(int size, List<Individual> parents, SearchSpace space)
        {
            this.size = size;
            this.space = space;
            this.members = new ArrayList<>(parents);
            parents.forEach(parent -> codes.add(parent.code()));
        }

        /** Adds one offspring from {@code source}, drawing again while it repeats a member or the space refuses it; nothing if every draw does. */
        void add(Supplier<ArchitectureCode> source)
        {
            for (int attempt = 0; attempt < ATTEMPTS && members.size() < size; attempt++) {
                ArchitectureCode code = source.get();
                if (!codes.contains(code) && space.isValid(code)) {
                    codes.add(code);
                    members.add(Individual.unevaluated(code));
                    return;
                }
            }
        }

        /** Fills the remaining places from {@code source}, accepting repeats only when new codes cannot be found. */
        void fill(Supplier<ArchitectureCode> source)
        {
            while (members.size() < size) {
                int before = members.size();
                add(source);
                if (members.size() == before) {
                    members.add(Individual.unevaluated(source.get()));
                }
            }
        }

        Population population()
        {
            return new Population(members);
        }
    }
}
