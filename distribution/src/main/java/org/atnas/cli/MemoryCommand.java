package org.atnas.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

import org.atnas.api.SearchSpace;
import org.atnas.api.WeightBackend;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.bench.MemoryBenchmark;
import org.atnas.core.run.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code atnas bench memory}: a proxy of the paper's Table 1 ({@link MemoryBenchmark}). Peak memory of one training step of one subnet
 * (only the ops its code selects) against the same network with every candidate op on every edge
 * (the DARTS-style mixed op), each case in a fresh JVM so that the peak resident set size is the
 * case's own.
 */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = {"Measures the peak memory of one training step of a subnet against the mixed-op network.",
                "A subnet of DARTS-V2 cells against all ops on every edge, each case in a fresh JVM (peak resident set size):",
                "a CPU proxy of the paper's Table 1."})
final class MemoryCommand
        implements Runnable
{
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
        MemoryBenchmark.Settings settings = new MemoryBenchmark.Settings(cells, channels, classes, batch);
        Atnas atnas = launcher.start(config.load(launcher, MemoryBenchmark.workload(settings), "bench memory"), EnumSet.of(ServiceType.SEARCH_SPACE, ServiceType.BACKEND));
        if (singleCase != null) {
            launcher.out().println(Json.write(MemoryBenchmark.measure(atnas.instance(SearchSpace.class), atnas.instance(WeightBackend.class), settings, singleCase, sizes.get(0))));
            return;
        }
        List<MemoryBenchmark.CaseResult> results = new ArrayList<>();
        PrintWriter err = launcher.err();
        ProgressLine progress = ProgressLine.of(launcher, "cases measured");
        long total = (long) sizes.size() * MemoryBenchmark.CASES.size();
        for (int size : sizes) {
            for (String mode : MemoryBenchmark.CASES) {
                progress.note(String.format("measuring %s at 3x%dx%d in a fresh JVM ...", mode, size, size));
                results.add(MemoryBenchmark.fork(caseCommand(launcher, mode, size), mode, size));
                progress.update(results.size(), total);
            }
        }
        RunDirectory run = RunDirectory.create(atnas.configuration(), "bench-memory", Clock.systemDefaultZone());
        run.writeJson("memory.json", results);
        PrintWriter out = launcher.out();
        out.printf(Locale.ROOT, "Peak memory of one training step: %d cells, C = %d, %d classes, batch %d, backend %s; one fresh JVM per case%n%n", cells, channels, classes, batch,
                atnas.configuration().effective().get(ServiceType.BACKEND.key()));
        Table.print(out, MemoryBenchmark.table(results));
        out.println();
        out.println("Peak = the process's peak resident set size (VmHWM). Above start = peak minus the resident size after the engine started");
        out.println("and the supernet was created, before the step: the step's own memory. A proxy of the paper's Table 1 (GPU memory of a");
        out.println("search step: 2044 MB vs 10050 MB, 0.20); here the CPU process's memory of one training step.");
        out.println("Run directory: " + run.path());
    }

    /** This command line again, for one case, in a fresh JVM with this JVM's class path and logging. */
    private List<String> caseCommand(Launcher launcher, String mode, int size)
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
        return command;
    }
}
