package org.atnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Individual;
import org.atnas.api.InnerLoop;
import org.atnas.core.adapt.AdaptRun;
import org.atnas.core.adapt.Episodes;
import org.atnas.core.adapt.HeadInit;
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

    @Option(names = "--episodes", paramLabel = "DIR",
            description = "Evaluates on these fixed episodes instead of sampled meta-test tasks: DIR/<episode>/support/<class>/<image> and DIR/<episode>/query/<class>/<image>.")
    Path episodes;

    @Option(names = "--head-init", defaultValue = "zero", paramLabel = "INIT", description = "With --episodes: how the head for each episode's classes starts (zero, mean-row, meta-trained; default: zero).")
    String headInit;

    @Option(names = "--output", paramLabel = "DIR", description = "With --episodes: where episodes.csv goes (a new or empty folder; default: a new evaluate-<time> folder under runs.directory).")
    Path output;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides a key of the run's configuration (for example data.path when the data moved); repeatable.")
    List<String> overrides = new ArrayList<>();

    @Override
    public void run()
    {
        Launcher launcher = parent.launcher;
        if (tasks < 2 || top < 1) {
            throw new IllegalArgumentException("--tasks must be at least 2 and --top at least 1, got " + tasks + " and " + top);
        }
        if (episodes != null) {
            evaluateEpisodes(launcher);
            return;
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

    /** The fixed episodes: no data set of the run is needed, nothing is written into the run directory. */
    private void evaluateEpisodes(Launcher launcher)
    {
        if (top != 1) {
            throw new IllegalArgumentException("--top applies to sampled meta-test tasks; with --episodes one architecture is evaluated (the best measured one, or --code)");
        }
        HeadInit init = HeadInit.fromKey("--head-init", headInit);
        AdaptRun run = AdaptRun.open(launcher.plugins(), runDirectory, overrides);
        ArchitectureCode architecture = run.architecture(Optional.ofNullable(code));
        InnerLoop innerLoop = run.innerLoop(Optional.ofNullable(innerSteps), Optional.ofNullable(innerLearningRate));
        Episodes fixed = Episodes.read(episodes, run.preprocessing());
        Path folder = run.createOutput(Optional.ofNullable(output), "evaluate", Clock.systemDefaultZone());
        PrintWriter err = launcher.err();
        err.printf(Locale.ROOT, "Adapting %s to %d episodes (%d inner steps, lr %s) ...%n", architecture.format(), fixed.episodes().size(), innerLoop.steps(), innerLoop.learningRate());
        err.flush();
        Episodes.Summary summary = fixed.evaluate(run.adapter(), architecture, init, innerLoop, run.preprocessing());
        Path file = summary.write(folder);
        PrintWriter out = launcher.out();
        out.printf(Locale.ROOT, "Episodes: %d from %s, %d inner steps (lr %s), head %s, checkpoint at meta-step %d%n%n", fixed.episodes().size(), episodes, innerLoop.steps(),
                innerLoop.learningRate(), init.key(), run.checkpoint().step());
        out.println(meanAndInterval(summary) + "  " + architecture.format());
        out.println();
        out.println("Written: " + file);
    }

    /** {@code  61.25% ± 1.38}; one episode has no interval. */
    static String meanAndInterval(Episodes.Summary summary)
    {
        String mean = String.format(Locale.ROOT, "%6.2f%%", 100 * summary.meanAccuracy());
        return summary.episodes().size() < 2 ? mean + " (one episode: no interval)" : mean + String.format(Locale.ROOT, " ± %.2f", 100 * summary.confidence95());
    }
}
