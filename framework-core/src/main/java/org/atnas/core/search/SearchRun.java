package org.atnas.core.search;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Evolver;
import org.atnas.api.InnerLoop;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.Predictor;
import org.atnas.api.SearchSpace;
import org.atnas.api.WeightBackend;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.config.CoreSettings;
import org.atnas.core.config.ResolvedConfiguration;
import org.atnas.core.data.ClassSplit;
import org.atnas.core.data.Datasets;
import org.atnas.core.data.ImageDataset;
import org.atnas.core.data.TaskSampler;
import org.atnas.core.plugin.RegisteredComponent;
import org.atnas.core.run.RunDirectory;

/**
 * Everything a search or an evaluation of its result needs, prepared from the configuration before
 * any work starts: the data and its samplers, the settings, the components. Settings that cannot
 * work (B_arch &gt; K, more shots and queries than a class has images, a capability the backend
 * lacks) fail here.
 */
public final class SearchRun
{
    private final ResolvedConfiguration configuration;
    private final ClassSplit split;
    private final ImageDataset dataset;
    private final MetaSearch.Parameters parameters;
    private final MetaSearch.Components components;

    private SearchRun(ResolvedConfiguration configuration, ImageDataset dataset, ClassSplit split, MetaSearch.Parameters parameters, MetaSearch.Components components)
    {
        this.configuration = configuration;
        this.dataset = dataset;
        this.split = split;
        this.parameters = parameters;
        this.components = components;
    }

    /** Prepares a search from a started engine (which must have all four search services). */
    public static SearchRun prepare(Atnas atnas)
    {
        ResolvedConfiguration configuration = atnas.configuration();
        MetaSearch.Parameters parameters = new MetaSearch.Parameters(
                configuration.get(SearchSettings.POPULATION),
                configuration.get(SearchSettings.EVOLVE_EVERY),
                configuration.get(SearchSettings.ARCH_BATCH),
                configuration.get(SearchSettings.TASK_BATCH),
                new InnerLoop(configuration.get(SearchSettings.INNER_STEPS), configuration.get(SearchSettings.INNER_LR)),
                configuration.get(SearchSettings.META_LR),
                configuration.get(SearchSettings.WARMUP_STEPS),
                configuration.get(SearchSettings.STEPS),
                configuration.get(SearchSettings.WORKERS),
                configuration.get(SearchSettings.TASK_POOL),
                configuration.get(SearchSettings.VALIDATION_TASKS),
                configuration.get(SearchSettings.CHECKPOINT_EVERY),
                configuration.get(CoreSettings.SEED),
                configuration.get(SearchSettings.PREDICTOR_PAIRS),
                configuration.get(SearchSettings.PREDICTOR_FRACTION),
                SearchMethod.fromKey(configuration.get(SearchSettings.METHOD)),
                configuration.find(SearchSettings.FIXED_CODE).map(text -> fixedCode(atnas.instance(SearchSpace.class), text)),
                configuration.get(SearchSettings.CPU_BUDGET));
        ImageDataset dataset = Datasets.load(configuration);
        ClassSplit split = Datasets.split(configuration, dataset);
        TaskSampler training = Datasets.sampler(configuration, "meta-train", split.train(), dataset);
        TaskSampler validation = Datasets.sampler(configuration, "meta-val", split.validation(), dataset);
        Map<String, String> componentNames = new LinkedHashMap<>();
        for (ServiceType service : ServiceType.values()) {
            Optional<RegisteredComponent> selected = configuration.selected(service);
            selected.ifPresent(component -> componentNames.put(service.key(), component.name() + " " + component.plugin().version()));
        }
        MetaSearch.Components components = new MetaSearch.Components(
                atnas.instance(SearchSpace.class),
                atnas.instance(WeightBackend.class),
                atnas.instance(MetaOptimizer.class),
                atnas.instance(Evolver.class),
                training,
                validation,
                componentNames,
                configuration.effective(),
                configuration.selected(ServiceType.PREDICTOR).map(component -> () -> atnas.components().create(ServiceType.PREDICTOR, Predictor.class).orElseThrow()));
        return new SearchRun(configuration, dataset, split, parameters, components);
    }

    /** A code ({@code 4,4,0,...}) or, if it does not parse as one, the space's notation. */
    private static ArchitectureCode fixedCode(SearchSpace space, String text)
    {
        try {
            ArchitectureCode code = text.matches("[0-9,\\s]+") ? ArchitectureCode.parse(text) : space.fromNotation(text);
            space.validate(code);
            return code;
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("search.fixed-code: " + e.getMessage(), e);
        }
    }

    /** The final training of the chosen architecture on each meta-test task ({@code evaluate.*}). */
    public InnerLoop finalTraining()
    {
        return new InnerLoop(configuration.get(SearchSettings.EVALUATE_INNER_STEPS), configuration.get(SearchSettings.EVALUATE_INNER_LR));
    }

    public MetaSearch.Parameters parameters()
    {
        return parameters;
    }

    public MetaSearch.Components components()
    {
        return components;
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
        return Datasets.sampler(configuration, "meta-test", split.test(), dataset);
    }

    /** A new run directory with the effective configuration and the resolved split. */
    public RunDirectory createRunDirectory(Clock clock)
    {
        RunDirectory run = RunDirectory.create(configuration, "search", clock);
        run.writeJson("split.json", split.describe());
        return run;
    }
}
