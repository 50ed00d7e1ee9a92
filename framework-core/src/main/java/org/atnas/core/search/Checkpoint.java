package org.atnas.core.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.Individual;
import org.atnas.api.Population;
import org.atnas.api.SupernetState;
import org.atnas.api.io.Safetensors;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;
import org.atnas.core.run.AtomicFiles;

import static java.util.Objects.requireNonNull;

/**
 * A checkpoint of a meta-search: {@code checkpoints/step-NNNNNNN/} with {@code manifest.json}
 * (format, step, generation, population with fitness, the effective configuration, components),
 * {@code supernet.safetensors} (W) and {@code adam.safetensors} (Adam's moments, {@code m.<name>}
 * and {@code v.<name>}; the step counts are in the manifest). Backend-neutral: any backend restores
 * it. A checkpoint is written into a {@code .partial} folder and renamed when complete, then
 * {@code checkpoints/latest} names it; a crash leaves the previous one intact.
 *
 * @param step meta-steps done
 * @param generation evolutions done
 * @param finished whether this is the final checkpoint of a completed search, after its final evaluation
 * @param population the population, with the fitness of its last evaluation where it has one
 * @param configuration the run's effective configuration
 * @param components the component of each service, by key
 * @param state W and Adam's state
 * @param predictorPairs the (code, fitness) pairs the predictor trains on, in the order they were evaluated
 * @param cpuMinutes CPU minutes the run's meta-steps and evaluations used up to this checkpoint, so
 *     that a resumed run spends only what is left of its {@code search.cpu-budget}
 */
public record Checkpoint(int step, int generation, boolean finished, Population population, Map<String, String> configuration, Map<String, String> components, SupernetState state,
        List<Individual> predictorPairs, double cpuMinutes)
{
    public static final int FORMAT = 1;
    static final String DIRECTORY = "checkpoints";
    private static final String LATEST = "latest";
    private static final int MAX_LATEST_BYTES = 4096;
    private static final String MANIFEST = "manifest.json";
    private static final String SUPERNET = "supernet.safetensors";
    private static final String ADAM = "adam.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Checkpoint
    {
        requireNonNull(population, "population is null");
        configuration = Map.copyOf(configuration);
        components = Map.copyOf(components);
        requireNonNull(state, "state is null");
        predictorPairs = List.copyOf(predictorPairs);
        if (!(cpuMinutes >= 0) || Double.isInfinite(cpuMinutes)) {
            throw new IllegalArgumentException("cpuMinutes must be a finite number >= 0, got " + cpuMinutes);
        }
    }

    /**
     * Writes this checkpoint into {@code runDirectory/checkpoints/step-NNNNNNN} and points
     * {@code latest} at it; keeps the {@code keep} newest checkpoints.
     */
    public Path write(Path runDirectory, NetworkDescription supernet, int keep)
    {
        Path checkpoints = runDirectory.resolve(DIRECTORY);
        String name = String.format("step-%07d", step);
        Path target = checkpoints.resolve(name);
        Path partial = checkpoints.resolve(name + ".partial");
        try {
            Files.createDirectories(checkpoints);
            deleteRecursively(partial);
            Files.createDirectory(partial);
            Map<String, int[]> shapes = new LinkedHashMap<>();
            for (ParameterSpec parameter : supernet.parameters()) {
                shapes.put(parameter.name(), parameter.shape());
            }
            Map<String, Safetensors.Tensor> weights = new LinkedHashMap<>();
            state.parameters().forEach((parameter, values) -> weights.put(parameter, new Safetensors.Tensor(shapes.get(parameter), values)));
            Safetensors.write(partial.resolve(SUPERNET), weights, Map.of("format", "pt", "atnas.step", Integer.toString(step)));
            Map<String, Safetensors.Tensor> adam = new LinkedHashMap<>();
            state.firstMoments().forEach((parameter, values) -> adam.put("m." + parameter, new Safetensors.Tensor(shapes.get(parameter), values)));
            state.secondMoments().forEach((parameter, values) -> adam.put("v." + parameter, new Safetensors.Tensor(shapes.get(parameter), values)));
            Safetensors.write(partial.resolve(ADAM), adam, Map.of("atnas.step", Integer.toString(step)));
            Files.writeString(partial.resolve(MANIFEST), JSON.writeValueAsString(manifest()));
            // hours of a paper-scale run are in these files: on disk before the rename makes them the checkpoint
            for (String file : List.of(SUPERNET, ADAM, MANIFEST)) {
                AtomicFiles.sync(partial.resolve(file));
            }
            AtomicFiles.syncDirectory(partial);
            deleteRecursively(target);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(checkpoints);
            AtomicFiles.writeString(checkpoints.resolve(LATEST), name + "\n");
            prune(checkpoints, keep);
            return target;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint [" + target + "]: " + e.getMessage(), e);
        }
    }

    /** {@code manifest.json}: what a checkpoint is, beside its two safetensors files. */
    record Manifest(int format, int step, int generation, boolean finished, List<Member> population, Map<String, String> components, Map<String, String> configuration, String supernet,
            String adam, Map<String, Long> adamSteps, List<Pair> predictorPairs, double cpuMinutes) {}

    /** A member of the population: its fitness and the fitness's kind once evaluated. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Member(String code, Double fitness, String fitnessKind) {}

    /** A (code, measured fitness) pair the predictor trains on. */
    record Pair(String code, double fitness) {}

    private Manifest manifest()
    {
        List<Member> members = new ArrayList<>();
        for (Individual individual : population.individuals()) {
            members.add(individual.isEvaluated() ? new Member(individual.code().format(), individual.requireFitness(), kindName(individual)) : new Member(individual.code().format(), null, null));
        }
        List<Pair> pairs = predictorPairs.stream().map(pair -> new Pair(pair.code().format(), pair.requireFitness())).toList();
        return new Manifest(FORMAT, step, generation, finished, members, new TreeMap<>(components), new TreeMap<>(configuration), SUPERNET, ADAM, new TreeMap<>(state.steps()), pairs, cpuMinutes);
    }

    /**
     * The checkpoint {@code checkpoints/latest} of a run directory names.
     *
     * @throws IllegalArgumentException naming the directory or file when it is not a run with a
     *     complete checkpoint of this format
     */
    public static Checkpoint readLatest(Path runDirectory)
    {
        if (!Files.isDirectory(runDirectory)) {
            throw new IllegalArgumentException("Run directory [" + runDirectory + "] does not exist");
        }
        Path checkpoints = runDirectory.resolve(DIRECTORY);
        Path latest = checkpoints.resolve(LATEST);
        if (!Files.isRegularFile(latest)) {
            throw new IllegalArgumentException("[" + runDirectory + "] is not a search run directory with a checkpoint: " + latest + " does not exist");
        }
        String expected = "expected the name of one folder inside [" + checkpoints + "], such as step-0000004";
        String name;
        try {
            long size = Files.size(latest);
            // the pointer holds one folder name; a larger file is not one, and is not read whole
            if (size > MAX_LATEST_BYTES) {
                throw new IllegalArgumentException("Checkpoint pointer [" + latest + "] is " + size + " bytes long; " + expected);
            }
            name = Files.readString(latest).strip();
        }
        catch (CharacterCodingException e) {
            throw new IllegalArgumentException("Checkpoint pointer [" + latest + "] is not UTF-8 text; " + expected, e);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read [" + latest + "]: " + e.getMessage(), e);
        }
        // resume follows the pointer: a path of its own (../.., /etc) would load a checkpoint from outside the run
        if (!isFolderName(name) || !checkpoints.resolve(name).normalize().getParent().equals(checkpoints.normalize())) {
            throw new IllegalArgumentException("Checkpoint pointer [" + latest + "] holds [" + name + "]; " + expected);
        }
        return read(checkpoints.resolve(name));
    }

    private static boolean isFolderName(String name)
    {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.chars().noneMatch(c -> c == '/' || c == '\\' || c == ':' || Character.isISOControl(c));
    }

    static Checkpoint read(Path folder)
    {
        for (String file : List.of(MANIFEST, SUPERNET, ADAM)) {
            if (!Files.isRegularFile(folder.resolve(file))) {
                throw new IllegalArgumentException("Checkpoint [" + folder + "] is incomplete: " + file + " is missing");
            }
        }
        try {
            JsonNode manifest = JSON.readTree(folder.resolve(MANIFEST).toFile());
            int format = manifest.path("format").asInt(-1);
            if (format != FORMAT) {
                throw new IllegalArgumentException("Checkpoint [" + folder + "] has format " + format + ", this version of atnas reads format " + FORMAT);
            }
            List<Individual> individuals = new ArrayList<>();
            for (JsonNode entry : manifest.path("population")) {
                ArchitectureCode code = ArchitectureCode.parse(entry.path("code").asText());
                // checkpoints of format 1 written before fitness kinds were recorded hold measured fitness only
                individuals.add(entry.has("fitness") ? Individual.of(code, entry.get("fitness").asDouble(), kind(folder, entry.path("fitnessKind").asText("measured"))) : Individual.unevaluated(code));
            }
            Map<String, String> configuration = new LinkedHashMap<>();
            manifest.path("configuration").fields().forEachRemaining(field -> configuration.put(field.getKey(), field.getValue().asText()));
            Map<String, String> components = new LinkedHashMap<>();
            manifest.path("components").fields().forEachRemaining(field -> components.put(field.getKey(), field.getValue().asText()));
            Map<String, Long> steps = new LinkedHashMap<>();
            manifest.path("adamSteps").fields().forEachRemaining(field -> steps.put(field.getKey(), field.getValue().asLong()));
            Map<String, float[]> parameters = new LinkedHashMap<>();
            Safetensors.read(folder.resolve(SUPERNET)).tensors().forEach((name, tensor) -> parameters.put(name, tensor.values()));
            Map<String, float[]> first = new LinkedHashMap<>();
            Map<String, float[]> second = new LinkedHashMap<>();
            Safetensors.read(folder.resolve(ADAM)).tensors().forEach((name, tensor) -> {
                if (name.startsWith("m.")) {
                    first.put(name.substring(2), tensor.values());
                }
                else if (name.startsWith("v.")) {
                    second.put(name.substring(2), tensor.values());
                }
            });
            List<Individual> pairs = new ArrayList<>();
            for (JsonNode entry : manifest.path("predictorPairs")) {
                pairs.add(Individual.evaluated(ArchitectureCode.parse(entry.path("code").asText()), entry.path("fitness").asDouble()));
            }
            // checkpoints written before the flag existed read as unfinished: resuming one repeats its final evaluation, as it did then;
            // those written before the CPU minutes were recorded read as 0: a resumed budget starts afresh, as it did then
            return new Checkpoint(manifest.path("step").asInt(), manifest.path("generation").asInt(), manifest.path("finished").asBoolean(false), new Population(individuals), configuration, components,
                    new SupernetState(parameters, first, second, steps), pairs, manifest.path("cpuMinutes").asDouble(0));
        }
        catch (IOException e) {
            throw new IllegalArgumentException("Checkpoint [" + folder + "] cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code top} best individuals with measured fitness: what a user is shown, evaluates or
     * exports. A checkpoint taken before the first evaluation has none; then its first individuals.
     */
    public List<Individual> best(int top)
    {
        List<Individual> measured = population.rankedMeasured();
        List<Individual> ranked = measured.isEmpty() ? population.individuals() : measured;
        return ranked.subList(0, Math.min(top, ranked.size()));
    }

    /** How checkpoints and {@code population.json} name an individual's fitness kind: {@code measured} or {@code predicted}. */
    static String kindName(Individual individual)
    {
        return individual.fitnessKind().orElseThrow().name().toLowerCase(Locale.ROOT);
    }

    private static Individual.FitnessKind kind(Path folder, String name)
    {
        for (Individual.FitnessKind kind : Individual.FitnessKind.values()) {
            if (kind.name().toLowerCase(Locale.ROOT).equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Checkpoint [" + folder + "] has fitnessKind [" + name + "], expected measured or predicted");
    }

    private static void prune(Path checkpoints, int keep)
            throws IOException
    {
        List<Path> folders;
        try (Stream<Path> children = Files.list(checkpoints)) {
            folders = children.filter(Files::isDirectory).filter(path -> path.getFileName().toString().matches("step-\\d{7}")).sorted(Comparator.reverseOrder()).toList();
        }
        for (Path old : folders.subList(Math.min(keep, folders.size()), folders.size())) {
            deleteRecursively(old);
        }
    }

    private static void deleteRecursively(Path path)
            throws IOException
    {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Override
    public String toString()
    {
        return "Checkpoint[step " + step + ", generation " + generation + ", " + population.size() + " individuals, " + Arrays.toString(components.keySet().toArray()) + "]";
    }
}
