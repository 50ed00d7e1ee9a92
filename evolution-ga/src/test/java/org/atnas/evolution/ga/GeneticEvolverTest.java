package org.atnas.evolution.ga;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Gene;
import org.atnas.api.Individual;
import org.atnas.api.Population;
import org.atnas.api.SearchSpace;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.atnas.searchspace.nasbench201.NasBench201SearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeneticEvolverTest
{
    private final GeneticEvolver evolver = new GeneticEvolver(0.25, 0.5, 0.5);

    static Stream<SearchSpace> spaces()
    {
        return Stream.of(new DartsSearchSpace(2, 16, 3), new DartsSearchSpace(8, 16, 3), new NasBench201SearchSpace(5, 16, Optional.empty()));
    }

    private static Population evaluatedPopulation(SearchSpace space, int size, SplittableRandom random)
    {
        List<Individual> individuals = new ArrayList<>();
        HashSet<ArchitectureCode> seen = new HashSet<>();
        while (individuals.size() < size) {
            ArchitectureCode code = space.sample(random);
            if (seen.add(code)) {
                individuals.add(Individual.evaluated(code, random.nextDouble()));
            }
        }
        return new Population(individuals);
    }

    @ParameterizedTest
    @MethodSource("spaces")
    void evolutionKeepsTheTopQuarterAndOnlyMakesValidCodes(SearchSpace space)
    {
        for (long seed = 0; seed < 2_000; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Population population = evaluatedPopulation(space, 16, random);
            Population next = evolver.evolve(population, space, random);

            assertThat(next.size()).isEqualTo(16);
            assertThat(next.individuals().subList(0, 4)).isEqualTo(population.ranked().subList(0, 4));
            assertThat(next.individuals().subList(4, 16)).noneMatch(Individual::isEvaluated);
            assertThat(new HashSet<>(next.codes())).hasSize(16);
            next.codes().forEach(space::validate);
        }
    }

    @ParameterizedTest
    @MethodSource("spaces")
    void crossoverTakesEachGeneFromOneParentAndMutationKeepsValidity(SearchSpace space)
    {
        for (long seed = 0; seed < 3_000; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Individual first = Individual.evaluated(space.sample(random), 1);
            Individual second = Individual.evaluated(space.sample(random), 0);
            ArchitectureCode child = evolver.crossover(first, second, space, random);
            space.validate(child);
            for (Gene gene : space.genes()) {
                assertThat(gene.valuesIn(child)).satisfiesAnyOf(
                        values -> assertThat(values).containsExactly(gene.valuesIn(first.code())),
                        values -> assertThat(values).containsExactly(gene.valuesIn(second.code())));
            }
            ArchitectureCode mutant = evolver.mutate(first.code(), space, random);
            space.validate(mutant);
        }
    }

    /** A space that refuses every code whose first value is not 4: a constraint beyond the genes, as the engine's multiply-add limit is. */
    private static SearchSpace refusingAllBut4First(SearchSpace space)
    {
        return (SearchSpace) java.lang.reflect.Proxy.newProxyInstance(SearchSpace.class.getClassLoader(), new Class<?>[] {SearchSpace.class}, (proxy, method, arguments) -> {
            if (method.getName().equals("isValid")) {
                return ((ArchitectureCode) arguments[0]).get(0) == 4 && space.isValid((ArchitectureCode) arguments[0]);
            }
            try {
                return method.invoke(space, arguments);
            }
            catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    @Test
    void offspringTheSpaceRefusesAreDrawnAgain()
    {
        SearchSpace darts = new DartsSearchSpace(2, 16, 3);
        SearchSpace constrained = refusingAllBut4First(darts);
        int refusedBefore = 0;
        for (long seed = 0; seed < 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<Individual> parents = new ArrayList<>();
            while (parents.size() < 16) {
                ArchitectureCode code = darts.sample(random);
                if (code.get(0) == 4 && !parents.stream().map(Individual::code).toList().contains(code)) {
                    parents.add(Individual.evaluated(code, random.nextDouble()));
                }
            }
            Population next = evolver.evolve(new Population(parents), constrained, random);
            // crossover and mutation offspring (places 4 to 11) are kept only where the space accepts them
            assertThat(next.individuals().subList(4, 12)).extracting(Individual::code).allMatch(code -> code.get(0) == 4);
            refusedBefore += (int) evolver.evolve(new Population(parents), darts, new SplittableRandom(seed)).codes().subList(4, 12).stream().filter(code -> code.get(0) != 4).count();
        }
        // without the constraint some offspring would have been refused
        assertThat(refusedBefore).isPositive();
    }

    @Test
    void crossoverAndMutationProbabilitiesAreHonoured()
    {
        SearchSpace space = new DartsSearchSpace(8, 16, 3);
        SplittableRandom random = new SplittableRandom(3);
        GeneticEvolver always = new GeneticEvolver(0.25, 1.0, 1.0);
        GeneticEvolver never = new GeneticEvolver(0.25, 0.0, 0.0);
        Individual first = Individual.evaluated(space.sample(random), 1);
        Individual second = Individual.evaluated(space.sample(random), 0);
        assertThat(always.crossover(first, second, space, random)).isEqualTo(second.code());
        assertThat(never.crossover(first, second, space, random)).isEqualTo(first.code());
        assertThat(never.mutate(first.code(), space, random)).isEqualTo(first.code());

        int changedGenes = 0;
        for (int i = 0; i < 200; i++) {
            ArchitectureCode mutant = evolver.mutate(first.code(), space, random);
            for (Gene gene : space.genes()) {
                if (!java.util.Arrays.equals(gene.valuesIn(mutant), gene.valuesIn(first.code()))) {
                    changedGenes++;
                }
            }
        }
        // 32 genes, half re-drawn, and a re-drawn DARTS node equals the old one 1 time in ~490: about 3,200 of 6,400
        assertThat(changedGenes).isBetween(2_900, 3_500);
    }

    @ParameterizedTest
    @MethodSource("spaces")
    void halvingEndsWithOneIndividual(SearchSpace space)
    {
        for (long seed = 0; seed < 300; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Population population = evaluatedPopulation(space, 128, random);
            List<Integer> sizes = new ArrayList<>();
            while (population.size() > 1) {
                Population next = evolver.halve(population, space, random);
                int size = population.size() / 2;
                assertThat(next.individuals().subList(0, (size + 3) / 4)).isEqualTo(population.ranked().subList(0, (size + 3) / 4));
                next.codes().forEach(space::validate);
                sizes.add(next.size());
                List<Individual> reevaluated = new ArrayList<>();
                for (Individual individual : next.individuals()) {
                    reevaluated.add(individual.isEvaluated() ? individual : Individual.evaluated(individual.code(), random.nextDouble()));
                }
                population = new Population(reevaluated);
            }
            assertThat(sizes).containsExactly(64, 32, 16, 8, 4, 2, 1);
            assertThat(evolver.halve(population, space, random)).isEqualTo(population);
        }
    }

    @Test
    void sameSeedSameGeneration()
    {
        SearchSpace space = new DartsSearchSpace(2, 16, 3);
        Population population = evaluatedPopulation(space, 32, new SplittableRandom(5));
        assertThat(evolver.evolve(population, space, new SplittableRandom(9))).isEqualTo(evolver.evolve(population, space, new SplittableRandom(9)));
        assertThat(evolver.evolve(population, space, new SplittableRandom(9))).isNotEqualTo(evolver.evolve(population, space, new SplittableRandom(10)));
    }

    @Test
    void rejectsPopulationsItCannotEvolve()
    {
        SearchSpace space = new NasBench201SearchSpace(5, 16, Optional.empty());
        ArchitectureCode code = ArchitectureCode.parse("1,2,3,4,0,1");
        assertThatThrownBy(() -> evolver.evolve(Population.ofCodes(List.of(code)), space, new SplittableRandom(1)))
                .hasMessage("Cannot evolve a population with unevaluated individuals, such as 1,2,3,4,0,1");
        assertThatThrownBy(() -> evolver.halve(new Population(List.of()), space, new SplittableRandom(1)))
                .hasMessage("Cannot evolve an empty population");
        assertThatThrownBy(() -> new GeneticEvolver(0.25, 1.5, 0.5))
                .hasMessage("crossoverProbability must be between 0 and 1, got 1.5");
    }
}
