package org.atnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.InnerLoop;
import org.atnas.api.Individual;
import org.atnas.core.Atnas;
import org.atnas.core.config.Configuration;
import org.atnas.core.run.RunDirectory;
import org.atnas.core.search.Checkpoint;
import org.atnas.core.search.MetaTest;
import org.atnas.core.search.SearchRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code atnas evaluate}: the few-shot protocol on meta-test tasks, from a search's meta-weights. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluates a search's best architecture(s), or a given code, the few-shot way: adapt on each of N meta-test tasks",
                "(the final training: evaluate.inner-steps steps from the meta-trained supernet) and report the mean query accuracy with its 95%% confidence interval."})
final class EvaluateCommand
        implements Runnable
{
    @ParentCommand
    AtnasCommand parent;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A search's run directory.")
    Path runDirectory;

    @Option(names = "--code", paramLabel = "CODE", description = "Evaluates this architecture code instead of the population's best.")
    String code;

    @Option(names = "--top", defaultValue = "1", paramLabel = "N", description = "How many of the population's best to evaluate (default: ${DEFAULT-VALUE}).")
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
        SearchRun run = prepare(launcher, runDirectory, checkpoint, overrides);
        List<ArchitectureCode> codes = new ArrayList<>();
        if (code != null) {
            ArchitectureCode given = ArchitectureCode.parse(code);
            run.components().space().validate(given);
            codes.add(given);
        }
        else {
            best(checkpoint, top).forEach(individual -> codes.add(individual.code()));
        }
        InnerLoop defaults = run.finalTraining();
        InnerLoop innerLoop = new InnerLoop(innerSteps != null ? innerSteps : defaults.steps(), innerLearningRate != null ? innerLearningRate : defaults.learningRate());
        PrintWriter err = launcher.err();
        err.printf(Locale.ROOT, "Adapting %d architecture(s) to %d meta-test tasks (%d inner steps, lr %s) ...%n", codes.size(), tasks, innerLoop.steps(), innerLoop.learningRate());
        err.flush();
        List<MetaTest.Result> results = MetaTest.evaluate(run, runDirectory, checkpoint, codes, tasks, innerLoop);
        PrintWriter out = launcher.out();
        out.printf(Locale.ROOT, "Meta-test: %d-way tasks from %,d classes, %d tasks, %d inner steps (lr %s), checkpoint at meta-step %d%n%n",
                run.metaTest().ways(), run.split().test().size(), tasks, innerLoop.steps(), innerLoop.learningRate(), checkpoint.step());
        for (MetaTest.Result result : results) {
            out.printf(Locale.ROOT, "%6.2f%% ± %.2f  %s%n", 100 * result.meanAccuracy(), 100 * result.confidence95(), result.code());
        }
        Path written = write(runDirectory, results);
        out.println();
        out.println("Written: " + written);
    }

    /** A run's setup from its checkpoint's configuration, with {@code --set} overrides (for example a moved data.path). */
    static SearchRun prepare(Launcher launcher, Path runDirectory, Checkpoint checkpoint, List<String> overrides)
    {
        Configuration configuration = Configuration.empty().with(new LinkedHashMap<>(checkpoint.configuration()), "checkpoint of " + runDirectory);
        Map<String, String> extra = new LinkedHashMap<>();
        Configuration.load(Optional.empty(), overrides).entries().forEach((key, entry) -> extra.put(key, entry.value()));
        return SearchRun.prepare(Atnas.start(launcher.plugins(), configuration.with(extra, "--set"), SearchCommand.SERVICES));
    }

    /** The checkpoint's {@code top} best individuals, or its first ones if it was not evaluated yet. */
    static List<Individual> best(Checkpoint checkpoint, int top)
    {
        List<Individual> ranked = checkpoint.population().isFullyEvaluated() ? checkpoint.population().ranked() : checkpoint.population().individuals();
        return ranked.subList(0, Math.min(top, ranked.size()));
    }

    /** Writes {@code evaluation-<time>.json} into the run directory; returns its path. */
    static Path write(Path runDirectory, List<MetaTest.Result> results)
    {
        String name = "evaluation-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json";
        RunDirectory.open(runDirectory).writeJson(name, results.stream().map(MetaTest.Result::toJson).toList());
        return runDirectory.resolve(name);
    }
}
