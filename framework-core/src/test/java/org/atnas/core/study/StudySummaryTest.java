package org.atnas.core.study;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StudySummaryTest
{
    private static CellResult cell(String variant, long seed, double accuracy)
    {
        return new CellResult(variant + "-s" + seed, variant, Map.of("search.method", variant), seed, 20, "cpu-minutes", 19.5, 100, 50, "0,1", "g", 1000, 2000, accuracy, 0.01, 600, 0.5);
    }

    @Test
    void meansIntervalsAndPairedDifferencesOverTheCommonSeeds()
    {
        List<CellResult> cells = List.of(cell("atnas", 1, 0.70), cell("fixed", 1, 0.60), cell("atnas", 2, 0.74), cell("fixed", 2, 0.66), cell("atnas", 3, 0.72),
                cell("fixed", 3, 0.64), cell("fixed", 4, 0.10));
        StudySummary summary = StudySummary.of(cells);

        StudySummary.Variant atnas = summary.variants().get(0);
        assertThat(atnas.variant()).isEqualTo("atnas");
        assertThat(atnas.seeds()).isEqualTo(3);
        assertThat(atnas.mean()).isCloseTo(0.72, within(1e-12));
        assertThat(atnas.standardDeviation()).isCloseTo(0.02, within(1e-12));
        // t(2, 0.975) = 4.3027 · 0.02 / √3
        assertThat(atnas.confidence95()).isCloseTo(4.302653 * 0.02 / Math.sqrt(3), within(1e-5));
        assertThat(summary.variants().get(1).seeds()).isEqualTo(4);

        // seed 4 has no atnas cell: the pairs are seeds 1-3, differences 0.10, 0.08, 0.08
        StudySummary.Difference difference = summary.differences().get(0);
        assertThat(difference.variant()).isEqualTo("atnas");
        assertThat(difference.versus()).isEqualTo("fixed");
        assertThat(difference.seeds()).isEqualTo(3);
        assertThat(difference.mean()).isCloseTo(0.26 / 3, within(1e-12));
        double sd = Math.sqrt((Math.pow(0.10 - 0.26 / 3, 2) + 2 * Math.pow(0.08 - 0.26 / 3, 2)) / 2);
        assertThat(difference.confidence95()).isCloseTo(4.302653 * sd / Math.sqrt(3), within(1e-5));
        assertThat(difference.isSignificant()).isTrue();
    }

    @Test
    void oneSeedHasNoInterval()
    {
        StudySummary summary = StudySummary.of(List.of(cell("atnas", 1, 0.7), cell("fixed", 1, 0.8)));
        assertThat(summary.variants().get(0).confidence95()).isNaN();
        assertThat(summary.differences().get(0).isSignificant()).isFalse();
        assertThat(summary.summaryCsv()).isEqualTo("""
                kind,variant,versus,budget,seeds,mean,ci95,low,high,cpu_minutes
                variant,atnas,,20,1,0.700000,,,,19.500000
                variant,fixed,,20,1,0.800000,,,,19.500000
                difference,atnas,fixed,20,1,-0.100000,,,,
                """);
    }

    @Test
    void resultsCsvHasOneRowPerCellWithTheAxes()
    {
        String csv = StudySummary.resultsCsv(List.of("search.method"), List.of(cell("atnas", 1, 0.7)));
        assertThat(csv).isEqualTo("""
                cell,variant,search.method,seed,budget,budget_unit,cpu_minutes,search_steps,training_steps,code,genotype,parameters,multiply_adds,meta_val_fitness,meta_test_accuracy,ci95,tasks
                atnas-s1,atnas,atnas,1,20,cpu-minutes,19.500000,100,50,"0,1",g,1000,2000,0.500000,0.700000,0.010000,600
                """);
    }
}
