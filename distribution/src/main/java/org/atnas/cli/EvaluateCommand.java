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
import java.util.SplittableRandom;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.InnerLoop;
import org.atnas.api.Individual;
import org.atnas.core.Atnas;
import org.atnas.core.bench.Statistics;
import org.atnas.core.config.Configuration;
import org.atnas.core.config.CoreSettings;
import org.atnas.core.run.RunDirectory;
import org.atnas.core.search.Checkpoint;
import org.atnas.core.search.MetaSearch;
import org.atnas.core.search.SearchRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code atnas evaluate}: the few-shot protocol on meta-test tasks, from a search's meta-weights. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluates a search's best architecture(s), or a given code, the few-shot way: adapt on each of N meta-test tasks",
                "(M inner steps from the meta-trained supernet) and report the mean query accuracy with its 95% confidence interval."})
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

    @Option(names = "--inner-steps", paramLabel = "M", description = "Inner SGD steps per task (default: the run's search.inner-steps).")
    Integer innerSteps;

    @Option(names = "--inner-lr", paramLabel = "LR", description = "Inner learning rate (default: the run's search.inner-lr).")
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
        Map<String, String> fixed = new LinkedHashMap<>(checkpoint.configuration());
        Configuration configuration = Configuration.empty().with(fixed, "checkpoint of " + runDirectory);
        Configuration withOverrides = Configuration.load(Optional.empty(), overrides);
        Map<String, String> extra = new LinkedHashMap<>();
        withOverrides.entries().forEach((key, entry) -> extra.put(key, entry.value()));
        Atnas atnas = Atnas.start(launcher.plugins(), configuration.with(extra, "--set"), SearchCommand.SERVICES);
        SearchRun run = SearchRun.prepare(atnas);
        List<ArchitectureCode> codes = new ArrayList<>();
        if (code != null) {
            ArchitectureCode given = ArchitectureCode.parse(code);
            run.components().space().validate(given);
            codes.add(given);
        }
        else {
            List<Individual> ranked = checkpoint.population().isFullyEvaluated() ? checkpoint.population().ranked() : checkpoint.population().individuals();
            ranked.subList(0, Math.min(top, ranked.size())).forEach(individual -> codes.add(individual.code()));
        }
        MetaSearch.Parameters base = run.parameters();
        InnerLoop innerLoop = new InnerLoop(innerSteps != null ? innerSteps : base.innerLoop().steps(), innerLearningRate != null ? innerLearningRate : base.innerLoop().learningRate());
        MetaSearch.Parameters parameters = new MetaSearch.Parameters(base.population(), base.evolveEvery(), Math.min(base.architectureBatch(), base.population()), base.taskBatch(), innerLoop,
                base.metaLearningRate(), base.warmupSteps(), base.steps(), base.workers(), base.taskPool(), base.validationTasks(), base.checkpointEvery(), base.seed(),
                base.predictorPairs(), base.predictorFraction());
        SplittableRandom random = new SplittableRandom(atnas.configuration().get(CoreSettings.SEED) ^ 0x7E57L);
        long[] seeds = new long[tasks];
        for (int i = 0; i < tasks; i++) {
            seeds[i] = random.nextLong();
        }
        PrintWriter err = launcher.err();
        err.printf(Locale.ROOT, "Adapting %d architecture(s) to %d meta-test tasks (%d inner steps, lr %s) ...%n", codes.size(), tasks, innerLoop.steps(), innerLoop.learningRate());
        err.flush();
        double[][] accuracies;
        try (MetaSearch search = new MetaSearch(parameters, run.components(), runDirectory, Optional.of(checkpoint))) {
            accuracies = search.adaptAll(codes, run.metaTest(), seeds);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        PrintWriter out = launcher.out();
        out.printf(Locale.ROOT, "Meta-test: %d-way tasks from %,d classes, %d tasks, %d inner steps (lr %s), checkpoint at meta-step %d%n%n",
                run.metaTest().ways(), run.split().test().size(), tasks, innerLoop.steps(), innerLoop.learningRate(), checkpoint.step());
        for (int i = 0; i < codes.size(); i++) {
            double mean = Statistics.mean(accuracies[i]);
            double interval = 1.96 * Statistics.standardDeviation(accuracies[i]) / Math.sqrt(tasks);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("code", codes.get(i).format());
            entry.put("genotype", run.components().space().toNotation(codes.get(i)));
            entry.put("meanAccuracy", mean);
            entry.put("confidence95", interval);
            entry.put("tasks", tasks);
            entry.put("innerSteps", innerLoop.steps());
            entry.put("innerLearningRate", innerLoop.learningRate());
            results.add(entry);
            out.printf(Locale.ROOT, "%6.2f%% ± %.2f  %s%n", 100 * mean, 100 * interval, codes.get(i));
        }
        String name = "evaluation-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json";
        RunDirectory.open(runDirectory).writeJson(name, results);
        out.println();
        out.println("Written: " + runDirectory.resolve(name));
    }
}
