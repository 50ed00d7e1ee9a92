package org.atnas.conformance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Evolver;
import org.atnas.api.Individual;
import org.atnas.api.Population;
import org.atnas.api.SearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link Evolver} must do, checked through the API only: an evolver's test extends this
 * class and implements {@link #createEvolver}. Both {@link Evolver#evolve} and
 * {@link Evolver#halve} run on every space of {@link #spaces()} (by default a {@link ToySearchSpace}
 * and the same space constrained, as the engine constrains spaces by multiply-adds): the next
 * population has the contract's size, every code in it is valid in the space, parents come back
 * with their fitness and everything else unevaluated, the best individual survives, the same seed
 * gives the same population, two threads compute what each computes alone, the input population is
 * left as it was, and an empty or partly unevaluated population is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EvolverConformance
{
    /** The evolver under test, as its factory makes it with default settings. */
    protected abstract Evolver createEvolver();

    /**
     * The spaces to evolve in. Override to add real ones (an evolver of the project runs DARTS and
     * NAS-Bench-201 too); each must hold many more codes than {@link #populationSize()}.
     */
    protected List<SearchSpace> spaces()
    {
        ToySearchSpace toy = ToySearchSpace.of(8, 4);
        // a quarter of the maximum sum: many codes refused, so offspring must be checked with isValid
        return List.of(toy, toy.constrained(toy.codeLength() * 3 / 4));
    }

    /** The population size K the kit evolves; 8 by default. */
    protected int populationSize()
    {
        return 8;
    }

    List<SearchSpace> everySpace()
    {
        return spaces();
    }

    /** A population of distinct valid codes of {@code space}, evaluated with fitness 0, 1, ... in draw order. */
    protected static Population evaluatedPopulation(SearchSpace space, int size, long seed)
    {
        SplittableRandom random = new SplittableRandom(seed);
        Set<ArchitectureCode> codes = new HashSet<>();
        List<Individual> individuals = new ArrayList<>();
        while (individuals.size() < size) {
            ArchitectureCode code = space.sample(random);
            if (codes.add(code)) {
                individuals.add(Individual.evaluated(code, individuals.size()));
            }
        }
        return new Population(individuals);
    }

    @Test
    void nameIsAConfigurationWord()
    {
        assertThat(createEvolver().name()).matches("[a-z0-9]+(-[a-z0-9]+)*");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everySpace")
    void evolveKeepsTheSizeAndReturnsOnlyValidCodes(SearchSpace space)
    {
        Evolver evolver = createEvolver();
        Population evaluated = evaluatedPopulation(space, populationSize(), 1);
        for (long seed = 0; seed < 5; seed++) {
            Population next = evolver.evolve(evaluated, space, new SplittableRandom(seed));
            assertThat(next.size()).as("size of the next population (seed %s)", seed).isEqualTo(populationSize());
            assertValidOffspringOf(evaluated, next, space);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everySpace")
    void halveHalvesTheSizeAndReturnsOnlyValidCodes(SearchSpace space)
    {
        Evolver evolver = createEvolver();
        for (int size : new int[] {populationSize(), populationSize() - 1, 3, 2}) {
            Population evaluated = evaluatedPopulation(space, size, 2);
            Population next = evolver.halve(evaluated, space, new SplittableRandom(size));
            assertThat(next.size()).as("halving a population of %s", size).isEqualTo(size / 2);
            assertValidOffspringOf(evaluated, next, space);
        }
    }

    @Test
    void halvingAPopulationOfOneKeepsIt()
    {
        SearchSpace space = spaces().get(0);
        Population one = evaluatedPopulation(space, 1, 3);
        assertThat(createEvolver().halve(one, space, new SplittableRandom(3)).individuals()).isEqualTo(one.individuals());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everySpace")
    void theBestIndividualSurvivesWithItsFitness(SearchSpace space)
    {
        Evolver evolver = createEvolver();
        Population evaluated = evaluatedPopulation(space, populationSize(), 4);
        Individual best = evaluated.best();
        assertThat(evolver.evolve(evaluated, space, new SplittableRandom(4)).individuals()).as("evolve").contains(best);
        assertThat(evolver.halve(evaluated, space, new SplittableRandom(4)).individuals()).as("halve").contains(best);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everySpace")
    void theSameSeedGivesTheSamePopulation(SearchSpace space)
    {
        Population evaluated = evaluatedPopulation(space, populationSize(), 5);
        for (long seed = 10; seed < 13; seed++) {
            assertThat(createEvolver().evolve(evaluated, space, new SplittableRandom(seed)).individuals())
                    .as("evolve, seed %s", seed)
                    .isEqualTo(createEvolver().evolve(evaluated, space, new SplittableRandom(seed)).individuals());
            assertThat(createEvolver().halve(evaluated, space, new SplittableRandom(seed)).individuals())
                    .as("halve, seed %s", seed)
                    .isEqualTo(createEvolver().halve(evaluated, space, new SplittableRandom(seed)).individuals());
        }
    }

    @Test
    void twoThreadsComputeWhatEachComputesAlone()
            throws Exception
    {
        Evolver evolver = createEvolver();
        SearchSpace space = spaces().get(0);
        Population evaluated = evaluatedPopulation(space, populationSize(), 6);
        List<BiFunction<Population, Long, Population>> runs = List.of(
                (population, seed) -> evolver.evolve(population, space, new SplittableRandom(seed)),
                (population, seed) -> evolver.halve(population, space, new SplittableRandom(seed)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Population>>> futures = new ArrayList<>();
            for (long thread = 0; thread < 2; thread++) {
                long seed = 20 + thread;
                futures.add(pool.submit(() -> {
                    List<Population> results = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        results.add(runs.get(i % 2).apply(evaluated, seed + i));
                    }
                    return results;
                }));
            }
            for (int thread = 0; thread < 2; thread++) {
                List<Population> results = futures.get(thread).get();
                for (int i = 0; i < 50; i++) {
                    assertThat(results.get(i).individuals()).as("thread %s, run %s", thread, i)
                            .isEqualTo(runs.get(i % 2).apply(evaluated, 20L + thread + i).individuals());
                }
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theInputPopulationIsLeftAsItWas()
    {
        SearchSpace space = spaces().get(0);
        Population evaluated = evaluatedPopulation(space, populationSize(), 7);
        List<Individual> before = List.copyOf(evaluated.individuals());
        createEvolver().evolve(evaluated, space, new SplittableRandom(7));
        createEvolver().halve(evaluated, space, new SplittableRandom(7));
        assertThat(evaluated.individuals()).isEqualTo(before);
    }

    @Test
    void anEmptyPopulationIsRefused()
    {
        SearchSpace space = spaces().get(0);
        Evolver evolver = createEvolver();
        Population empty = new Population(List.of());
        assertThatThrownBy(() -> evolver.evolve(empty, space, new SplittableRandom(8))).as("evolve").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> evolver.halve(empty, space, new SplittableRandom(8))).as("halve").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnevaluatedIndividualIsRefusedAndNamed()
    {
        SearchSpace space = spaces().get(0);
        Evolver evolver = createEvolver();
        List<Individual> individuals = new ArrayList<>(evaluatedPopulation(space, populationSize(), 9).individuals());
        ArchitectureCode unevaluated = individuals.remove(individuals.size() - 1).code();
        individuals.add(Individual.unevaluated(unevaluated));
        Population partly = new Population(individuals);
        // the message names the individual at fault, so a user can tell which evaluation went missing
        assertThatThrownBy(() -> evolver.evolve(partly, space, new SplittableRandom(9))).as("evolve")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(unevaluated.toString());
        assertThatThrownBy(() -> evolver.halve(partly, space, new SplittableRandom(9))).as("halve")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(unevaluated.toString());
    }

    /** Every individual of {@code next} is valid, and either a parent of {@code evaluated} with its fitness or unevaluated. */
    private static void assertValidOffspringOf(Population evaluated, Population next, SearchSpace space)
    {
        for (Individual individual : next.individuals()) {
            assertThat(space.isValid(individual.code())).as("%s is valid in %s", individual.code(), space.name()).isTrue();
            if (individual.isEvaluated()) {
                assertThat(evaluated.individuals()).as("an evaluated individual of the next population is a parent, with its fitness").contains(individual);
            }
        }
    }
}
