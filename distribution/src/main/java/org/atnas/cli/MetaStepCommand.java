package org.atnas.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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

    @Option(names = "--cells", defaultValue = "2", paramLabel = "N", description = "Cells of the DARTS network (default: ${DEFAULT-VALUE}, the protocol's).")
    int cells;

    @Option(names = "--channels", defaultValue = "16", paramLabel = "C", description = "Channels of the first cell (default: ${DEFAULT-VALUE}, the protocol's).")
    int channels;

    @Option(names = "--ways", defaultValue = "5", paramLabel = "N", description = "Classes per task, 1 shot and 15 queries each (default: ${DEFAULT-VALUE}, the protocol's).")
    int ways;

    @Option(names = "--rss-log", paramLabel = "FILE", description = "Also writes one JSON line per meta-step (warm-up included): its number, seconds and resident memory after it, to follow memory over many steps.")
    Path rssLog;

    @Mixin
    ConfigOptions config;

    @Override
    public void run()
    {
        Launcher launcher = parent.parent.launcher;
        MetaStepBenchmark.Settings settings = new MetaStepBenchmark.Settings(threads, workers, metaBatch, innerSteps, warmup, steps, cells, channels, ways);
        Configuration user = config.load(launcher, Map.of(), "--set");
        String backend = user.get(ServiceType.BACKEND.key()).map(Configuration.Entry::value).orElse(ServiceType.BACKEND.defaultName());
        Map<String, String> workload = MetaStepBenchmark.workload(new PluginRegistry(launcher.plugins()), backend, settings);
        Atnas atnas = launcher.start(user.with(workload, "bench meta-step"), SearchRun.SERVICES);
        ProgressLine progress = ProgressLine.of(launcher, "meta-steps");
        MetaStepBenchmark.Result result;
        try (BufferedWriter log = rssLog != null ? Files.newBufferedWriter(rssLog, StandardCharsets.UTF_8) : null) {
            result = MetaStepBenchmark.run(atnas, settings, launcher.home(), step -> {
                progress.note(String.format(Locale.ROOT, "meta-step %d of %d%s: %.3f s, %,.0f MB resident", step.step(), warmup + steps, step.warmup() ? " (warm-up)" : "",
                        step.seconds(), step.rssMb()));
                progress.update(step.step(), warmup + steps);
                if (log != null) {
                    try {
                        log.write(Json.write(step));
                        log.newLine();
                        // a long run is watched while it runs
                        log.flush();
                    }
                    catch (IOException e) {
                        throw new UncheckedIOException("Cannot write the memory log [" + rssLog + "]: " + e.getMessage(), e);
                    }
                }
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot write the memory log [" + rssLog + "]: " + e.getMessage(), e);
        }
        launcher.out().println(Json.write(result));
    }
}
