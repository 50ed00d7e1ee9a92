package org.atnas.core.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.atnas.core.testing.ToyComponents;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvolverBenchmarkTest
{
    private final ToyComponents.ToySpace space = new ToyComponents.ToySpace(6);
    private final EvolverBenchmark benchmark = new EvolverBenchmark(space, space.fitnessTable().orElseThrow(), new ToyComponents.HillClimber());

    @Test
    void bestSoFarNeverDecreasesAndStaysWithinTheBudget()
    {
        List<String> progress = new ArrayList<>();
        EvolverBenchmark.Result result = benchmark.run(new EvolverBenchmark.Settings(60, 5, 8, 11), Optional.empty(), progress::add);
        assertThat(progress).hasSize(5).first().asString().startsWith("run 1/5 (seed 11): hill best ");
        for (EvolverBenchmark.MethodResult method : List.of(result.evolver(), result.random())) {
            assertThat(method.bestSoFar()).hasSize(5).allSatisfy(curve -> {
                assertThat(curve).hasSize(60);
                for (int i = 1; i < curve.length; i++) {
                    assertThat(curve[i]).isGreaterThanOrEqualTo(curve[i - 1]);
                }
                assertThat(curve[59]).isLessThanOrEqualTo(18);
            });
        }
        assertThat(result.tableBest()).isEqualTo(18);
        assertThat(result.tableSize()).isEqualTo(4096);
    }

    @Test
    void hillClimbingBeatsRandomSearchOnASmoothTable()
    {
        EvolverBenchmark.Result result = benchmark.run(new EvolverBenchmark.Settings(60, 20, 8, 0), Optional.empty(), line -> { });
        double climbed = Statistics.mean(result.evolver().bestAfter(60));
        double sampled = Statistics.mean(result.random().bestAfter(60));
        assertThat(climbed).isGreaterThan(sampled);
        assertThat(climbed).isCloseTo(18, within(0.5));
    }

    @Test
    void sameSeedsSameResult()
    {
        EvolverBenchmark.Settings settings = new EvolverBenchmark.Settings(40, 3, 6, 5);
        EvolverBenchmark.Result first = benchmark.run(settings, Optional.empty(), line -> { });
        EvolverBenchmark.Result second = benchmark.run(settings, Optional.empty(), line -> { });
        assertThat(EvolverReport.format(first)).isEqualTo(EvolverReport.format(second));
        assertThat(EvolverReport.format(first))
                .startsWith("Search against the table: 4,096 architectures, fitness = digit sum, table best 18.00\n"
                        + "budget 40 distinct architectures per run, 3 runs (seeds 5..7), population 6\n\n"
                        + "method              best (mean ± std)  gap to best       mean @10       mean @20\n");
    }

    @Test
    void randomSearchWithTheWholeSpaceAsBudgetFindsTheBest()
    {
        ToyComponents.ToySpace small = new ToyComponents.ToySpace(2);
        EvolverBenchmark whole = new EvolverBenchmark(small, small.fitnessTable().orElseThrow(), new ToyComponents.HillClimber());
        EvolverBenchmark.Result result = whole.run(new EvolverBenchmark.Settings(16, 2, 4, 0), Optional.empty(), line -> { });
        assertThat(result.random().bestAfter(16)).containsExactly(6, 6);
    }

    @Test
    void settingsThatCannotWork()
    {
        assertThatThrownBy(() -> new EvolverBenchmark.Settings(10, 1, 20, 0))
                .hasMessage("population 20 is larger than the budget 10: the first generation could not be evaluated");
        assertThatThrownBy(() -> new EvolverBenchmark.Settings(0, 1, 2, 0))
                .hasMessage("budget and runs must be at least 1 and population at least 2, got budget 0, runs 1, population 2");
    }

    @Test
    void statistics()
    {
        assertThat(Statistics.mean(new double[] {1, 2, 3, 4})).isEqualTo(2.5);
        assertThat(Statistics.standardDeviation(new double[] {2, 4, 4, 4, 5, 5, 7, 9})).isCloseTo(2.138, within(0.001));
        assertThat(Statistics.standardDeviation(new double[] {3})).isZero();
    }
}
