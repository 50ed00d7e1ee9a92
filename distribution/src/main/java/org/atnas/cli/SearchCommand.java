package org.atnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Individual;
import org.atnas.api.InnerLoop;
import org.atnas.core.Atnas;
import org.atnas.core.config.Configuration;
import org.atnas.core.export.ArchitectureExport;
import org.atnas.core.run.RunDirectory;
import org.atnas.core.run.RunLock;
import org.atnas.core.search.Checkpoint;
import org.atnas.core.search.FinalTraining;
import org.atnas.core.search.MetaSearch;
import org.atnas.core.search.MetaTest;
import org.atnas.core.search.SearchEngine;
import org.atnas.core.search.SearchEstimate;
import org.atnas.core.search.SearchRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code atnas search}: Algorithm 1, meta-training the supernet while the population evolves. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Runs the AT-NAS search (Algorithm 1): meta-trains the supernet over few-shot tasks while the architecture population evolves.",
                "Writes metrics.jsonl, checkpoints and the final population into a run directory; Ctrl-C stops within seconds,",
                "keeping a complete checkpoint that --resume continues from."})
final class SearchCommand
        implements Runnable
{
    @ParentCommand
    AtnasCommand parent;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continues an interrupted search from its latest checkpoint, with the configuration it was started with.")
    Path resume;

    @Option(names = "--evaluate", description = "When the search finishes, evaluates the best measured architecture on meta-test tasks, as atnas evaluate does.")
    boolean evaluate;

    @Option(names = "--tasks", defaultValue = "600", paramLabel = "N", description = "Meta-test tasks of --evaluate and --final-training (default: ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--export", description = "When the search finishes, exports the best measured architecture with its cell pictures, as atnas export does.")
    boolean export;

    @Option(names = "--final-training", description = "When the search finishes, runs the final training of its best architecture (train.* settings), as atnas train does, and evaluates the trained network.")
    boolean finalTraining;

    @Mixin
    ConfigOptions config;

    @Override
    public void run()
    {
        Launcher launcher = parent.launcher;
        if (tasks < 2) {
            throw new IllegalArgumentException("--tasks must be at least 2, got " + tasks);
        }
        if (resume != null) {
            // where the workers run changes no result: a run may resume on a cluster or off it
            boolean clusterOnly = config.overrides.stream().map(override -> override.split("=", 2)[0].strip()).allMatch(launcher::isClusterKey);
            if (config.file != null || !clusterOnly) {
                throw new IllegalArgumentException("--resume continues a run with the configuration it was started with; --config and --set cannot be used with it (except --set of the cluster's keys)");
            }
            RunDirectory directory = RunDirectory.open(resume);
            try (RunLock ignored = directory.lock()) {
                Checkpoint checkpoint = Checkpoint.readLatest(resume);
                if (checkpoint.finished()) {
                    launcher.out().println("Run " + resume + " finished at meta-step " + checkpoint.step() + "; there is nothing to resume and nothing was written.");
                    launcher.out().println("Evaluate with: atnas evaluate " + resume);
                    return;
                }
                Map<String, String> cluster = new LinkedHashMap<>();
                Configuration.load(Optional.empty(), config.overrides).entries().forEach((key, entry) -> cluster.put(key, entry.value()));
                Atnas atnas = launcher.start(Configuration.empty().with(checkpoint.configuration(), "checkpoint of " + resume).with(cluster, "--set"), SearchRun.SERVICES);
                search(launcher, SearchRun.prepare(atnas, ProgressLine.of(launcher, "images read")), directory, Optional.of(checkpoint));
            }
        }
        else {
            SearchRun run = SearchRun.prepare(launcher.start(config.load(launcher, Map.of(), "--set"), SearchRun.SERVICES), ProgressLine.of(launcher, "images read"));
            RunDirectory directory = run.createRunDirectory(Clock.systemDefaultZone());
            try (RunLock ignored = directory.lock()) {
                search(launcher, run, directory, Optional.empty());
            }
        }
    }

    private void search(Launcher launcher, SearchRun run, RunDirectory directory, Optional<Checkpoint> checkpoint)
    {
        PrintWriter err = launcher.err();
        err.println("Run directory: " + directory.path());
        SearchEstimate estimate = SearchEstimate.of(run.plan(), run.space(), run.data());
        long heapLimit = Runtime.getRuntime().maxMemory();
        err.println(estimate.describe(heapLimit));
        estimate.warning(heapLimit).ifPresent(err::println);
        err.flush();
        MetaSearch.Outcome outcome;
        try (SearchEngine engine = run.engine(directory.path(), checkpoint)) {
            MetaSearch search = engine.search();
            outcome = StopOnSignal.run(search, new ProgressBar(err, System.console() != null, Optional.of(estimate), run.plan().schedule().cpuBudgetMinutes()), err, done -> {
                summarize(launcher.out(), run, directory, search, done);
                launcher.out().flush();
            });
        }
        if (outcome == MetaSearch.Outcome.FINISHED && (evaluate || export)) {
            // after the search closed its supernet and workers: the evaluation makes its own from the final checkpoint
            conclude(launcher, run, directory.path());
        }
        if (outcome == MetaSearch.Outcome.FINISHED && finalTraining) {
            Training.start(launcher, FinalTraining.prepare(launcher.plugins(), directory.path(), List.of(), Optional.empty(), false), tasks);
        }
    }

    /** The --evaluate and --export steps, then a short summary of where everything is. */
    private void conclude(Launcher launcher, SearchRun run, Path directory)
    {
        Checkpoint checkpoint = Checkpoint.readLatest(directory);
        ArchitectureCode best = checkpoint.best(1).get(0).code();
        PrintWriter out = launcher.out();
        Optional<SearchRun.Evaluation> evaluation = Optional.empty();
        if (evaluate) {
            InnerLoop adaptation = run.testAdaptation();
            launcher.err().printf(Locale.ROOT, "Evaluating the best architecture on %d meta-test tasks (%d inner steps, lr %s) ...%n", tasks, adaptation.steps(), adaptation.learningRate());
            launcher.err().flush();
            evaluation = Optional.of(run.evaluate(directory, checkpoint, List.of(best), tasks, adaptation, Clock.systemDefaultZone(), ProgressLine.of(launcher, "meta-test tasks")));
        }
        List<ArchitectureExport.Exported> exported = export ? run.export(checkpoint, 1, directory.resolve("export"), ProgressLine.of(launcher, "architectures exported")) : List.of();
        out.println();
        out.println("Summary");
        out.println("  best architecture:  " + best + " (measured)");
        out.println("  genotype:           " + run.space().toNotation(best));
        for (SearchRun.Evaluation written : evaluation.stream().toList()) {
            MetaTest.Result result = written.results().get(0);
            out.printf(Locale.ROOT, "  meta-test accuracy: %.2f%% ± %.2f (95%% CI, %d %d-way %d-shot tasks; %s)%n", 100 * result.meanAccuracy(), 100 * result.confidence95(), tasks,
                    run.data().classes(), run.data().training().shots(), written.file());
        }
        for (ArchitectureExport.Exported written : exported) {
            out.printf(Locale.ROOT, "  size:               %,d parameters, %,d multiply-adds per image%n", written.parameters(), written.multiplyAdds());
            out.println("  pictures:           " + written.pictures().stream().map(Path::toString).collect(Collectors.joining(", ")) + " (and .png)");
        }
        out.println("  run directory:      " + directory);
    }

    private static void summarize(PrintWriter out, SearchRun run, RunDirectory directory, MetaSearch search, MetaSearch.Outcome outcome)
    {
        if (outcome == MetaSearch.Outcome.STOPPED) {
            String during = search.abandoned().map(work -> " during " + work + " (abandoned)").orElse("");
            Optional<Path> checkpoint = search.lastCheckpoint();
            if (checkpoint.isEmpty() && search.abandoned().isPresent() && !directory.path().resolve("checkpoints").toFile().isDirectory()) {
                out.println("Stopped" + during + " before the first checkpoint; there is nothing to resume.");
                return;
            }
            out.println("Stopped" + during + "; resume continues from " + checkpoint.map(Path::toString).orElse("the last complete checkpoint in " + directory.path().resolve("checkpoints")));
            out.println("Continue with: atnas search --resume " + directory.path());
            return;
        }
        List<Individual> ranked = search.population().ranked();
        List<Individual> measured = search.population().rankedMeasured();
        String ending = search.endedByBudget() ? String.format(Locale.ROOT, " (search.cpu-budget of %s CPU minutes spent)", run.plan().schedule().cpuBudgetMinutes()) : "";
        out.printf(Locale.ROOT, "Search finished (%s): %d meta-steps%s, population of %d (%d measured, %d predicted); engine overhead %.1f%% of the meta-steps' time%n%n",
                run.plan().method().key(), search.step(), ending, ranked.size(), measured.size(), ranked.size() - measured.size(), 100 * search.engineOverhead());
        out.println("Best architectures (fitness = mean meta-val query accuracy after " + run.plan().metaStep().innerLoop().steps() + " inner steps; predicted = a predictor's estimate):");
        for (int rank = 0; rank < Math.min(5, ranked.size()); rank++) {
            Individual individual = ranked.get(rank);
            out.printf(Locale.ROOT, "%2d. %.4f  %s%s%n", rank + 1, individual.requireFitness(), individual.code(), individual.isMeasured() ? "" : "  (predicted)");
        }
        out.println();
        out.println("Best measured genotype: " + run.space().toNotation(measured.get(0).code()));
        out.println("Run directory: " + directory.path() + " (population.json, metrics.jsonl, checkpoints/)");
        out.println("Evaluate with: atnas evaluate " + directory.path());
    }
}
