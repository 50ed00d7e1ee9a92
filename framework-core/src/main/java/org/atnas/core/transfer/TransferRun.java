package org.atnas.core.transfer;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Evolver;
import org.atnas.api.Individual;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Population;
import org.atnas.api.SearchSpace;
import org.atnas.api.Supernet;
import org.atnas.api.SupernetState;
import org.atnas.api.WeightBackend;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.config.Configuration;
import org.atnas.core.config.CoreSettings;
import org.atnas.core.config.ResolvedConfiguration;
import org.atnas.core.data.SupervisedData;
import org.atnas.core.plugin.InstalledPlugin;
import org.atnas.core.plugin.RegisteredComponent;
import org.atnas.core.run.RunDirectory;
import org.atnas.core.search.Checkpoint;
import org.atnas.core.search.SearchPlan;
import org.atnas.core.search.Seeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * A transfer (Algorithm 3) prepared from a search's run directory, or resumed from its own: the
 * search's configuration with the user's overrides (the target data set, {@code transfer.*}), the
 * labelled data with its seeded validation split, and the supernet for the target's input and
 * classes, started from the search's weights (or fresh ones).
 */
public final class TransferRun
        implements AutoCloseable
{
    /** The services a transfer uses. */
    public static final Set<ServiceType> SERVICES = Set.of(ServiceType.SEARCH_SPACE, ServiceType.BACKEND, ServiceType.EVOLVER);
    public static final String SPLIT_FILE = "split.json";

    private static final Logger log = LoggerFactory.getLogger(TransferRun.class);

    private final Atnas atnas;
    private final SupervisedData data;
    private final Split split;
    private final Population initial;
    private final Optional<Checkpoint> resume;
    private final Optional<SupernetState> searchWeights;
    private Supernet supernet;

    /**
     * The validation split of the training set.
     *
     * @param seed the seed it was drawn with
     * @param validation indices into the training files' images held out for validation
     * @param training the other indices, trained on
     */
    public record Split(long seed, int[] validation, int[] training)
    {
        /** A seeded draw of {@code validationImages} of {@code images}; the rest train. */
        public static Split draw(long seed, int images, int validationImages)
        {
            if (validationImages >= images - 1) {
                throw new IllegalArgumentException("Invalid value [" + validationImages + "] for key [" + TransferSettings.VALIDATION_IMAGES.key() + "]: the training set has " + images
                        + " images, at least 2 must be left to train on");
            }
            int[] all = new int[images];
            for (int i = 0; i < images; i++) {
                all[i] = i;
            }
            int[] order = ArchitectureTransfer.shuffled(all, new SplittableRandom(Seeds.derive(seed, Seeds.TRANSFER_SPLIT, 0)));
            int[] validation = Arrays.copyOfRange(order, 0, validationImages);
            int[] training = Arrays.copyOfRange(order, validationImages, images);
            Arrays.sort(validation);
            Arrays.sort(training);
            return new Split(seed, validation, training);
        }
    }

    /** {@code split.json}: which training images were held out, and that the test set is a file of its own. */
    record SplitFile(String dataset, String path, long seed, int trainingImages, int validationImages, int testImages, String testSet, int[] validation) {}

    private TransferRun(Atnas atnas, SupervisedData data, Population initial, Optional<Checkpoint> resume, Optional<SupernetState> searchWeights)
    {
        this.atnas = atnas;
        this.data = data;
        this.initial = initial;
        this.resume = resume;
        this.searchWeights = searchWeights;
        this.split = Split.draw(atnas.configuration().get(CoreSettings.SEED), data.training().size(), atnas.configuration().get(TransferSettings.VALIDATION_IMAGES));
    }

    /**
     * A new transfer of the search in {@code source}.
     *
     * @param overrides {@code key=value} overrides of the search's configuration ({@code data.*}, {@code transfer.*}, ...)
     * @throws IllegalArgumentException naming the directory, key or value when one is wrong
     */
    public static TransferRun start(List<InstalledPlugin> plugins, Path source, List<String> overrides)
    {
        Checkpoint search = Checkpoint.readLatest(source);
        if (search.configuration().containsKey(TransferSettings.SOURCE.key())) {
            throw new IllegalArgumentException("[" + source + "] is a transfer, not a search; continue it with atnas transfer --resume " + source);
        }
        Map<String, String> extra = new LinkedHashMap<>();
        Configuration.load(Optional.empty(), overrides).entries().forEach((key, entry) -> extra.put(key, entry.value()));
        Map<String, String> base = new LinkedHashMap<>(search.configuration());
        base.remove(CoreSettings.RUN_NAME.key());
        Configuration configuration = Configuration.empty().with(base, "checkpoint of " + source).with(extra, "--set");
        Atnas probe = Atnas.start(plugins, configuration, SERVICES);
        SearchSpace space = probe.instance(SearchSpace.class);
        Population initial = initialPopulation(probe.configuration(), space, search, source);
        Map<String, String> resolved = new LinkedHashMap<>();
        resolved.put(TransferSettings.POPULATION.key(), Integer.toString(initial.size()));
        resolved.put(TransferSettings.SOURCE.key(), source.toAbsolutePath().normalize().toString());
        Atnas atnas = Atnas.start(plugins, configuration.with(resolved, "atnas transfer"), SERVICES);
        SupervisedData data = SupervisedData.load(atnas.configuration());
        boolean fresh = atnas.configuration().get(TransferSettings.WEIGHTS).equals(TransferSettings.FRESH_WEIGHTS);
        return new TransferRun(atnas, data, initial, Optional.empty(), fresh ? Optional.empty() : Optional.of(search.state()));
    }

    /**
     * A stopped transfer, continued from its latest checkpoint with the configuration it was started with.
     *
     * @throws IllegalArgumentException if {@code directory} is not a transfer with a checkpoint
     */
    public static TransferRun resume(List<InstalledPlugin> plugins, Path directory)
    {
        Checkpoint checkpoint = Checkpoint.readLatest(directory);
        if (!checkpoint.configuration().containsKey(TransferSettings.SOURCE.key())) {
            throw new IllegalArgumentException("[" + directory + "] is not a transfer (its configuration has no " + TransferSettings.SOURCE.key() + ")");
        }
        if (checkpoint.finished()) {
            throw new IllegalArgumentException("The transfer in [" + directory + "] finished at epoch " + checkpoint.step() + "; its final checkpoint cannot be resumed");
        }
        Atnas atnas = Atnas.start(plugins, Configuration.empty().with(new LinkedHashMap<>(checkpoint.configuration()), "checkpoint of " + directory), SERVICES);
        return new TransferRun(atnas, SupervisedData.load(atnas.configuration()), checkpoint.population(), Optional.of(checkpoint), Optional.empty());
    }

    /**
     * The architectures the transfer starts with: {@code transfer.code} alone, or the best
     * {@code transfer.population} of the search's population (all of it for 0), best first.
     */
    static Population initialPopulation(ResolvedConfiguration configuration, SearchSpace space, Checkpoint search, Path source)
    {
        Optional<String> code = configuration.find(TransferSettings.CODE);
        if (code.isPresent()) {
            return Population.ofCodes(List.of(SearchPlan.architecture(space, TransferSettings.CODE.key(), code.get())));
        }
        List<Individual> ranked = search.population().ranked().isEmpty() ? List.of() : search.best(search.population().size());
        if (ranked.isEmpty()) {
            throw new IllegalArgumentException("The search in [" + source + "] has no population to transfer; set " + TransferSettings.CODE.key() + " to transfer one architecture");
        }
        int wanted = configuration.get(TransferSettings.POPULATION);
        int size = wanted == 0 ? ranked.size() : Math.min(wanted, ranked.size());
        return Population.ofCodes(ranked.subList(0, size).stream().map(Individual::code).toList());
    }

    /** A new run directory with the effective configuration and {@code split.json}. */
    public RunDirectory createRunDirectory(Clock clock)
    {
        RunDirectory run = RunDirectory.create(atnas.configuration(), "transfer", clock);
        ResolvedConfiguration configuration = atnas.configuration();
        run.writeJson(SPLIT_FILE, new SplitFile(configuration.get(org.atnas.core.data.DataSettings.DATASET), configuration.find(org.atnas.core.data.DataSettings.PATH).orElse(""),
                split.seed(), split.training().length, split.validation().length, data.test().size(), "the data set's own test files", split.validation()));
        return run;
    }

    /**
     * The transfer, ready to run in {@code directory}.
     *
     * @throws IllegalArgumentException if the search's weights do not fit the target's network (another number of channels)
     */
    public ArchitectureTransfer transfer(Path directory, BooleanSupplier stop)
    {
        if (supernet != null) {
            throw new IllegalStateException("The transfer was already made");
        }
        ResolvedConfiguration configuration = atnas.configuration();
        SearchSpace space = atnas.instance(SearchSpace.class);
        NetworkDescription description = space.describeSupernet(data.training().shape(), data.classes());
        TransferPlan plan = TransferPlan.read(configuration, configuration.get(TransferSettings.POPULATION));
        supernet = atnas.instance(WeightBackend.class).createSupernet(description, MetaUpdate.adam(plan.learningRate()), plan.seed());
        if (resume.isPresent()) {
            supernet.restore(resume.get().state());
        }
        else if (searchWeights.isPresent()) {
            supernet.restore(inherited(searchWeights.get(), supernet.state(), description, configuration.get(org.atnas.core.data.DataSettings.DATASET)));
        }
        Map<String, String> components = new LinkedHashMap<>();
        for (ServiceType service : SERVICES) {
            Optional<RegisteredComponent> selected = configuration.selected(service);
            selected.ifPresent(component -> components.put(service.key(), component.name() + " " + component.plugin().version()));
        }
        return new ArchitectureTransfer(plan, space, atnas.instance(Evolver.class), supernet, code -> space.describe(code, data.training().shape(), data.classes()), data.training(),
                split.training(), split.validation(), data.test(), initial, resume, directory, configuration.effective(), components, stop);
    }

    /**
     * The target supernet's starting weights: the search's where the target has a parameter of
     * that name; the classifier of another class count starts fresh (from {@code fresh}). No Adam state: a new optimisation.
     *
     * @throws IllegalArgumentException naming a parameter other than the classifier whose size differs
     */
    static SupernetState inherited(SupernetState search, SupernetState fresh, NetworkDescription target, String dataset)
    {
        Map<String, float[]> parameters = new LinkedHashMap<>(fresh.parameters());
        List<String> freshNames = new ArrayList<>();
        for (ParameterSpec parameter : target.parameters()) {
            float[] searched = search.parameters().get(parameter.name());
            if (searched == null || parameter.name().startsWith(NetworkDescription.CLASSIFIER_PREFIX) && searched.length != parameter.size()) {
                freshNames.add(parameter.name());
                continue;
            }
            if (searched.length != parameter.size()) {
                throw new IllegalArgumentException("The search's supernet does not fit " + dataset + " images of " + target.input() + ": parameter " + parameter.name() + " has "
                        + searched.length + " values in the search, " + parameter.size() + " here; transfer to images with the search's number of channels");
            }
            parameters.put(parameter.name(), searched);
        }
        if (!freshNames.isEmpty()) {
            log.info("Fresh weights for {} (not in the search's supernet or of another size)", freshNames);
        }
        return new SupernetState(parameters, Map.of(), Map.of(), Map.of());
    }

    public ResolvedConfiguration configuration()
    {
        return atnas.configuration();
    }

    public SupervisedData data()
    {
        return data;
    }

    public Split split()
    {
        return split;
    }

    /** Releases the supernet. */
    @Override
    public void close()
    {
        if (supernet != null) {
            supernet.close();
        }
    }
}
