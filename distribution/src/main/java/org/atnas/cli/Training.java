package org.atnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.atnas.api.InnerLoop;
import org.atnas.core.run.RunDirectory;
import org.atnas.core.search.Checkpoint;
import org.atnas.core.search.FinalTraining;
import org.atnas.core.search.MetaSearch;
import org.atnas.core.search.MetaTest;
import org.atnas.core.search.SearchEngine;
import org.atnas.core.search.SearchRun;

/** Runs a final training (new or resumed) with progress and Ctrl-C, then tests its architecture on meta-test tasks; shared by {@code train} and {@code search --final-training}. */
final class Training
{
    private Training() {}

    /** A new final training; returns whether it finished (not stopped). */
    static boolean start(Launcher launcher, FinalTraining.Prepared prepared, int tasks)
    {
        RunDirectory directory = prepared.run().createRunDirectory("train", Clock.systemDefaultZone());
        return run(launcher, prepared.run(), directory.path(), Optional.empty(), prepared, tasks);
    }

    /** Continues a stopped final training from its checkpoint. */
    static boolean resume(Launcher launcher, SearchRun run, Path directory, Checkpoint checkpoint, int tasks)
    {
        return run(launcher, run, directory, Optional.of(checkpoint), null, tasks);
    }

    private static boolean run(Launcher launcher, SearchRun run, Path directory, Optional<Checkpoint> checkpoint, FinalTraining.Prepared prepared, int tasks)
    {
        PrintWriter err = launcher.err();
        PrintWriter out = launcher.out();
        String code = run.plan().fixedCode().orElseThrow().format();
        err.printf(Locale.ROOT, "Final training of %s from %s (%s weights), run directory: %s%n", code, run.configuration().get(FinalTraining.SOURCE),
                run.configuration().get(FinalTraining.FROM_SCRATCH) ? "fresh" : "the search's", directory);
        MetaSearch.Outcome outcome;
        int steps;
        try (SearchEngine engine = prepared != null ? run.engine(directory, checkpoint, prepared.initialWeights()) : run.engine(directory, checkpoint)) {
            MetaSearch search = engine.search();
            outcome = StopOnSignal.run(search, new ProgressBar(err, System.console() != null, Optional.empty(), run.plan().schedule().cpuBudgetMinutes()), err, done -> {
                if (done == MetaSearch.Outcome.STOPPED) {
                    out.println("Stopped; continue with: atnas train --resume " + directory);
                    out.flush();
                }
            });
            steps = search.step();
        }
        if (outcome == MetaSearch.Outcome.STOPPED) {
            return false;
        }
        InnerLoop adaptation = run.testAdaptation();
        err.printf(Locale.ROOT, "Evaluating the trained architecture on %d meta-test tasks (%d inner steps, lr %s) ...%n", tasks, adaptation.steps(), adaptation.learningRate());
        err.flush();
        SearchRun.Evaluation evaluation = run.evaluate(directory, Checkpoint.readLatest(directory), List.of(run.plan().fixedCode().orElseThrow()), tasks, adaptation,
                Clock.systemDefaultZone());
        MetaTest.Result result = evaluation.results().get(0);
        out.println();
        out.println("Final training");
        out.println("  architecture:       " + code);
        out.printf(Locale.ROOT, "  meta-steps:         %,d (B_arch = 1, %d inner steps at lr %s, Adam lr %s)%n", steps, run.plan().metaStep().innerLoop().steps(),
                run.plan().metaStep().innerLoop().learningRate(), run.plan().metaStep().metaLearningRate());
        out.printf(Locale.ROOT, "  meta-test accuracy: %.2f%% ± %.2f (95%% CI, %d %d-way %d-shot tasks; %s)%n", 100 * result.meanAccuracy(), 100 * result.confidence95(), tasks,
                run.data().classes(), run.data().training().shots(), evaluation.file());
        out.println("  run directory:      " + directory);
        return true;
    }
}
