package org.atnas.core.adapt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.ImageBatch;
import org.atnas.api.SearchSpace;
import org.atnas.api.WeightBackend;
import org.atnas.api.io.Safetensors;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;
import org.atnas.core.Atnas;
import org.atnas.core.config.Configuration;
import org.atnas.core.config.CoreSettings;
import org.atnas.core.data.Preprocessing;
import org.atnas.core.plugin.InstalledPlugin;

import static java.util.Objects.requireNonNull;

/**
 * A network adapted to a user's task, saved to predict without the run it came from:
 * {@code MODEL_DIR/model.json} ({@link Description}), {@code weights.safetensors} (every parameter
 * of the network by its name, float32, in the shapes of {@code model.json}'s {@code parameters})
 * and {@code genotype.txt}. The configuration in {@code model.json} is the run's, so that the
 * search space rebuilds the same network from the code.
 */
public final class AdaptedModel
{
    public static final String DESCRIPTION = "model.json";
    public static final String WEIGHTS = "weights.safetensors";
    public static final String GENOTYPE = "genotype.txt";
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One parameter of the network.
     *
     * @param name its name in {@code weights.safetensors}
     * @param shape its shape
     */
    public record Parameter(String name, int[] shape) {}

    /**
     * What {@code model.json} holds.
     *
     * @param format {@link #FORMAT}
     * @param code the architecture code
     * @param genotype the space's notation of it
     * @param searchSpace the search space's name
     * @param classes the class names, in the order of the classifier's rows
     * @param input the input's {@code [channels, height, width]}
     * @param preprocessing how an image file becomes the input
     * @param parameters the network's parameters in order
     * @param innerSteps SGD steps of the adaptation
     * @param innerLearningRate their learning rate
     * @param headInit how the classifier head started
     * @param run the run directory the meta-trained weights came from
     * @param configuration the run's effective configuration
     */
    public record Description(int format, String code, String genotype, String searchSpace, List<String> classes, int[] input, Preprocessing preprocessing,
            List<Parameter> parameters, int innerSteps, double innerLearningRate, String headInit, String run, Map<String, String> configuration)
    {
        public Description
        {
            requireNonNull(code, "code is null");
            classes = List.copyOf(requireNonNull(classes, "classes is null"));
            requireNonNull(preprocessing, "preprocessing is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            configuration = Map.copyOf(requireNonNull(configuration, "configuration is null"));
        }
    }

    private AdaptedModel() {}

    /**
     * Writes a model folder (into a {@code .partial} folder first, renamed when complete).
     *
     * @param folder a new or empty folder
     * @throws IllegalArgumentException if {@code folder} is a file or not empty
     */
    public static void save(Path folder, AdaptRun run, ArchitectureCode code, List<String> classes, FewShotAdapter.Adapted adapted, HeadInit headInit, int innerSteps, double innerLearningRate)
    {
        Map<String, float[]> weights = adapted.weights().orElseThrow(() -> new IllegalStateException("The adaptation kept no weights"));
        NetworkDescription network = adapted.description();
        List<Parameter> parameters = new ArrayList<>();
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        for (ParameterSpec spec : network.parameters()) {
            parameters.add(new Parameter(spec.name(), spec.shape()));
            tensors.put(spec.name(), new Safetensors.Tensor(spec.shape(), weights.get(spec.name())));
        }
        Preprocessing preprocessing = run.preprocessing();
        Description description = new Description(FORMAT, code.format(), run.space().toNotation(code), run.space().name(), classes,
                new int[] {preprocessing.channels(), preprocessing.height(), preprocessing.width()}, preprocessing, parameters, innerSteps, innerLearningRate, headInit.key(),
                run.runDirectory().toAbsolutePath().normalize().toString(), run.configuration().effective());
        checkNewOrEmpty(folder);
        Path partial = folder.resolveSibling(folder.getFileName() + ".partial");
        try {
            deleteRecursively(partial);
            Files.createDirectories(partial);
            Safetensors.write(partial.resolve(WEIGHTS), tensors, Map.of("format", "pt", "atnas.code", code.format()));
            Files.writeString(partial.resolve(DESCRIPTION), JSON.writeValueAsString(description));
            Files.writeString(partial.resolve(GENOTYPE), description.genotype() + "\n");
            if (Files.isDirectory(folder)) {
                Files.delete(folder);
            }
            Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot write model folder [" + folder + "]: " + e.getMessage(), e);
        }
    }

    /**
     * A saved model, ready to predict.
     *
     * @param description its {@code model.json}
     * @param network the network the search space rebuilt from it
     * @param weights its weights
     */
    public record Loaded(Description description, NetworkDescription network, Map<String, float[]> weights, WeightBackend backend, long seed)
    {
        /** The class probabilities of {@code images}, {@code [images, classes]} row-major, predicted in one batch. */
        public float[] predict(ImageBatch images)
        {
            return FewShotAdapter.predict(backend, network, weights, images, seed);
        }
    }

    /**
     * Reads a model folder and rebuilds its network with the installed search space and backend.
     *
     * @throws IllegalArgumentException naming the folder or file when it is not a model of this format, or the rebuilt network does not match its weights
     */
    public static Loaded load(List<InstalledPlugin> plugins, Path folder, List<String> overrides)
    {
        for (String file : List.of(DESCRIPTION, WEIGHTS)) {
            if (!Files.isRegularFile(folder.resolve(file))) {
                throw new IllegalArgumentException("[" + folder + "] is not a saved model: " + folder.resolve(file) + " does not exist");
            }
        }
        Description description;
        try {
            description = JSON.readValue(folder.resolve(DESCRIPTION).toFile(), Description.class);
        }
        catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot read model description [" + folder.resolve(DESCRIPTION) + "]: " + e.getMessage(), e);
        }
        if (description.format() != FORMAT) {
            throw new IllegalArgumentException("Model [" + folder + "] has format " + description.format() + ", this version of atnas reads format " + FORMAT);
        }
        Map<String, String> extra = new LinkedHashMap<>();
        Configuration.load(Optional.empty(), overrides).entries().forEach((key, entry) -> extra.put(key, entry.value()));
        Configuration configuration = Configuration.empty().with(new LinkedHashMap<>(description.configuration()), "model " + folder).with(extra, "--set");
        Atnas atnas = Atnas.start(plugins, configuration, AdaptRun.SERVICES);
        SearchSpace space = atnas.instance(SearchSpace.class);
        NetworkDescription network = space.describe(ArchitectureCode.parse(description.code()), description.preprocessing().shape(), description.classes().size());
        Map<String, float[]> weights = new LinkedHashMap<>();
        try {
            Safetensors.read(folder.resolve(WEIGHTS)).tensors().forEach((name, tensor) -> weights.put(name, tensor.values()));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read model weights [" + folder.resolve(WEIGHTS) + "]: " + e.getMessage(), e);
        }
        return new Loaded(description, network, weights, atnas.instance(WeightBackend.class), atnas.configuration().get(CoreSettings.SEED));
    }

    private static void checkNewOrEmpty(Path folder)
    {
        if (!Files.exists(folder)) {
            return;
        }
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("Model folder [" + folder + "] is a file; expected a new or empty folder");
        }
        try (Stream<Path> children = Files.list(folder)) {
            if (children.findAny().isPresent()) {
                throw new IllegalArgumentException("Model folder [" + folder + "] is not empty; expected a new or empty folder");
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list model folder [" + folder + "]: " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path path)
            throws IOException
    {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(each);
            }
        }
    }
}
