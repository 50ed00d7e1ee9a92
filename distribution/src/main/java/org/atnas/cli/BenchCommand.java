package org.atnas.cli;

import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.atnas.api.Evolver;
import org.atnas.api.FitnessTable;
import org.atnas.api.Predictor;
import org.atnas.api.SearchSpace;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.bench.EvolverBenchmark;
import org.atnas.core.bench.Statistics;
import org.atnas.core.config.CoreSettings;
import org.atnas.core.run.MetricsLog;
import org.atnas.core.search.PredictorScreen;
import org.atnas.core.search.SearchSettings;
import org.atnas.core.run.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code atnas bench ...}: benchmarks whose figures go into the docs. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks.",
        subcommands = {BenchCommand.EvolverCommand.class, PredictorCommand.class, MemoryCommand.class, MetaStepCommand.class})
final class BenchCommand
{
    @ParentCommand
    AtnasCommand parent;

    @Command(name = "evolver", mixinStandardHelpOptions = true,
            description = {
                    "Runs the configured evolver as a search against the NAS-Bench-201 table (fitness = the table's accuracy,",
                    "budget = distinct architectures queried) beside random search with the same budget and seeds, and prints",
                    "the mean ± std of the best accuracy each found and the gap to the table's best."})
    static final class EvolverCommand
            implements Runnable
    {
        @ParentCommand
        BenchCommand parent;

        @Mixin
        TableOptions table;

        @Option(names = "--budget", defaultValue = "300", paramLabel = "N", description = "Distinct architectures each run may query (default: ${DEFAULT-VALUE}).")
        int budget;

        @Option(names = "--runs", defaultValue = "20", paramLabel = "R", description = "Runs per method, seeded seed, seed+1, ... (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--population", defaultValue = "20", paramLabel = "K", description = "The evolver's population size (default: ${DEFAULT-VALUE}).")
        int population;

        @Mixin
        ConfigOptions config;

        @Override
        public void run()
        {
            Launcher launcher = parent.parent.launcher;
            EvolverBenchmark.Settings settings;
            Map<String, String> fixed = table.settings();
            Atnas atnas = Atnas.start(launcher.plugins(), config.load(launcher, fixed, "--table"), EnumSet.of(ServiceType.SEARCH_SPACE, ServiceType.EVOLVER, ServiceType.PREDICTOR));
            settings = new EvolverBenchmark.Settings(budget, runs, population, atnas.configuration().get(CoreSettings.SEED));
            SearchSpace space = atnas.instance(SearchSpace.class);
            Evolver evolver = atnas.instance(Evolver.class);
            FitnessTable fitness = TableOptions.of(space);
            launcher.err().printf("Reading %s ...%n", table.table);
            launcher.err().flush();
            int rows = fitness.codes().size();
            RunDirectory run = RunDirectory.create(atnas.configuration(), "bench-evolver", Clock.systemDefaultZone());
            launcher.err().printf("%,d architectures; %d runs of %s and random search, %d queries each%n", rows, runs, evolver.name(), budget);
            EvolverBenchmark.Result result;
            try (MetricsLog metrics = run.metrics()) {
                Optional<Supplier<PredictorScreen>> screens = atnas.configuration().selected(ServiceType.PREDICTOR).map(component -> () -> new PredictorScreen(
                        () -> atnas.components().create(ServiceType.PREDICTOR, Predictor.class).orElseThrow(), space,
                        atnas.configuration().get(SearchSettings.PREDICTOR_PAIRS), atnas.configuration().get(SearchSettings.PREDICTOR_FRACTION)));
                String method = evolver.name() + atnas.configuration().selected(ServiceType.PREDICTOR).map(component -> "+" + component.name()).orElse("");
                result = new EvolverBenchmark(space, fitness, evolver, screens, method).run(settings, Optional.of(metrics), line -> {
                    launcher.err().println(line);
                    launcher.err().flush();
                });
            }
            String report = EvolverBenchmark.format(result);
            run.writeText("report.txt", report);
            run.writeJson("summary.json", summary(result));
            launcher.out().print(report);
            launcher.out().println();
            launcher.out().println("Run directory: " + run.path());
        }

        private static Map<String, Object> summary(EvolverBenchmark.Result result)
        {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("metric", result.metric());
            summary.put("tableBest", result.tableBest());
            summary.put("budget", result.settings().budget());
            summary.put("runs", result.settings().runs());
            summary.put("population", result.settings().population());
            summary.put("seed", result.settings().seed());
            for (EvolverBenchmark.MethodResult method : new EvolverBenchmark.MethodResult[] {result.evolver(), result.random()}) {
                double[] best = method.bestAfter(result.settings().budget());
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("bestPerRun", best);
                entry.put("meanBest", Statistics.mean(best));
                entry.put("stdBest", Statistics.standardDeviation(best));
                summary.put(method.method().equals("random") ? "random" : "evolver:" + method.method(), entry);
            }
            return summary;
        }
    }
}
