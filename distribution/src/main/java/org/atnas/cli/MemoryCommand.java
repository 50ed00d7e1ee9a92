package org.atnas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.run.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code atnas bench memory}: the paper's Table 1. Peak memory of one training step of one subnet
 * (only the ops its code selects) against the same network with every candidate op on every edge
 * (the DARTS-style mixed op), each case in a fresh JVM so that the peak resident set size is the
 * case's own.
 */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = {"Peak memory of one training step of a subnet (DARTS-V2 cells) against the mixed-op network (all ops on every edge),",
                "each case in a fresh JVM (peak resident set size), as in the paper's Table 1."})
final class MemoryCommand
        implements Runnable
{
    /** DARTS-V2's cells as architecture codes (shared/bench/BENCHMARK.md). */
    static final String NORMAL = "4,4,4,4,0,3,4,0,0,3,0,6,0,0";
    static final String REDUCE = "1,1,0,1,3,1,0,3,0,0,1,3,0,0";

    @ParentCommand
    BenchCommand parent;

    @Option(names = "--sizes", defaultValue = "224,84", split = ",", paramLabel = "S", description = "Input sizes (3×S×S), comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--cells", defaultValue = "8", paramLabel = "N", description = "Cells (default: ${DEFAULT-VALUE}).")
    int cells;

    @Option(names = "--channels", defaultValue = "16", paramLabel = "C", description = "Initial channels (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--classes", defaultValue = "10", paramLabel = "K", description = "Classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "B", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--case", hidden = true, description = "Internal: run one case (subnet or mixed) in this JVM and print its figures as JSON.")
    String singleCase;

    @Mixin
    ConfigOptions config;

    @Override
    public void run()
    {
        Launcher launcher = parent.parent.launcher;
        if (singleCase != null) {
            launcher.out().println(json(runCase(launcher, singleCase, sizes.get(0))));
            return;
        }
        Atnas atnas = start(launcher);
        String backend = atnas.configuration().effective().get(ServiceType.BACKEND.key());
        List<Map<String, Object>> results = new ArrayList<>();
        PrintWriter err = launcher.err();
        for (int size : sizes) {
            for (String mode : List.of("subnet", "mixed")) {
                err.printf("measuring %s at 3x%dx%d in a fresh JVM ...%n", mode, size, size);
                err.flush();
                results.add(fork(launcher, mode, size));
            }
        }
        RunDirectory run = RunDirectory.create(atnas.configuration(), "bench-memory", Clock.systemDefaultZone());
        run.writeJson("memory.json", results);
        PrintWriter out = launcher.out();
        out.printf(Locale.ROOT, "Peak memory of one training step: %d cells, C = %d, %d classes, batch %d, backend %s; one fresh JVM per case%n%n", cells, channels, classes, batch, backend);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"INPUT", "SUBNET (DARTS-V2)", "MIXED OP (7 OPS/EDGE)", "RATIO", "RATIO ABOVE START", "STEP (SUBNET / MIXED)"});
        for (int i = 0; i < results.size(); i += 2) {
            Map<String, Object> subnet = results.get(i);
            Map<String, Object> mixed = results.get(i + 1);
            double subnetPeak = number(subnet, "peakRssMb");
            double mixedPeak = number(mixed, "peakRssMb");
            double subnetRise = subnetPeak - number(subnet, "startRssMb");
            double mixedRise = mixedPeak - number(mixed, "startRssMb");
            rows.add(new String[] {
                    "3x" + subnet.get("size") + "x" + subnet.get("size"),
                    String.format(Locale.ROOT, "%,.0f MB", subnetPeak),
                    String.format(Locale.ROOT, "%,.0f MB", mixedPeak),
                    String.format(Locale.ROOT, "%.2f", subnetPeak / mixedPeak),
                    String.format(Locale.ROOT, "%.2f", subnetRise / mixedRise),
                    String.format(Locale.ROOT, "%.2f s / %.2f s", number(subnet, "stepSeconds"), number(mixed, "stepSeconds"))});
        }
        Table.print(out, rows);
        out.println();
        out.println("Peak = the process's peak resident set size (VmHWM). Above start = peak minus the resident size after the engine started");
        out.println("and the supernet was created, before the step: the step's own memory. The paper: 2044 MB vs 10050 MB (0.20).");
        out.println("Run directory: " + run.path());
    }

    private Atnas start(Launcher launcher)
    {
        Map<String, String> fixed = new LinkedHashMap<>();
        fixed.put(ServiceType.SEARCH_SPACE.key(), "darts");
        fixed.put("darts.cells", Integer.toString(cells));
        fixed.put("darts.channels", Integer.toString(channels));
        return Atnas.start(launcher.plugins(), config.load(launcher, fixed, "bench memory"), EnumSet.of(ServiceType.SEARCH_SPACE, ServiceType.BACKEND));
    }

    /** One case in this JVM: create the supernet, measure, run one step, measure the peak. */
    private Map<String, Object> runCase(Launcher launcher, String mode, int size)
    {
        Atnas atnas = start(launcher);
        SearchSpace space = atnas.instance(SearchSpace.class);
        WeightBackend backend = atnas.instance(WeightBackend.class);
        ImageShape input = new ImageShape(3, size, size);
        NetworkDescription supernetDescription = space.describeSupernet(input, classes);
        NetworkDescription network = switch (mode) {
            case "subnet" -> space.describe(dartsV2(cells), input, classes);
            case "mixed" -> supernetDescription;
            default -> throw new IllegalArgumentException("Unknown case [" + mode + "]; known: subnet, mixed");
        };
        float[] pixels = new float[batch * input.size()];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        int[] labels = new int[batch];
        ImageBatch images = new ImageBatch(input, pixels, labels);
        Map<String, Object> result = new LinkedHashMap<>();
        try (Supernet supernet = backend.createSupernet(supernetDescription, MetaUpdate.adam(0.001), 0)) {
            try (BackendWorker worker = supernet.newWorker()) {
                Subnet subnet = worker.compile(network);
                double start = residentMegabytes("VmRSS:");
                long begin = System.nanoTime();
                try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, images); Gradient gradient = worker.gradient(loss, weights, false)) {
                    result.put("loss", loss.value());
                }
                result.put("stepSeconds", (System.nanoTime() - begin) / 1e9);
                result.put("mode", mode);
                result.put("size", size);
                result.put("params", network.parameterCount());
                result.put("multiplyAdds", network.multiplyAdds());
                result.put("startRssMb", start);
                result.put("peakRssMb", residentMegabytes("VmHWM:"));
            }
        }
        finally {
            backend.close();
        }
        return result;
    }

    static ArchitectureCode dartsV2(int cells)
    {
        StringBuilder code = new StringBuilder();
        for (int cell = 0; cell < cells; cell++) {
            boolean reduction = cells == 2 ? cell == 1 : cells > 2 && (cell == cells / 3 || cell == 2 * cells / 3);
            code.append(cell == 0 ? "" : ",").append(reduction ? REDUCE : NORMAL);
        }
        return ArchitectureCode.parse(code.toString());
    }

    private Map<String, Object> fork(Launcher launcher, String mode, int size)
    {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String property : List.of("logback.configurationFile", "ai.djl.offline")) {
            String value = System.getProperty(property);
            if (value != null) {
                command.add("-D" + property + "=" + value);
            }
        }
        command.add("-Datnas.home=" + launcher.home().toAbsolutePath());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of("bench", "memory", "--case", mode, "--sizes", Integer.toString(size), "--cells", Integer.toString(cells),
                "--channels", Integer.toString(channels), "--classes", Integer.toString(classes), "--batch", Integer.toString(batch)));
        if (config.file != null) {
            command.addAll(List.of("--config", config.file.toString()));
        }
        for (String override : config.overrides) {
            command.addAll(List.of("--set", override));
        }
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
                @SuppressWarnings("unchecked")
                Map<String, Object> result = new ObjectMapper().readValue(text.substring(text.lastIndexOf('\n') + 1), Map.class);
                return result;
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

    /** A line of /proc/self/status (VmRSS: now, VmHWM: peak) in megabytes. */
    static double residentMegabytes(String field)
    {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read /proc/self/status: " + e.getMessage(), e);
        }
        throw new IllegalStateException("/proc/self/status has no " + field + " line (Linux only)");
    }

    private static double number(Map<String, Object> result, String key)
    {
        return ((Number) result.get(key)).doubleValue();
    }

    private static String json(Map<String, Object> result)
    {
        try {
            return new ObjectMapper().writeValueAsString(result);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
