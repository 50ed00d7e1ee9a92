package org.atnas.core.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.ImageShape;
import org.atnas.api.SearchSpace;
import org.atnas.api.Task;
import org.atnas.api.network.NetworkDescription;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.config.SettingValues;
import org.atnas.core.data.ImageClass;
import org.atnas.core.data.Normalization;
import org.atnas.core.data.TaskSampler;
import org.atnas.core.plugin.PluginRegistry;
import org.atnas.core.search.MetaStep;
import org.atnas.core.search.Provenance;
import org.atnas.core.search.SearchData;
import org.atnas.core.search.SearchEngine;
import org.atnas.core.search.SearchModule;
import org.atnas.core.search.SearchPlan;

import static java.util.Objects.requireNonNull;

/**
 * The meta-step of shared/bench/BENCHMARK.md through the engine's own {@link MetaStep}: one
 * meta-step of the DARTS-V2 subnet (2 cells, C = 16, stem 48 channels) over random 5-way 1-shot
 * tasks with 15 queries, 5 inner steps at lr 0.01, the mean gradient to Adam. Reports the PyTorch
 * peer's JSON fields, so the two compare line by line.
 */
public final class MetaStepBenchmark
{
    private static final ImageShape INPUT = new ImageShape(1, 28, 28);
    private static final int QUERIES = 15;
    /**
     * FLOPs of one image's forward and backward pass per multiply-add of its forward pass: 2 for the
     * forward pass, twice that for the backward pass (the gradients of the inputs and of the weights),
     * the usual convention; element-wise ops (batch norm, pooling) are not counted.
     */
    private static final int FLOPS_PER_MULTIPLY_ADD = 6;
    private static final double INNER_LR = 0.01;

    /**
     * What to run.
     *
     * @param threads backend threads in all, shared out among the workers
     * @param workers 𝒦: parallel workers, task j on worker j mod 𝒦
     * @param metaBatch tasks per meta-step
     * @param innerSteps inner SGD steps
     * @param warmup untimed meta-steps first
     * @param steps timed meta-steps; the median is reported
     * @param cells cells of the DARTS network (the protocol: 2)
     * @param channels C, the first cell's channels (the protocol: 16)
     * @param ways classes per task (the protocol: 5)
     */
    public record Settings(int threads, int workers, int metaBatch, int innerSteps, int warmup, int steps, int cells, int channels, int ways)
    {
        public Settings
        {
            if (threads < 1 || workers < 1 || metaBatch < 1 || innerSteps < 1 || warmup < 0 || steps < 1) {
                throw new IllegalArgumentException("threads, workers, meta-batch, inner steps and steps must be at least 1 and warm-up at least 0, got " + this);
            }
            if (cells < 1 || channels < 2 || ways < 2) {
                throw new IllegalArgumentException("cells must be at least 1, channels and ways at least 2, got " + this);
            }
            if (workers > metaBatch) {
                throw new IllegalArgumentException("--workers (" + workers + ") is larger than --meta-batch (" + metaBatch + "): every worker needs a task");
            }
        }
    }

    /** A line of the memory log: a meta-step, its seconds and the resident memory after it. */
    public record StepMemory(int step, boolean warmup, double seconds, double rssMb) {}

    /**
     * The figures, named as the peer names them; {@code gflops} is the convolutions' and the
     * classifier's work (6 FLOPs per multiply-add and image, forward and backward) done per second
     * of the median meta-step, an underestimate for second order, which differentiates through the
     * inner steps as well.
     */
    public record Result(String peer, int threads, long params, @JsonProperty("meta_step_s_median") double medianSeconds, @JsonProperty("meta_step_s_min") double minimumSeconds,
            @JsonProperty("tasks_per_s") double tasksPerSecond, @JsonProperty("peak_rss_mb") double peakResidentMegabytes, @JsonProperty("engine_overhead") double engineOverhead,
            @JsonProperty("gflop_per_meta_step") double gigaflopPerMetaStep, @JsonProperty("gflops") double gigaflopsPerSecond, Workload config) {}

    /**
     * The workload, named as the peer's {@code config} names it; {@code allocator} is the native
     * memory allocator the launcher preloaded ({@code ATNAS_MALLOC}): the library's path, {@code system,
     * blocks kept for reuse} for glibc with the launcher's settings, {@code system} for glibc as the
     * environment left it; {@code backendSettings} is every key of the backend with a value (set or
     * default), so that two results say how their backends were set.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Workload(int threads, int cells, int channels, int ways, int shots, int queries, int metaBatch, int innerSteps, double innerLr, int warmup, int steps, int workers,
            int threadsPerWorker, String backend, String metaOptimizer, String allocator, Map<String, String> backendSettings) {}

    private MetaStepBenchmark() {}

    /**
     * The configuration keys that fix the workload's network in the DARTS space, and each backend
     * thread count: a backend that lets users choose its threads declares {@code <name>.threads}
     * (the {@link org.atnas.api.WeightBackend} convention).
     */
    public static Map<String, String> workload(PluginRegistry registry, String backend, Settings settings)
    {
        Map<String, String> fixed = new LinkedHashMap<>();
        fixed.put(ServiceType.SEARCH_SPACE.key(), "darts");
        fixed.put("darts.cells", Integer.toString(settings.cells()));
        fixed.put("darts.channels", Integer.toString(settings.channels()));
        fixed.put("darts.stem-multiplier", "3");
        registry.find(ServiceType.BACKEND, backend).ifPresent(component -> {
            String key = component.name() + ".threads";
            if (component.factory().settings().stream().anyMatch(setting -> setting.key().equals(key))) {
                fixed.put(key, Integer.toString(Math.max(1, settings.threads() / settings.workers())));
            }
        });
        return fixed;
    }

    /**
     * Runs the benchmark with the engine's selected backend and meta-optimizer (the engine started
     * with {@link #workload}).
     *
     * @param scratch a folder the engine may write into (nothing is written by a meta-step)
     * @param progress told after each meta-step, with its memory (to follow memory over many steps)
     */
    public static Result run(Atnas atnas, Settings settings, Path scratch, Consumer<StepMemory> progress)
    {
        requireNonNull(atnas, "atnas is null");
        SearchSpace space = atnas.instance(SearchSpace.class);
        ArchitectureCode dartsV2 = Optional.ofNullable(space.namedArchitectures().get("darts-v2"))
                .orElseThrow(() -> new IllegalArgumentException("Search space [" + space.name() + "] has no architecture named darts-v2"));
        TaskSampler sampler = randomTasks(settings.ways());
        List<Task> tasks = new ArrayList<>();
        for (int t = 0; t < settings.metaBatch(); t++) {
            tasks.add(sampler.sample(t));
        }
        Map<String, String> keys = new LinkedHashMap<>();
        // the smallest population the settings accept; the benchmark never evolves it
        keys.put("search.population", "2");
        keys.put("search.arch-batch", "1");
        keys.put("search.task-batch", Integer.toString(settings.metaBatch()));
        keys.put("search.task-pool", Integer.toString(settings.metaBatch()));
        keys.put("search.inner-steps", Integer.toString(settings.innerSteps()));
        keys.put("search.inner-lr", Double.toString(INNER_LR));
        keys.put("search.workers", Integer.toString(settings.workers()));
        SearchPlan plan = SearchPlan.read(SettingValues.of(keys), space);
        List<MetaStep.Pair> pairs = new ArrayList<>();
        for (int j = 0; j < tasks.size(); j++) {
            Task task = tasks.get(j);
            pairs.add(new MetaStep.Pair(dartsV2, () -> task, j % settings.workers()));
        }
        double[] seconds = new double[settings.steps()];
        double overhead;
        long parameters;
        long multiplyAdds;
        try (SearchEngine engine = SearchEngine.start(atnas.injector(), new SearchModule(plan, new SearchData(sampler, sampler), scratch, Provenance.none(), Optional.empty()))) {
            MetaStep metaStep = engine.metaStep();
            NetworkDescription network = space.describe(dartsV2, INPUT, settings.ways());
            parameters = network.parameterCount();
            multiplyAdds = network.multiplyAdds();
            for (int step = 0; step < settings.warmup() + settings.steps(); step++) {
                long start = System.nanoTime();
                metaStep.run(step + 1, pairs);
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (step >= settings.warmup()) {
                    seconds[step - settings.warmup()] = elapsed;
                }
                progress.accept(new StepMemory(step + 1, step < settings.warmup(), elapsed, ProcessMemory.residentMegabytes()));
            }
            overhead = metaStep.engineOverhead();
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        Map<String, String> effective = atnas.configuration().effective();
        Map<String, String> backendSettings = new LinkedHashMap<>();
        atnas.configuration().selected(ServiceType.BACKEND).ifPresent(component -> component.factory().settings().forEach(setting -> {
            if (effective.containsKey(setting.key())) {
                backendSettings.put(setting.key(), effective.get(setting.key()));
            }
        }));
        Workload config = new Workload(settings.threads(), settings.cells(), settings.channels(), settings.ways(), 1, QUERIES, settings.metaBatch(), settings.innerSteps(), INNER_LR, settings.warmup(), settings.steps(),
                settings.workers(), settings.threads() / settings.workers(), effective.get(ServiceType.BACKEND.key()), effective.get(ServiceType.META_OPTIMIZER.key()),
                System.getProperty("atnas.malloc", "system"), backendSettings);
        String peer = "atnas-" + config.backend() + "-" + config.metaOptimizer();
        // every task: the support set (ways images, 1 shot) once per inner step, then the query set
        long images = (long) settings.metaBatch() * ((long) settings.innerSteps() * settings.ways() + (long) settings.ways() * QUERIES);
        double gigaflop = FLOPS_PER_MULTIPLY_ADD * (double) multiplyAdds * images / 1e9;
        return new Result(peer, settings.threads(), parameters, median, sorted[0], settings.metaBatch() / median, ProcessMemory.peakResidentMegabytes(), overhead, gigaflop, gigaflop / median,
                config);
    }

    /** Random pixels in [0, 1] like the peer's torch.rand: classes with enough images for 1 shot and 15 queries. */
    private static TaskSampler randomTasks(int ways)
    {
        SplittableRandom random = new SplittableRandom(0);
        List<ImageClass> classes = new ArrayList<>();
        for (int c = 0; c < ways; c++) {
            byte[] pixels = new byte[(1 + QUERIES) * INPUT.size()];
            random.nextBytes(pixels);
            classes.add(new ImageClass("random" + c, "random", INPUT, pixels));
        }
        return new TaskSampler("benchmark", classes, Normalization.unit(1), ways, 1, QUERIES);
    }
}
