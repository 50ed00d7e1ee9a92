package org.atnas.core.adapt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.InnerLoop;
import org.atnas.api.SearchSpace;
import org.atnas.api.WeightBackend;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.config.Configuration;
import org.atnas.core.config.CoreSettings;
import org.atnas.core.config.ResolvedConfiguration;
import org.atnas.core.data.Preprocessing;
import org.atnas.core.plugin.InstalledPlugin;
import org.atnas.core.run.RunDirectory;
import org.atnas.core.search.Checkpoint;
import org.atnas.core.search.SearchPlan;
import org.atnas.core.search.SearchSettings;

/**
 * A search's result opened for the user's own tasks: the checkpoint's weights and population, the
 * search space and backend of its configuration, and its preprocessing. Needs neither its data
 * set's classes (except to derive the preprocessing of a run that predates {@code preprocessing.json}
 * and normalises by its data) nor a meta-optimizer; writes nothing into the run directory.
 */
public final class AdaptRun
{
    /** The services adapting and predicting use. */
    public static final Set<ServiceType> SERVICES = Set.of(ServiceType.SEARCH_SPACE, ServiceType.BACKEND);

    private final Path runDirectory;
    private final Checkpoint checkpoint;
    private final Atnas atnas;
    private final Preprocessing preprocessing;

    private AdaptRun(Path runDirectory, Checkpoint checkpoint, Atnas atnas, Preprocessing preprocessing)
    {
        this.runDirectory = runDirectory;
        this.checkpoint = checkpoint;
        this.atnas = atnas;
        this.preprocessing = preprocessing;
    }

    /**
     * Opens the latest checkpoint of a run, with {@code key=value} overrides of its configuration.
     *
     * @throws IllegalArgumentException naming the directory when it is not a run with a checkpoint
     */
    public static AdaptRun open(List<InstalledPlugin> plugins, Path runDirectory, List<String> overrides)
    {
        Checkpoint checkpoint = Checkpoint.readLatest(runDirectory);
        Map<String, String> extra = new LinkedHashMap<>();
        Configuration.load(Optional.empty(), overrides).entries().forEach((key, entry) -> extra.put(key, entry.value()));
        Configuration configuration = Configuration.empty().with(new LinkedHashMap<>(checkpoint.configuration()), "checkpoint of " + runDirectory).with(extra, "--set");
        Atnas atnas = Atnas.start(plugins, configuration, SERVICES);
        return new AdaptRun(runDirectory, checkpoint, atnas, Preprocessing.ofRun(runDirectory, atnas.configuration()));
    }

    public Path runDirectory()
    {
        return runDirectory;
    }

    public Checkpoint checkpoint()
    {
        return checkpoint;
    }

    public ResolvedConfiguration configuration()
    {
        return atnas.configuration();
    }

    public Preprocessing preprocessing()
    {
        return preprocessing;
    }

    public SearchSpace space()
    {
        return atnas.instance(SearchSpace.class);
    }

    public WeightBackend backend()
    {
        return atnas.instance(WeightBackend.class);
    }

    /** The run's seed ({@code seed}). */
    public long seed()
    {
        return atnas.configuration().get(CoreSettings.SEED);
    }

    /**
     * The architecture to adapt: the given one (a code, the space's notation or a name such as
     * {@code darts-v2}), else the checkpoint's best measured one.
     *
     * @throws IllegalArgumentException starting with {@code --code} when the given one is not of the space
     */
    public ArchitectureCode architecture(Optional<String> given)
    {
        return given.map(text -> SearchPlan.architecture(space(), "--code", text)).orElseGet(() -> checkpoint.best(1).get(0).code());
    }

    /** The run's test-time inner loop ({@code evaluate.inner-steps}, {@code evaluate.inner-lr}) unless overridden. */
    public InnerLoop innerLoop(Optional<Integer> steps, Optional<Double> learningRate)
    {
        return new InnerLoop(steps.orElse(atnas.configuration().get(SearchSettings.EVALUATE_INNER_STEPS)),
                learningRate.orElse(atnas.configuration().get(SearchSettings.EVALUATE_INNER_LR)));
    }

    /** The adapter of this run's checkpoint and input shape. */
    public FewShotAdapter adapter()
    {
        return new FewShotAdapter(backend(), space(), checkpoint.state(), preprocessing.shape(), seed());
    }

    /**
     * Where a command's results go: {@code output}, which must be new or empty, else a new
     * {@code <command>-<time>} folder under the configured {@code runs.directory}.
     *
     * @throws IllegalArgumentException naming {@code output} if it is a file or a folder with something in it
     */
    public Path createOutput(Optional<Path> output, String command, Clock clock)
    {
        return createOutput(atnas.configuration(), output, command, clock);
    }

    /** As {@link #createOutput(Optional, String, Clock)}, for commands without a run. */
    public static Path createOutput(ResolvedConfiguration configuration, Optional<Path> output, String command, Clock clock)
    {
        if (output.isEmpty()) {
            return RunDirectory.create(configuration, command, clock).path();
        }
        Path folder = output.get();
        try {
            if (Files.exists(folder)) {
                if (!Files.isDirectory(folder)) {
                    throw new IllegalArgumentException("Output folder [" + folder + "] is a file; expected a new or empty folder");
                }
                try (Stream<Path> children = Files.list(folder)) {
                    if (children.findAny().isPresent()) {
                        throw new IllegalArgumentException("Output folder [" + folder + "] is not empty; expected a new or empty folder");
                    }
                }
            }
            Files.createDirectories(folder);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot create output folder [" + folder + "]: " + e.getMessage(), e);
        }
        return folder;
    }
}
