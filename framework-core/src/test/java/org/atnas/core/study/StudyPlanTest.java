package org.atnas.core.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.atnas.core.config.Configuration;
import org.atnas.core.config.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class StudyPlanTest
{
    @TempDir
    Path folder;

    private StudyPlan plan(String text)
            throws IOException
    {
        Path file = folder.resolve("s.properties");
        Files.writeString(file, text);
        return StudyPlan.of(StudyFile.read(file));
    }

    private static String value(Configuration configuration, String key)
    {
        return configuration.get(key).orElseThrow(() -> new AssertionError("no " + key)).value();
    }

    private String at(int line)
    {
        return "Study file [" + folder.resolve("s.properties") + "] line " + line + ": ";
    }

    @Test
    void cellsAreBudgetsTimesSeedsTimesVariantsInThatOrder()
            throws IOException
    {
        StudyPlan plan = plan("""
                # comment
                study.seeds = 3, 1
                study.budget.cpu-minutes = 10 | 20
                search.method = atnas | fixed
                predictor = none | random-forest
                study.exclude = search.method=fixed & predictor=random-forest; budget=20 & predictor=none
                """);
        assertThat(plan.name()).isEqualTo("s");
        assertThat(plan.axes()).containsExactly("search.method", "predictor");
        assertThat(plan.cells()).extracting(StudyPlan.Cell::id).containsExactly(
                "atnas-none-b10-s3", "atnas-random-forest-b10-s3", "fixed-none-b10-s3", "atnas-none-b10-s1", "atnas-random-forest-b10-s1", "fixed-none-b10-s1",
                "atnas-random-forest-b20-s3", "atnas-random-forest-b20-s1");
        assertThat(plan.cells().get(6).budget()).isEqualTo(20.0);
        assertThat(plan.cells().get(6).seed()).isEqualTo(3L);
        assertThat(plan.cells().get(2).variant().values()).containsExactly(entry("search.method", "fixed"), entry("predictor", "none"));
    }

    @Test
    void theCpuBudgetIsSplitBetweenSearchAndFinalTrainingAndEachValueNamesItsLine()
            throws IOException
    {
        StudyPlan plan = plan("""
                study.seeds = 7
                study.budget.cpu-minutes = 30
                study.final-training-share = 0.4
                search.method = atnas | random
                darts.cells = 2
                """);
        StudyPlan.Cell cell = plan.cells().get(1);
        Configuration configuration = plan.configuration(cell, folder.resolve("cells").resolve(cell.id()));
        assertThat(value(configuration, "search.method")).isEqualTo("random");
        assertThat(value(configuration, "seed")).isEqualTo("7");
        assertThat(value(configuration, "search.cpu-budget")).isEqualTo("18.0");
        assertThat(value(configuration, "train.cpu-budget")).isEqualTo("12.0");
        assertThat(value(configuration, "search.steps")).isEqualTo("100000000");
        assertThat(value(configuration, "run.name")).isEqualTo("search");
        assertThat(value(configuration, "runs.directory")).isEqualTo(folder.resolve("cells").resolve("random-s7").toString());
        assertThat(configuration.get("darts.cells").orElseThrow().source()).isEqualTo("study file " + folder.resolve("s.properties") + " line 5");
        assertThat(configuration.get("search.method").orElseThrow().source()).isEqualTo("study file " + folder.resolve("s.properties") + " line 4");
    }

    @Test
    void aStepBudgetGivesEachPartItsSteps()
            throws IOException
    {
        StudyPlan plan = plan("study.seeds = 1\nstudy.budget.steps = 61\nstudy.final-training-share = 0.25\nsearch.warmup-steps = 6\n");
        Configuration configuration = plan.configuration(plan.cells().get(0), folder);
        // 46 meta-steps of search, the first 6 of them warm-up
        assertThat(value(configuration, "search.steps")).isEqualTo("40");
        assertThat(value(configuration, "train.steps")).isEqualTo("15");
        assertThat(plan.cells()).extracting(StudyPlan.Cell::id).containsExactly("default-s1");
        StudyPlan short_ = plan("study.seeds = 1\nstudy.budget.steps = 300\n");
        assertThatThrownBy(() -> short_.configuration(short_.cells().get(0), folder))
                .hasMessage(at(2) + "the search's 150 meta-steps of a 300-step budget do not cover search.warmup-steps = 200; expected a larger budget or fewer warm-up steps");
    }

    @Test
    void badStudyFilesNameTheLine()
    {
        assertThatThrownBy(() -> plan("study.seeds = 1\nstudy.budget.steps = 10\nstudy.budjet = 3\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(at(3) + "unknown study key [study.budjet]; expected one of [study.budget.cpu-minutes, study.budget.steps, study.exclude, study.final-training-share, "
                        + "study.name, study.seeds, study.tasks]");
        assertThatThrownBy(() -> plan("study.seeds = 1\nstudy.budget.steps = 10\nsearch.method = atnas | \n"))
                .hasMessage(at(3) + "the axis [search.method] has an empty value in [atnas |]; expected values separated by |");
        assertThatThrownBy(() -> plan("study.seeds = 1\nstudy.budget.steps = 10\n\npredictor = none|gp|none\n"))
                .hasMessage(at(4) + "the axis [predictor] lists [none] twice; expected each variant once");
        assertThatThrownBy(() -> plan("study.seeds = 1\nsearch.method = atnas | fixed\n"))
                .hasMessage("Study file [" + folder.resolve("s.properties") + "] has no budget; expected study.budget.cpu-minutes = N (CPU minutes per cell, search and final "
                        + "training together) or study.budget.steps = N (meta-steps per cell)");
        assertThatThrownBy(() -> plan("study.seeds = 1, x\nstudy.budget.steps = 10\n"))
                .hasMessage(at(1) + "seed [x] is not a whole number; expected seeds separated by commas, such as 1, 2, 3");
        assertThatThrownBy(() -> plan("study.seeds = 1\nstudy.budget.steps = 10\nseed = 4\n"))
                .hasMessage(at(3) + "key [seed] is set by the study for each cell (its seed from study.seeds); remove it from the study file");
        assertThatThrownBy(() -> plan("study.seeds = 1\nstudy.budget.steps = 10\nsearch.method = atnas | fixed\nsearch.method = random\n"))
                .hasMessage(at(4) + "sets key [search.method] again (first on line 3); expected each key once");
        assertThatThrownBy(() -> plan("study.seeds = 1\nstudy.budget.steps = 10\nsearch.method = atnas | fixed\nstudy.exclude = search.method=best\n"))
                .hasMessage(at(4) + "[best] is not a value of [search.method]; expected one of [atnas, fixed]");
        assertThatThrownBy(() -> plan("study.seeds = 1\nstudy.budget.steps = 10\nsearch.method = atnas \\\n  | fixed\n"))
                .hasMessage(at(3) + "ends in a backslash; a study file writes each key = value on one line");
    }

    @Test
    void setOverridesSharedSettingsButNotAxesStudyKeysOrWhatTheStudySets()
            throws IOException
    {
        String text = "study.seeds = 1\nstudy.budget.steps = 300\nsearch.warmup-steps = 20\nsearch.method = atnas | fixed\n";
        StudyPlan plan = plan(text);
        StudyPlan overridden = StudyPlan.of(plan.file(), java.util.Map.of("search.warmup-steps", "50", "data.path", "/d"));
        Configuration configuration = overridden.configuration(overridden.cells().get(0), folder);
        assertThat(value(configuration, "search.warmup-steps")).isEqualTo("50");
        assertThat(value(configuration, "search.steps")).isEqualTo("100");
        assertThat(configuration.get("data.path").orElseThrow().source()).isEqualTo("--set on the command line");
        assertThatThrownBy(() -> StudyPlan.of(plan.file(), java.util.Map.of("search.method", "random")))
                .hasMessage("--set search.method: the study varies it (Study file [" + folder.resolve("s.properties") + "] line 4); change the study file instead");
        assertThatThrownBy(() -> StudyPlan.of(plan.file(), java.util.Map.of("seed", "3")))
                .hasMessage("--set seed: the study sets it for each cell (its seed from study.seeds)");
        assertThatThrownBy(() -> StudyPlan.of(plan.file(), java.util.Map.of("study.tasks", "3")))
                .hasMessage("--set study.tasks: study keys belong in the study file [" + folder.resolve("s.properties") + "]");
    }

    @Test
    void aMissingFileIsNamed()
    {
        Path missing = folder.resolve("none.properties");
        assertThatThrownBy(() -> StudyFile.read(missing)).isInstanceOf(ConfigurationException.class)
                .hasMessage("Study file [" + missing + "] does not exist or is not a file");
    }
}
