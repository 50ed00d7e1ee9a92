package org.atnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Individual;
import org.atnas.api.InnerLoop;
import org.atnas.core.search.Checkpoint;
import org.atnas.core.search.MetaTest;
import org.atnas.core.search.SearchPlan;
import org.atnas.core.search.SearchRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code atnas evaluate}: the few-shot protocol on meta-test tasks, from a search's meta-weights. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluates a search's best architecture(s), or a given code, on N meta-test tasks.",
                "Each is adapted to every task the few-shot way (evaluate.inner-steps SGD steps from the meta-trained supernet);",
                "reports the mean query accuracy with its 95%% confidence interval."})
final class EvaluateCommand
        implements Runnable
{
    @ParentCommand
    AtnasCommand parent;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A search's run directory.")
    Path runDirectory;

    @Option(names = "--code", paramLabel = "CODE", description = "Evaluates this architecture (a code, the space's notation or a name such as darts-v2) instead of the population's best measured one.")
    String code;

    @Option(names = "--top", defaultValue = "1", paramLabel = "N", description = "How many of the population's best measured architectures to evaluate (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--tasks", defaultValue = "600", paramLabel = "N", description = "Meta-test tasks (default: ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--inner-steps", paramLabel = "M", description = "Inner SGD steps per task (default: the run's evaluate.inner-steps, 5).")
    Integer innerSteps;

    @Option(names = "--inner-lr", paramLabel = "LR", description = "Inner learning rate (default: the run's evaluate.inner-lr, 0.1).")
    Double innerLearningRate;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides a key of the run's configuration (for example data.path when the data moved); repeatable.")
    List<String> overrides = new ArrayList<>();

    @Override
    public void run()
    {
        Launcher launcher = parent.launcher;
        if (tasks < 2 || top < 1) {
            throw new IllegalArgumentException("--tasks must be at least 2 and --top at least 1, got " + tasks + " and " + top);
        }
        Checkpoint checkpoint = Checkpoint.readLatest(runDirectory);
        SearchRun run = SearchRun.ofCheckpoint(launcher.plugins(), runDirectory, checkpoint, overrides);
        List<ArchitectureCode> codes = code != null
                ? List.of(SearchPlan.architecture(run.space(), "--code", code))
                : checkpoint.best(top).stream().map(Individual::code).toList();
        InnerLoop defaults = run.testAdaptation();
        InnerLoop innerLoop = new InnerLoop(innerSteps != null ? innerSteps : defaults.steps(), innerLearningRate != null ? innerLearningRate : defaults.learningRate());
        PrintWriter err = launcher.err();
        err.printf(Locale.ROOT, "Adapting %d architecture(s) to %d meta-test tasks (%d inner steps, lr %s) ...%n", codes.size(), tasks, innerLoop.steps(), innerLoop.learningRate());
        err.flush();
        SearchRun.Evaluation evaluation = run.evaluate(runDirectory, checkpoint, codes, tasks, innerLoop, Clock.systemDefaultZone(), ProgressLine.of(launcher, "(architecture, task) adaptations"));
        PrintWriter out = launcher.out();
        out.printf(Locale.ROOT, "Meta-test: %d-way tasks from %,d classes, %d tasks, %d inner steps (lr %s), checkpoint at meta-step %d%n%n",
                run.data().classes(), run.split().test().size(), tasks, innerLoop.steps(), innerLoop.learningRate(), checkpoint.step());
        for (MetaTest.Result result : evaluation.results()) {
            out.printf(Locale.ROOT, "%6.2f%% ± %.2f  %s%n", 100 * result.meanAccuracy(), 100 * result.confidence95(), result.code());
        }
        out.println();
        out.println("Written: " + evaluation.file());
    }
}
