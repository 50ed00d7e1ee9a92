package org.atnas.cli;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;

import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.bench.EvolverBenchmark;
import org.atnas.core.bench.EvolverReport;
import org.atnas.core.bench.FitnessTables;
import org.atnas.core.config.CoreSettings;
import org.atnas.core.run.MetricsLog;
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
                    "Runs the configured evolver against the NAS-Bench-201 table beside random search.",
                    "Fitness = the table's accuracy, budget = distinct architectures queried, the same budget and seeds for both;",
                    "prints the mean ± std of the best accuracy each found and the gap to the table's best."})
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
            Atnas atnas = launcher.start(config.load(launcher, FitnessTables.nasBench201(table.table), "--table"),
                    EnumSet.of(ServiceType.SEARCH_SPACE, ServiceType.EVOLVER, ServiceType.PREDICTOR));
            EvolverBenchmark.Settings settings = new EvolverBenchmark.Settings(budget, runs, population, atnas.configuration().get(CoreSettings.SEED));
            launcher.err().printf("Reading %s ...%n", table.table);
            launcher.err().flush();
            EvolverBenchmark benchmark = EvolverBenchmark.of(atnas);
            RunDirectory run = RunDirectory.create(atnas.configuration(), "bench-evolver", Clock.systemDefaultZone());
            launcher.err().printf("%,d architectures; %d runs of %s and random search, %d queries each%n", benchmark.table().codes().size(), runs, benchmark.method(), budget);
            EvolverBenchmark.Result result;
            String report;
            try {
                try (MetricsLog metrics = run.metrics()) {
                    result = benchmark.run(settings, Optional.of(metrics), ProgressLine.of(launcher, "runs").counting(runs));
                }
                report = EvolverReport.format(result);
                run.writeText("report.txt", report);
                run.writeJson("summary.json", EvolverReport.summary(result));
            }
            catch (RuntimeException | Error e) {
                run.removeAfterFailure(e);
                throw e;
            }
            launcher.out().print(report);
            launcher.out().println();
            launcher.out().println("Run directory: " + run.path());
        }
    }
}
