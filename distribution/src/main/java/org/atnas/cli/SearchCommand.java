package org.atnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Individual;
import org.atnas.api.InnerLoop;
import org.atnas.api.SearchSpace;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.config.Configuration;
import org.atnas.core.run.MetricsLog;
import org.atnas.core.run.RunDirectory;
import org.atnas.core.export.ArchitectureExport;
import org.atnas.core.search.Checkpoint;
import org.atnas.core.search.MetaSearch;
import org.atnas.core.search.MetaTest;
import org.atnas.core.search.SearchRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code atnas search}: Algorithm 1, meta-training the supernet while the population evolves. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Runs the AT-NAS search (Algorithm 1): meta-trains the supernet over few-shot tasks while the architecture population evolves.",
                "Writes metrics.jsonl, checkpoints and the final population into a run directory; Ctrl-C writes a checkpoint and stops,",
                "--resume continues from it."})
final class SearchCommand
        implements Runnable
{
    static final Set<ServiceType> SERVICES = EnumSet.of(ServiceType.SEARCH_SPACE, ServiceType.BACKEND, ServiceType.META_OPTIMIZER, ServiceType.EVOLVER, ServiceType.PREDICTOR);

    @ParentCommand
    AtnasCommand parent;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continues an interrupted search from its latest checkpoint, with the configuration it was started with.")
    Path resume;

    @Option(names = "--evaluate", description = "When the search finishes, evaluates the best architecture on meta-test tasks, as atnas evaluate does.")
    boolean evaluate;

    @Option(names = "--tasks", defaultValue = "600", paramLabel = "N", description = "Meta-test tasks of --evaluate (default: ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--export", description = "When the search finishes, exports the best architecture with its cell pictures, as atnas export does.")
    boolean export;

    @Mixin
    ConfigOptions config;

    @Override
    public void run()
    {
        Launcher launcher = parent.launcher;
        Optional<Checkpoint> checkpoint = Optional.empty();
        Atnas atnas;
        if (tasks < 2) {
            throw new IllegalArgumentException("--tasks must be at least 2, got " + tasks);
        }
        if (resume != null) {
            if (config.file != null || !config.overrides.isEmpty()) {
                throw new IllegalArgumentException("--resume continues a run with the configuration it was started with; --config and --set cannot be used with it");
            }
            checkpoint = Optional.of(Checkpoint.readLatest(resume));
            atnas = Atnas.start(launcher.plugins(), Configuration.empty().with(checkpoint.get().configuration(), "checkpoint of " + resume), SERVICES);
        }
        else {
            atnas = Atnas.start(launcher.plugins(), config.load(launcher, Map.of(), "--set"), SERVICES);
        }
        SearchRun run = SearchRun.prepare(atnas);
        RunDirectory directory = resume != null ? RunDirectory.open(resume) : run.createRunDirectory(Clock.systemDefaultZone());
        PrintWriter err = launcher.err();
        err.println("Run directory: " + directory.path());
        MetaSearch.Outcome outcome;
        MetaSearch search = new MetaSearch(run.parameters(), run.components(), directory.path(), checkpoint);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // Ctrl-C: let the current meta-step finish and the checkpoint be written before the JVM exits
            search.requestStop();
            try {
                finished.await(10, TimeUnit.MINUTES);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "atnas-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (search; MetricsLog metrics = directory.metrics()) {
            outcome = search.run(metrics, new ProgressBar(err, System.console() != null));
            summarize(launcher, run, directory, search, outcome);
        }
        finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running and waits for the latch above
            }
        }
        if (outcome == MetaSearch.Outcome.FINISHED && (evaluate || export)) {
            // after the search closed its supernet and workers: the evaluation makes its own from the final checkpoint
            conclude(launcher, run, directory.path());
        }
    }

    /** The --evaluate and --export steps, then a short summary of where everything is. */
    private void conclude(Launcher launcher, SearchRun run, Path directory)
    {
        Checkpoint checkpoint = Checkpoint.readLatest(directory);
        ArchitectureCode best = EvaluateCommand.best(checkpoint, 1).get(0).code();
        PrintWriter out = launcher.out();
        Optional<MetaTest.Result> result = Optional.empty();
        Path evaluation = null;
        if (evaluate) {
            InnerLoop finalTraining = run.finalTraining();
            launcher.err().printf(Locale.ROOT, "Evaluating the best architecture on %d meta-test tasks (%d inner steps, lr %s) ...%n", tasks, finalTraining.steps(), finalTraining.learningRate());
            launcher.err().flush();
            result = Optional.of(MetaTest.evaluate(run, directory, checkpoint, List.of(best), tasks, finalTraining).get(0));
            evaluation = EvaluateCommand.write(directory, List.of(result.get()));
        }
        List<ArchitectureExport.Exported> exported = export ? ExportCommand.export(run, checkpoint, 1, directory.resolve("export")) : List.of();
        out.println();
        out.println("Summary");
        out.println("  best architecture:  " + best);
        out.println("  genotype:           " + run.components().space().toNotation(best));
        if (result.isPresent()) {
            out.printf(Locale.ROOT, "  meta-test accuracy: %.2f%% ± %.2f (95%% CI, %d %d-way %d-shot tasks; %s)%n", 100 * result.get().meanAccuracy(), 100 * result.get().confidence95(), tasks,
                    run.metaTest().ways(), run.metaTest().shots(), evaluation);
        }
        for (ArchitectureExport.Exported written : exported) {
            out.printf(Locale.ROOT, "  size:               %,d parameters, %,d multiply-adds per image%n", written.parameters(), written.multiplyAdds());
            out.println("  pictures:           " + written.pictures().stream().map(Path::toString).collect(Collectors.joining(", ")) + " (and .png)");
        }
        out.println("  run directory:      " + directory);
    }

    private static void summarize(Launcher launcher, SearchRun run, RunDirectory directory, MetaSearch search, MetaSearch.Outcome outcome)
    {
        PrintWriter out = launcher.out();
        SearchSpace space = run.components().space();
        if (outcome == MetaSearch.Outcome.STOPPED) {
            out.println("Stopped; checkpoint " + search.lastCheckpoint().map(Path::toString).orElse("(none)"));
            out.println("Continue with: atnas search --resume " + directory.path());
            return;
        }
        List<Individual> ranked = search.population().ranked();
        List<Map<String, Object>> population = new ArrayList<>();
        for (int rank = 0; rank < ranked.size(); rank++) {
            Individual individual = ranked.get(rank);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("rank", rank + 1);
            entry.put("code", individual.code().format());
            entry.put("fitness", individual.requireFitness());
            entry.put("genotype", space.toNotation(individual.code()));
            population.add(entry);
        }
        directory.writeJson("population.json", population);
        String ending = search.endedByBudget() ? String.format(Locale.ROOT, " (search.cpu-budget of %s CPU minutes spent)", run.parameters().cpuBudgetMinutes()) : "";
        out.printf(Locale.ROOT, "Search finished (%s): %d meta-steps%s, population of %d; engine overhead %.1f%% of the run's time%n%n", run.parameters().method().key(), search.step(), ending,
                ranked.size(), 100 * search.engineOverhead());
        out.println("Best architectures (fitness = mean meta-val query accuracy after " + run.parameters().innerLoop().steps() + " inner steps):");
        for (Map<String, Object> entry : population.subList(0, Math.min(5, population.size()))) {
            out.printf(Locale.ROOT, "%2d. %.4f  %s%n", (Integer) entry.get("rank"), (Double) entry.get("fitness"), entry.get("code"));
        }
        out.println();
        out.println("Best genotype: " + population.get(0).get("genotype"));
        out.println("Run directory: " + directory.path() + " (population.json, metrics.jsonl, checkpoints/)");
        out.println("Evaluate with: atnas evaluate " + directory.path());
    }
}
