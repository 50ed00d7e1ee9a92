package org.atnas.core.search;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Individual;
import org.atnas.api.InnerLoop;
import org.atnas.api.SearchSpace;
import org.atnas.api.SupernetState;
import org.atnas.core.Atnas;
import org.atnas.core.Progress;
import org.atnas.core.ServiceType;
import org.atnas.core.config.Configuration;
import org.atnas.core.config.ResolvedConfiguration;
import org.atnas.api.cluster.ClusterService;
import org.atnas.core.data.ClassSplit;
import org.atnas.core.data.DataSettings;
import org.atnas.core.data.Datasets;
import org.atnas.core.data.ImageDataset;
import org.atnas.core.data.Preprocessing;
import org.atnas.core.data.TaskSampler;
import org.atnas.core.export.ArchitectureExport;
import org.atnas.core.plugin.InstalledPlugin;
import org.atnas.core.plugin.RegisteredComponent;
import org.atnas.core.run.RunDirectory;

import static java.util.Objects.requireNonNull;

/**
 * Everything a search or an evaluation of its result needs, prepared from the configuration before
 * any work starts: the data and its samplers, the plan, the selected components. Settings that
 * cannot work (B_arch &gt; K, more shots and queries than a class has images) fail here; a capability
 * the backend lacks fails when the {@link #engine} starts.
 */
public final class SearchRun
{
    /** The services a search uses. */
    public static final Set<ServiceType> SERVICES = Set.of(ServiceType.SEARCH_SPACE, ServiceType.BACKEND, ServiceType.META_OPTIMIZER, ServiceType.EVOLVER, ServiceType.PREDICTOR, ServiceType.CLUSTER);

    private final Atnas atnas;
    private final ClassSplit split;
    private final ImageDataset dataset;
    private final SearchPlan plan;
    private final SearchData data;

    private SearchRun(Atnas atnas, ImageDataset dataset, ClassSplit split, SearchPlan plan, SearchData data)
    {
        this.atnas = atnas;
        this.dataset = dataset;
        this.split = split;
        this.plan = plan;
        this.data = data;
    }

    /** Prepares a search from a started engine (which must have all four search services). */
    public static SearchRun prepare(Atnas atnas)
    {
        return prepare(atnas, Progress.NONE);
    }

    /** As {@link #prepare(Atnas)}, reporting the data set's decoded images to {@code loading}. */
    public static SearchRun prepare(Atnas atnas, Progress loading)
    {
        ResolvedConfiguration configuration = atnas.configuration();
        SearchPlan plan = SearchPlan.read(configuration, atnas.instance(SearchSpace.class));
        ImageDataset dataset = Datasets.load(configuration, loading);
        ClassSplit split = Datasets.split(configuration, dataset);
        SearchData data = new SearchData(Datasets.sampler(configuration, "meta-train", split.train(), dataset), Datasets.sampler(configuration, "meta-val", split.validation(), dataset));
        return new SearchRun(atnas, dataset, split, plan, data);
    }

    /**
     * The run of a checkpoint, with its configuration and {@code key=value} overrides (for example a
     * moved {@code data.path}).
     */
    public static SearchRun ofCheckpoint(List<InstalledPlugin> plugins, Path runDirectory, Checkpoint checkpoint, List<String> overrides)
    {
        return prepare(Atnas.start(plugins, configuration(runDirectory, checkpoint, overrides), SERVICES));
    }

    /** A checkpoint's configuration with {@code key=value} overrides, each entry naming where it came from. */
    static Configuration configuration(Path runDirectory, Checkpoint checkpoint, List<String> overrides)
    {
        Map<String, String> extra = new LinkedHashMap<>();
        Configuration.load(Optional.empty(), overrides).entries().forEach((key, entry) -> extra.put(key, entry.value()));
        return Configuration.empty().with(new LinkedHashMap<>(checkpoint.configuration()), "checkpoint of " + runDirectory).with(extra, "--set");
    }

    /**
     * The engine of this run: a new supernet, or the checkpoint's.
     *
     * @param runDirectory where metrics and checkpoints go
     * @throws IllegalArgumentException if the backend lacks a capability the meta-optimizer needs
     */
    public SearchEngine engine(Path runDirectory, Optional<Checkpoint> resume)
    {
        return engine(runDirectory, resume, Optional.empty());
    }

    /**
     * The engine of a new run whose supernet starts from {@code initialWeights} (a final training
     * from the search's W), or from a checkpoint of its own when resumed.
     */
    public SearchEngine engine(Path runDirectory, Optional<Checkpoint> resume, Optional<SupernetState> initialWeights)
    {
        SearchModule module = new SearchModule(plan, data, runDirectory, provenance(), resume, initialWeights);
        clusterSetup().ifPresent(module::onCluster);
        return SearchEngine.start(atnas.injector(), module);
    }

    /**
     * With {@code cluster} selected: the cluster service, this JVM's fingerprint and the
     * configuration the workers run the pairs with (the same, less the cluster's own keys).
     */
    private Optional<ClusterSetup> clusterSetup()
    {
        ResolvedConfiguration configuration = atnas.configuration();
        if (configuration.selected(ServiceType.CLUSTER).isEmpty()) {
            return Optional.empty();
        }
        ClusterService service = atnas.components().create(ServiceType.CLUSTER, ClusterService.class).orElseThrow();
        Set<String> ownKeys = new HashSet<>();
        configuration.selected(ServiceType.CLUSTER).orElseThrow().factory().settings().forEach(setting -> ownKeys.add(setting.key()));
        Map<String, String> forWorkers = new LinkedHashMap<>();
        configuration.effective().forEach((key, value) -> {
            if (!key.equals(ServiceType.CLUSTER.key()) && !key.startsWith(ServiceType.CLUSTER.key() + ".") && !ownKeys.contains(key)) {
                forWorkers.put(key, value);
            }
        });
        ClusterFingerprint fingerprint = ClusterFingerprint.of(atnas.registry().plugins(), configuration.find(DataSettings.PATH));
        return Optional.of(new ClusterSetup(service, fingerprint, forWorkers, configuration.get(ClusterSettings.WAIT_FOR), configuration.get(ClusterSettings.WAIT_SECONDS)));
    }

    /** The resolved configuration of this run. */
    public ResolvedConfiguration configuration()
    {
        return atnas.configuration();
    }

    /** The components by service key with their plugin versions, and the effective configuration, as checkpoints keep them. */
    private Provenance provenance()
    {
        Map<String, String> components = new LinkedHashMap<>();
        for (ServiceType service : ServiceType.values()) {
            Optional<RegisteredComponent> selected = atnas.configuration().selected(service);
            selected.ifPresent(component -> components.put(service.key(), component.name() + " " + component.plugin().version()));
        }
        return new Provenance(components, atnas.configuration().effective());
    }

    /** The adaptation to each meta-test task ({@code evaluate.*}). */
    public InnerLoop testAdaptation()
    {
        return new InnerLoop(atnas.configuration().get(SearchSettings.EVALUATE_INNER_STEPS), atnas.configuration().get(SearchSettings.EVALUATE_INNER_LR));
    }

    public SearchPlan plan()
    {
        return plan;
    }

    public SearchData data()
    {
        return data;
    }

    public SearchSpace space()
    {
        return atnas.instance(SearchSpace.class);
    }

    public ClassSplit split()
    {
        return split;
    }

    public ImageDataset dataset()
    {
        return dataset;
    }

    /** A sampler of meta-test tasks with the run's N, K and Q. */
    public TaskSampler metaTest()
    {
        return Datasets.sampler(atnas.configuration(), "meta-test", split.test(), dataset);
    }

    /**
     * A new run directory with the effective configuration, the resolved split and the
     * preprocessing of the data ({@code preprocessing.json}), so that the run's network can be
     * adapted to a user's own images exactly as it saw its training data.
     */
    public RunDirectory createRunDirectory(Clock clock)
    {
        return createRunDirectory("search", clock);
    }

    /** A new run directory named after {@code command} ({@code train-<time>}), with the effective configuration and the resolved split. */
    public RunDirectory createRunDirectory(String command, Clock clock)
    {
        RunDirectory run = RunDirectory.create(atnas.configuration(), command, clock);
        run.writeJson("split.json", split.describe());
        run.writeJson(Preprocessing.FILE, Preprocessing.of(dataset));
        return run;
    }

    /**
     * The meta-test of architectures from a checkpoint's supernet, written as
     * {@code evaluation-<time>.json} into the run directory.
     *
     * @return the results and the file
     */
    public Evaluation evaluate(Path runDirectory, Checkpoint checkpoint, List<ArchitectureCode> codes, int tasks, InnerLoop innerLoop, Clock clock)
    {
        return evaluate(runDirectory, checkpoint, codes, tasks, innerLoop, clock, Progress.NONE);
    }

    /** As {@link #evaluate(Path, Checkpoint, List, int, InnerLoop, Clock)}, reporting each adapted (architecture, task) pair to {@code progress}. */
    public Evaluation evaluate(Path runDirectory, Checkpoint checkpoint, List<ArchitectureCode> codes, int tasks, InnerLoop innerLoop, Clock clock, Progress progress)
    {
        requireNonNull(checkpoint, "checkpoint is null");
        List<MetaTest.Result> results;
        try (SearchEngine engine = engine(runDirectory, Optional.of(checkpoint))) {
            results = engine.metaTest().evaluate(codes, metaTest(), tasks, innerLoop, progress);
        }
        return new Evaluation(results, MetaTest.write(runDirectory, results, clock));
    }

    /** Exports the checkpoint's {@code top} best measured architectures, with their cell pictures, into {@code folder}. */
    public List<ArchitectureExport.Exported> export(Checkpoint checkpoint, int top, Path folder)
    {
        return export(checkpoint, top, folder, Progress.NONE);
    }

    /** As {@link #export(Checkpoint, int, Path)}, reporting each exported architecture to {@code progress}. */
    public List<ArchitectureExport.Exported> export(Checkpoint checkpoint, int top, Path folder, Progress progress)
    {
        List<ArchitectureExport.Entry> entries = new ArrayList<>();
        for (Individual individual : checkpoint.best(top)) {
            entries.add(new ArchitectureExport.Entry(individual.code(), individual.isMeasured() ? Optional.of(individual.requireFitness()) : Optional.empty()));
        }
        return new ArchitectureExport(space(), data.input(), data.classes()).write(folder, entries, progress);
    }

    /**
     * A meta-test's results and where they were written.
     *
     * @param results one per architecture
     * @param file the {@code evaluation-<time>.json} file
     */
    public record Evaluation(List<MetaTest.Result> results, Path file) {}
}
