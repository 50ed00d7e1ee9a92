package org.atnas.cli;

import java.util.Map;

import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.bench.MetaStepBenchmark;
import org.atnas.core.config.Configuration;
import org.atnas.core.plugin.PluginRegistry;
import org.atnas.core.search.SearchRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code atnas bench meta-step}: the workload of shared/bench/BENCHMARK.md ({@link
 * MetaStepBenchmark}), printing the PyTorch peer's JSON fields so the two compare line by line.
 */
@Command(name = "meta-step", mixinStandardHelpOptions = true,
        description = "Times the meta-step of the benchmark protocol (shared/bench/BENCHMARK.md) with the configured backend and meta-optimizer; prints one JSON line like the PyTorch peer's.")
final class MetaStepCommand
        implements Runnable
{
    @ParentCommand
    BenchCommand parent;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N", description = "Backend threads in all, shared out among the workers (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "K", description = "Parallel workers sharing the threads (Sec. 3.4; default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--meta-batch", defaultValue = "4", paramLabel = "N", description = "Tasks per meta-step (default: ${DEFAULT-VALUE}).")
    int metaBatch;

    @Option(names = "--inner-steps", defaultValue = "5", paramLabel = "M", description = "Inner steps (default: ${DEFAULT-VALUE}).")
    int innerSteps;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "N", description = "Untimed meta-steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--steps", defaultValue = "10", paramLabel = "N", description = "Timed meta-steps; the median is reported (default: ${DEFAULT-VALUE}).")
    int steps;

    @Mixin
    ConfigOptions config;

    @Override
    public void run()
    {
        Launcher launcher = parent.parent.launcher;
        MetaStepBenchmark.Settings settings = new MetaStepBenchmark.Settings(threads, workers, metaBatch, innerSteps, warmup, steps);
        Configuration user = config.load(launcher, Map.of(), "--set");
        String backend = user.get(ServiceType.BACKEND.key()).map(Configuration.Entry::value).orElse(ServiceType.BACKEND.defaultName());
        Map<String, String> workload = MetaStepBenchmark.workload(new PluginRegistry(launcher.plugins()), backend, settings);
        Atnas atnas = launcher.start(user.with(workload, "bench meta-step"), SearchRun.SERVICES);
        MetaStepBenchmark.Result result = MetaStepBenchmark.run(atnas, settings, launcher.home(), ProgressLine.of(launcher, "meta-steps").counting(warmup + steps));
        launcher.out().println(Json.write(result));
    }
}
