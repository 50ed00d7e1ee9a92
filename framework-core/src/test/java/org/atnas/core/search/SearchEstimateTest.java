package org.atnas.core.search;

import java.util.Optional;

import org.atnas.core.config.SettingValues;
import org.atnas.core.data.TaskSampler;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SearchEstimateTest
{
    private static SearchEstimate estimate(String... settings)
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 2, 1);
        TaskSampler sampler = MetaSearchTestSupport.sampler();
        return SearchEstimate.of(SearchPlan.read(SettingValues.of(MetaSearchTest.settings(settings)), space), space, new SearchData(sampler, sampler));
    }

    @Test
    void aSmallSearchFits()
    {
        SearchEstimate small = estimate();
        assertThat(small.pairsPerStep()).isEqualTo(2 * 2);
        assertThat(small.adaptationsPerEvaluation()).isEqualTo(4);
        assertThat(small.warning(1L << 30)).isEmpty();
        assertThat(small.describe(1L << 30)).startsWith("Estimate: about 256 MB of Java heap of 1.0 GB available; W has ");
        // 4 pairs took 2 s: 4 adaptations take about as long
        assertThat(small.evaluationSeconds(2)).isEqualTo(2);
    }

    @Test
    void aMillionArchitecturesOrAMillionValidationTasksAreWarnedOf()
    {
        assertThat(estimate("search.population=1000000", "search.arch-batch=2").warning(1L << 29)).isEqualTo(Optional.of(
                "warning: this configuration needs about 668 MB of Java heap, more than this machine gives it (512 MB): lower search.population (1,000,000) or search.validation-tasks "
                        + "(an evaluation adapts 1,000,000 tasks), or raise -Xmx in ATNAS_JAVA_OPTS"));
        assertThat(estimate("search.validation-tasks=1000000").warning(1L << 29)).isEqualTo(Optional.of(
                "warning: this configuration needs about 866 MB of Java heap, more than this machine gives it (512 MB): lower search.population (4) or search.validation-tasks "
                        + "(an evaluation adapts 4,000,000 tasks), or raise -Xmx in ATNAS_JAVA_OPTS"));
    }
}
