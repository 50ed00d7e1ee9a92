package org.atnas.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.Evolver;
import org.atnas.api.ImageShape;
import org.atnas.api.InnerLoop;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.SearchSpace;
import org.atnas.api.Task;
import org.atnas.api.WeightBackend;
import org.atnas.api.network.NetworkDescription;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.data.ImageClass;
import org.atnas.core.data.Normalization;
import org.atnas.core.data.TaskSampler;
import org.atnas.core.search.MetaSearch;
import org.atnas.core.plugin.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code atnas bench meta-step}: the workload of shared/bench/BENCHMARK.md (one first-order MAML
 * meta-step of the DARTS-V2 subnet over 4 random 5-way 1-shot tasks), printing the PyTorch peer's
 * JSON fields so the two compare line by line. The meta-step runs through the engine's own
 * {@link MetaSearch#metaStep}, with the threads shared out among parallel workers.
 */
@Command(name = "meta-step", mixinStandardHelpOptions = true,
        description = "Times the meta-step of the benchmark protocol (shared/bench/BENCHMARK.md) with the configured backend and meta-optimizer; prints one JSON line like the PyTorch peer's.")
final class MetaStepCommand
        implements Runnable
{
    @ParentCommand
    BenchCommand parent;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N", description = "Backend threads (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--rss-log", paramLabel = "FILE", description = "Also writes one JSON line per meta-step (warm-up included): its number, seconds and resident memory after it, to follow memory over many steps.")
    Optional<Path> rssLog;

    @Mixin
    ConfigOptions config;

    /** One line of {@code --rss-log}. */
    record StepMemory(int step, boolean warmup, double seconds, double rssMb) {}

    @Override
    public void run()
    {
        Launcher launcher = parent.parent.launcher;
        Map<String, String> fixed = new LinkedHashMap<>();
        fixed.put(ServiceType.SEARCH_SPACE.key(), "darts");
        fixed.put("darts.cells", "2");
        fixed.put("darts.channels", "16");
        fixed.put("darts.stem-multiplier", "3");
        String backendName = config.load(launcher, Map.of(), "--set").get(ServiceType.BACKEND.key()).map(entry -> entry.value()).orElse(ServiceType.BACKEND.defaultName());
        PluginRegistry registry = new PluginRegistry(launcher.plugins());
        registry.find(ServiceType.BACKEND, backendName).ifPresent(component -> {
            String key = component.name() + ".threads";
            if (component.factory().settings().stream().anyMatch(setting -> setting.key().equals(key))) {
                fixed.put(key, Integer.toString(Math.max(1, threads / workers)));
            }
        });
        Atnas atnas = Atnas.start(launcher.plugins(), config.load(launcher, fixed, "bench meta-step"), SearchCommand.SERVICES);
        // random pixels in [0, 1] like the peer's torch.rand, 5 classes with enough images for 1 shot and 15 queries
        SplittableRandom random = new SplittableRandom(0);
        ImageShape input = new ImageShape(1, 28, 28);
        List<ImageClass> classes = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            byte[] pixels = new byte[16 * input.size()];
            random.nextBytes(pixels);
            classes.add(new ImageClass("random" + c, "random", input, pixels));
        }
        TaskSampler sampler = new TaskSampler("benchmark", classes, Normalization.unit(1), 5, 1, 15);
        List<Task> tasks = new ArrayList<>();
        for (int t = 0; t < metaBatch; t++) {
            tasks.add(sampler.sample(t));
        }
        MetaSearch.Components components = new MetaSearch.Components(atnas.instance(SearchSpace.class), atnas.instance(WeightBackend.class), atnas.instance(MetaOptimizer.class),
                atnas.instance(Evolver.class), sampler, sampler, Map.of(), Map.of(), Optional.empty());
        MetaSearch.Parameters parameters = new MetaSearch.Parameters(1, 1, 1, metaBatch, new InnerLoop(innerSteps, 0.01), 0.001, 0, 1, workers, metaBatch, 1, 1, 0, 3, 1.0);
        List<ArchitectureCode> codes = List.of(MemoryCommand.dartsV2(2));
        NetworkDescription subnetDescription = components.space().describe(codes.get(0), input, 5);
        double[] seconds = new double[steps];
        double overhead;
        ObjectMapper json = new ObjectMapper();
        try (MetaSearch search = new MetaSearch(parameters, components, launcher.home(), Optional.empty());
                BufferedWriter log = rssLog.isPresent() ? Files.newBufferedWriter(rssLog.get()) : null) {
            for (int step = 0; step < warmup + steps; step++) {
                long start = System.nanoTime();
                search.metaStep(codes, tasks);
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (step >= warmup) {
                    seconds[step - warmup] = elapsed;
                }
                if (log != null) {
                    log.write(json.writeValueAsString(new StepMemory(step + 1, step < warmup, elapsed, MemoryCommand.residentMegabytes("VmRSS:"))));
                    log.newLine();
                    // a long run is watched while it runs
                    log.flush();
                }
            }
            overhead = search.engineOverhead();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot write the memory log " + rssLog.map(Path::toString).orElse(""), e);
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("peer", "atnas-" + components.backend().name() + "-" + components.optimizer().name());
        result.put("threads", threads);
        result.put("params", subnetDescription.parameterCount());
        result.put("meta_step_s_median", median);
        result.put("meta_step_s_min", sorted[0]);
        result.put("tasks_per_s", metaBatch / median);
        result.put("peak_rss_mb", MemoryCommand.residentMegabytes("VmHWM:"));
        result.put("engine_overhead", overhead);
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("threads", threads);
        configuration.put("cells", 2);
        configuration.put("channels", 16);
        configuration.put("ways", 5);
        configuration.put("shots", 1);
        configuration.put("queries", 15);
        configuration.put("meta_batch", metaBatch);
        configuration.put("inner_steps", innerSteps);
        configuration.put("inner_lr", 0.01);
        configuration.put("warmup", warmup);
        configuration.put("steps", steps);
        configuration.put("workers", workers);
        configuration.put("threads_per_worker", threads / workers);
        configuration.put("backend", components.backend().name());
        configuration.put("meta_optimizer", components.optimizer().name());
        result.put("config", configuration);
        try {
            launcher.out().println(json.writeValueAsString(result));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
