package org.atnas.core.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.BackendWorker;
import org.atnas.api.Gradient;
import org.atnas.api.ImageBatch;
import org.atnas.api.ImageShape;
import org.atnas.api.Loss;
import org.atnas.api.MetaUpdate;
import org.atnas.api.SearchSpace;
import org.atnas.api.Subnet;
import org.atnas.api.Supernet;
import org.atnas.api.WeightBackend;
import org.atnas.api.Weights;
import org.atnas.api.network.NetworkDescription;
import org.atnas.core.ServiceType;

import static java.util.Objects.requireNonNull;

/**
 * A proxy of the paper's Table 1: the peak memory of one training step of one subnet (DARTS-V2's
 * cells: only the ops its code selects) against the same network with every candidate op on every
 * edge (the DARTS-style mixed op with equal weights), each case in a fresh JVM so that the peak
 * resident set size is the case's own. It differs from Table 1 in what is measured: the process's
 * resident memory on CPU (JVM, native library and activations) rather than GPU memory, and one step
 * of a fixed architecture rather than DARTS' bilevel search step.
 */
public final class MemoryBenchmark
{
    /** The two cases. */
    public static final List<String> CASES = List.of("subnet", "mixed");

    /**
     * The network.
     *
     * @param cells cells of the DARTS network
     * @param channels initial channels C
     * @param classes classifier outputs
     * @param batch images per step
     */
    public record Settings(int cells, int channels, int classes, int batch) {}

    /** One case's figures. */
    public record CaseResult(String mode, int size, long params, long multiplyAdds, double loss, double stepSeconds, double startRssMb, double peakRssMb) {}

    private MemoryBenchmark() {}

    /** The configuration keys that fix the network in the DARTS space. */
    public static Map<String, String> workload(Settings settings)
    {
        Map<String, String> fixed = new LinkedHashMap<>();
        fixed.put(ServiceType.SEARCH_SPACE.key(), "darts");
        fixed.put("darts.cells", Integer.toString(settings.cells()));
        fixed.put("darts.channels", Integer.toString(settings.channels()));
        return fixed;
    }

    /** One case in this JVM: create the supernet, measure, run one training step, measure the peak. */
    public static CaseResult measure(SearchSpace space, WeightBackend backend, Settings settings, String mode, int size)
    {
        ImageShape input = new ImageShape(3, size, size);
        NetworkDescription supernetDescription = space.describeSupernet(input, settings.classes());
        ArchitectureCode dartsV2 = Optional.ofNullable(space.namedArchitectures().get("darts-v2"))
                .orElseThrow(() -> new IllegalArgumentException("Search space [" + space.name() + "] has no architecture named darts-v2"));
        NetworkDescription network = switch (mode) {
            case "subnet" -> space.describe(dartsV2, input, settings.classes());
            case "mixed" -> supernetDescription;
            default -> throw new IllegalArgumentException("Unknown case [" + mode + "]; known: " + CASES);
        };
        float[] pixels = new float[settings.batch() * input.size()];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        ImageBatch images = new ImageBatch(input, pixels, new int[settings.batch()]);
        try (Supernet supernet = backend.createSupernet(supernetDescription, MetaUpdate.adam(0.001), 0); BackendWorker worker = supernet.newWorker()) {
            Subnet subnet = worker.compile(network);
            double start = ProcessMemory.residentMegabytes();
            long begin = System.nanoTime();
            double loss;
            try (Weights weights = worker.weights(subnet, false); Loss value = worker.forward(subnet, weights, images); Gradient gradient = worker.gradient(value, weights, false)) {
                loss = value.value();
            }
            return new CaseResult(mode, size, network.parameterCount(), network.multiplyAdds(), loss, (System.nanoTime() - begin) / 1e9, start, ProcessMemory.peakResidentMegabytes());
        }
        finally {
            backend.close();
        }
    }

    /**
     * Runs one case in a fresh JVM: {@code command} must print the {@link CaseResult} as JSON on
     * its last line of standard output.
     *
     * @throws IllegalStateException if it fails or takes more than 30 minutes
     */
    public static CaseResult fork(List<String> command, String mode, int size)
    {
        requireNonNull(command, "command is null");
        try {
            Path output = Files.createTempFile("atnas-memory-", ".json");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                if (!process.waitFor(30, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("The " + mode + " case at size " + size + " did not finish in 30 minutes");
                }
                String text = Files.readString(output, StandardCharsets.UTF_8).strip();
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("The " + mode + " case at size " + size + " failed (exit " + process.exitValue() + "): " + text);
                }
                return new ObjectMapper().readValue(text.substring(text.lastIndexOf('\n') + 1), CaseResult.class);
            }
            finally {
                Files.deleteIfExists(output);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot run the " + mode + " case: " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while measuring the " + mode + " case", e);
        }
    }

    /** The table of subnet/mixed pairs (results in the order of {@link #CASES} per size). */
    public static List<String[]> table(List<CaseResult> results)
    {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"INPUT", "SUBNET (DARTS-V2)", "MIXED OP (7 OPS/EDGE)", "RATIO", "RATIO ABOVE START", "STEP (SUBNET / MIXED)"});
        for (int i = 0; i + 1 < results.size(); i += 2) {
            CaseResult subnet = results.get(i);
            CaseResult mixed = results.get(i + 1);
            rows.add(new String[] {
                    "3x" + subnet.size() + "x" + subnet.size(),
                    String.format(Locale.ROOT, "%,.0f MB", subnet.peakRssMb()),
                    String.format(Locale.ROOT, "%,.0f MB", mixed.peakRssMb()),
                    String.format(Locale.ROOT, "%.2f", subnet.peakRssMb() / mixed.peakRssMb()),
                    String.format(Locale.ROOT, "%.2f", (subnet.peakRssMb() - subnet.startRssMb()) / (mixed.peakRssMb() - mixed.startRssMb())),
                    String.format(Locale.ROOT, "%.2f s / %.2f s", subnet.stepSeconds(), mixed.stepSeconds())});
        }
        return rows;
    }
}
