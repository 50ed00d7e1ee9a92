package org.atnas.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.config.Configuration;
import org.atnas.core.config.ConfigurationException;
import org.atnas.core.run.AtomicFiles;
import org.atnas.core.search.ConfigurationCheck;
import org.atnas.core.search.SearchRun;
import org.atnas.core.study.CellResult;
import org.atnas.core.study.DataDigest;
import org.atnas.core.study.StudyFile;
import org.atnas.core.study.StudyPlan;
import org.atnas.core.study.StudySummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code atnas study}: variants × seeds on equal budgets, with tables, plots and a report. */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = {"Runs a study: every variant of the study file's axes on every seed, each cell on the same budget, then writes tables, plots and report.html.",
                "Each cell is an ordinary search (and final training) under the study's folder; a stopped study continues where it stopped when run again."})
final class StudyCommand
        implements Runnable
{
    /** How often a long study says what its running cells do. */
    private static final int STATUS_SECONDS = 60;
    private static final String STUDY_FILE_COPY = "study.properties";
    /** How long a signal's exit waits for the study's last words, after the cells' commands (which wait 5 s each) have stopped. */
    private static final int STOP_WAIT_SECONDS = 40;

    @ParentCommand
    AtnasCommand parent;

    @Parameters(index = "0", paramLabel = "FILE", description = "The study file (properties): axes as key = a | b | c, study.seeds, a budget rule and shared settings.")
    Path file;

    @Option(names = "--dir", paramLabel = "DIR", description = "The study's folder (default: studies/<study.name>).")
    Path directory;

    @Option(names = "--parallel", defaultValue = "1", paramLabel = "N", description = "Cells run at once, each in its own process (default: ${DEFAULT-VALUE}: one after the other, in this process).")
    int parallel;

    @Option(names = "--dry-run", description = "Lists the cells, their budgets and where each stands, and checks every variant's configuration; runs nothing.")
    boolean dryRun;

    @Option(names = "--report", description = "Writes the tables, plots and report.html of the cells finished so far (of a running or stopped study); runs nothing.")
    boolean reportOnly;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides a shared setting of every cell (such as data.path; not an axis or a study key); repeatable.")
    List<String> sets = new ArrayList<>();

    /** Set by the shutdown hook: a signal stops the study, and a cell's process that exits is stopped, not failed. */
    private volatile boolean stopping;

    @Option(names = "--cell", hidden = true, paramLabel = "ID", description = "Runs one cell (how --parallel starts its processes).")
    String only;

    @Override
    public void run()
    {
        Launcher launcher = parent.launcher;
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be at least 1, got " + parallel);
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        Map<String, String> cluster = new LinkedHashMap<>();
        // where the cells run changes none of their results: the cluster's keys are not the cells' settings
        Configuration.load(Optional.empty(), sets).entries().forEach((key, entry) -> (launcher.isClusterKey(key) ? cluster : overrides).put(key, entry.value()));
        boolean onCluster = !cluster.getOrDefault(ServiceType.CLUSTER.key(), ServiceType.NONE).equals(ServiceType.NONE);
        if (!onCluster && !cluster.isEmpty()) {
            throw new IllegalArgumentException("--set " + String.join(", ", cluster.keySet()) + " configure a cluster, but no cluster is selected: add --set cluster=NAME to run the cells on its members");
        }
        if (onCluster && parallel != 1) {
            throw new IllegalArgumentException("--parallel and --set cluster cannot be combined: on a cluster each member runs one cell at a time");
        }
        StudyPlan plan = StudyPlan.of(StudyFile.read(file), overrides);
        Path folder = directory != null ? directory : Path.of("studies", plan.name());
        Map<String, StudyCell> cells = new LinkedHashMap<>();
        for (StudyPlan.Cell cell : plan.cells()) {
            cells.put(cell.id(), new StudyCell(plan, cell, folder.resolve("cells").resolve(cell.id())));
        }
        if (only != null) {
            StudyCell cell = cells.get(only);
            if (cell == null) {
                throw new IllegalArgumentException("The study " + file + " has no cell [" + only + "]; its cells: " + String.join(", ", cells.keySet()));
            }
            cell.prepare(plan.configuration(cell.cell(), cell.folder()));
            untilPrinted(launcher, () -> {
                if (!cell.run(launcher, machine(launcher, plan, cell), () -> stopping)) {
                    launcher.out().println("Stopped; run the study again to continue.");
                }
            });
            return;
        }
        check(launcher, plan, cells.values());
        if (dryRun) {
            dryRun(launcher, plan, folder, cells.values());
            return;
        }
        start(plan, folder);
        if (reportOnly) {
            List<StudyCell> finished = cells.values().stream().filter(StudyCell::isFinished).toList();
            if (finished.isEmpty()) {
                throw new IllegalArgumentException("No cell of the study in [" + folder + "] has finished yet; there is nothing to report");
            }
            report(launcher, plan, folder, finished, cells.size());
            return;
        }
        List<StudyCell> pending = cells.values().stream().filter(cell -> !cell.isFinished()).toList();
        PrintWriter err = launcher.err();
        err.printf(Locale.ROOT, "Study %s: %d cells (%d finished before), %s %s each; folder %s%n", plan.name(), cells.size(), cells.size() - pending.size(),
                budgets(plan), plan.unit().label(), folder);
        err.flush();
        untilPrinted(launcher, () -> {
            boolean complete = onCluster ? new StudyOnCluster(launcher, plan, file, cluster).run(pending, cells.size(), () -> stopping)
                    : parallel == 1 ? runHere(launcher, plan, pending, cells.size()) : runInProcesses(launcher, plan, folder, pending, cells.size());
            List<StudyCell> finished = cells.values().stream().filter(StudyCell::isFinished).toList();
            if (!finished.isEmpty() && (complete || !stopping)) {
                report(launcher, plan, folder, finished, cells.size());
            }
            if (!complete) {
                launcher.out().printf(Locale.ROOT, "Stopped with %d of %d cells finished; continue with: atnas study %s%s%n", finished.size(), cells.size(), file,
                        directory != null ? " --dir " + directory : "");
            }
        });
    }

    /**
     * Runs {@code work} with a shutdown hook that holds a signal's exit until it has ended: a stop
     * (Ctrl-C, SIGTERM) ends the running cell's command with its checkpoint, and the study's last
     * words must be printed before the JVM exits.
     */
    private void untilPrinted(Launcher launcher, Runnable work)
    {
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopping = true;
            try {
                ended.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "atnas-study-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            work.run();
        }
        finally {
            launcher.out().flush();
            launcher.err().flush();
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (IllegalStateException shuttingDown) {
                // the hook is running and waits for the latch above
            }
        }
    }

    private static String budgets(StudyPlan plan)
    {
        return String.join(" | ", plan.budgets().stream().map(StudyPlan::format).toList());
    }

    /** Every variant's configuration is checked before the first cell runs: a typo found after an hour of cells costs the hour. */
    private static void check(Launcher launcher, StudyPlan plan, java.util.Collection<StudyCell> cells)
    {
        Set<String> checked = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (StudyCell cell : cells) {
            if (!checked.add(cell.cell().variant().label() + "@" + cell.cell().budget())) {
                continue;
            }
            Atnas atnas = launcher.start(plan.configuration(cell.cell(), cell.folder()), SearchRun.SERVICES);
            for (String problem : ConfigurationCheck.run(atnas).problems()) {
                problems.add("variant " + cell.cell().variant().label() + ": " + problem);
            }
        }
        if (!problems.isEmpty()) {
            throw ConfigurationException.of(problems);
        }
    }

    private void dryRun(Launcher launcher, StudyPlan plan, Path folder, java.util.Collection<StudyCell> cells)
    {
        PrintWriter out = launcher.out();
        out.printf(Locale.ROOT, "Study %s (%s): %d cells in %s%n", plan.name(), file, cells.size(), folder);
        out.printf(Locale.ROOT, "Budget per cell: %s %s, %.0f%% to the search and %.0f%% to the final training; meta-test on %d tasks%n", budgets(plan), plan.unit().label(),
                100 * (1 - plan.trainingShare()), 100 * plan.trainingShare(), plan.tasks());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"cell", "variant", "seed", "budget", "search", "final training", "state"});
        double total = 0;
        for (StudyCell cell : cells) {
            double budget = cell.cell().budget();
            total += budget;
            rows.add(new String[] {cell.cell().id(), cell.cell().variant().label(), Long.toString(cell.cell().seed()), StudyPlan.format(budget),
                    StudyPlan.format(budget * (1 - plan.trainingShare())), StudyPlan.format(budget * plan.trainingShare()), state(cell.phase())});
        }
        Table.print(out, rows);
        if (plan.unit() == StudyPlan.BudgetUnit.CPU_MINUTES) {
            int cores = Runtime.getRuntime().availableProcessors();
            out.printf(Locale.ROOT, "In all: %s CPU minutes of budget, about %.0f minutes of wall time on this machine's %d cores (each cell's meta-test and start-up come on top)%n",
                    StudyPlan.format(total), total / cores, cores);
        }
        else {
            out.printf(Locale.ROOT, "In all: %s meta-steps%n", StudyPlan.format(total));
        }
        out.println("Nothing was run (--dry-run).");
    }

    private static String state(StudyCell.Phase phase)
    {
        return switch (phase) {
            case NEW -> "not started";
            case DONE -> "done";
            default -> "next: " + phase.label();
        };
    }

    /** Creates the study's folder with a copy of the study file, or checks that it was started from the same file. */
    private void start(StudyPlan plan, Path folder)
    {
        Path copy = folder.resolve(STUDY_FILE_COPY);
        try {
            // the --set values are part of what the cells ran with: the copy records them below the file's text
            StringBuilder text = new StringBuilder(plan.file().text());
            plan.overrides().forEach((key, value) -> text.append(text.isEmpty() || text.charAt(text.length() - 1) == '\n' ? "" : "\n").append("# --set ").append(key).append('=')
                    .append(value).append('\n'));
            if (Files.isRegularFile(copy)) {
                if (!Files.readString(copy).equals(text.toString())) {
                    throw new IllegalArgumentException("The study folder [" + folder + "] was started from another version of " + file + " or other --set values (its copy: " + copy
                            + "); its cells would not be comparable. Restore the file and the --set values, or give the changed study a new folder with --dir");
                }
                return;
            }
            Files.createDirectories(folder.resolve("cells"));
            AtomicFiles.writeString(copy, text.toString());
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot create the study folder [" + folder + "]: " + e.getMessage(), e);
        }
    }

    /** The cells one after the other in this process, each command's output in the cell's log. */
    private boolean runHere(Launcher launcher, StudyPlan plan, List<StudyCell> pending, int total)
    {
        int done = total - pending.size();
        for (StudyCell cell : pending) {
            launcher.err().printf(Locale.ROOT, "[%d/%d] %s: %s (log: %s)%n", done + 1, total, cell.cell().id(), cell.phase().label(), cell.folder().resolve(StudyCell.LOG));
            launcher.err().flush();
            cell.prepare(plan.configuration(cell.cell(), cell.folder()));
            boolean finished;
            ScheduledExecutorService status = status(launcher, List.of(cell));
            try (PrintWriter log = log(cell)) {
                finished = cell.run(launcher.writingTo(log, log), machine(launcher, plan, cell), () -> stopping);
            }
            finally {
                status.shutdownNow();
            }
            if (!finished) {
                return false;
            }
            done++;
            finishedLine(launcher, cell, done, total);
        }
        return true;
    }

    /** Up to --parallel cells at once, each in a process of its own ({@code bin/atnas study FILE --cell ID}). */
    private boolean runInProcesses(Launcher launcher, StudyPlan plan, Path folder, List<StudyCell> pending, int total)
    {
        Path atnas = launcher.home().resolve("bin").resolve("atnas");
        if (!Files.isExecutable(atnas)) {
            throw new IllegalArgumentException("--parallel starts each cell with the launcher " + atnas + ", which is not there or not executable; run the study from an assembled distribution, or without --parallel");
        }
        Deque<StudyCell> queue = new ArrayDeque<>(pending);
        Map<StudyCell, Process> running = new LinkedHashMap<>();
        Thread stopChildren = new Thread(() -> {
            // SIGTERM to the study reaches its cells as SIGTERM: each writes its checkpoint before the study exits
            stopping = true;
            List<Process> processes;
            synchronized (running) {
                processes = List.copyOf(running.values());
            }
            processes.forEach(Process::destroy);
            for (Process process : processes) {
                try {
                    process.waitFor(30, TimeUnit.SECONDS);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        Runtime.getRuntime().addShutdownHook(stopChildren);
        int done = total - pending.size();
        boolean stopped = false;
        List<String> failures = new ArrayList<>();
        ScheduledExecutorService status = Executors.newSingleThreadScheduledExecutor(daemon());
        status.scheduleAtFixedRate(() -> {
            synchronized (running) {
                printStatus(launcher, List.copyOf(running.keySet()));
            }
        }, STATUS_SECONDS, STATUS_SECONDS, TimeUnit.SECONDS);
        try {
            while (!queue.isEmpty() || !running.isEmpty()) {
                synchronized (running) {
                    while (!stopped && failures.isEmpty() && running.size() < parallel && !queue.isEmpty()) {
                        StudyCell cell = queue.poll();
                        cell.prepare(plan.configuration(cell.cell(), cell.folder()));
                        launcher.err().printf(Locale.ROOT, "[started] %s: %s (log: %s)%n", cell.cell().id(), cell.phase().label(), cell.folder().resolve(StudyCell.LOG));
                        launcher.err().flush();
                        List<String> command = new ArrayList<>(List.of(atnas.toString(), "study", file.toAbsolutePath().toString(), "--dir", folder.toAbsolutePath().toString(),
                                "--cell", cell.cell().id()));
                        plan.overrides().forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
                        ProcessBuilder builder = new ProcessBuilder(command);
                        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(cell.folder().resolve(StudyCell.LOG).toFile()));
                        try {
                            running.put(cell, builder.start());
                        }
                        catch (IOException e) {
                            throw new UncheckedIOException("Cannot start " + atnas + " for cell " + cell.cell().id() + ": " + e.getMessage(), e);
                        }
                    }
                    if ((stopped || !failures.isEmpty()) && running.isEmpty()) {
                        break;
                    }
                    for (var entry : List.copyOf(running.entrySet())) {
                        if (entry.getValue().isAlive()) {
                            continue;
                        }
                        running.remove(entry.getKey());
                        StudyCell cell = entry.getKey();
                        if (entry.getValue().exitValue() != 0 && !stopping) {
                            failures.add("cell " + cell.cell().id() + " failed (exit " + entry.getValue().exitValue() + "): " + cell.lastError() + "; its log is "
                                    + cell.folder().resolve(StudyCell.LOG));
                        }
                        else if (cell.isFinished()) {
                            done++;
                            finishedLine(launcher, cell, done, total);
                        }
                        else {
                            stopped = true;
                        }
                    }
                }
                Thread.sleep(500);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the cells ran", e);
        }
        finally {
            status.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(stopChildren);
            }
            catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs and stops the cells
            }
        }
        if (!failures.isEmpty()) {
            throw new StudyCellFailedException(String.join("; ", failures) + "; the finished cells are kept: run the study again to continue");
        }
        return !stopped;
    }

    static void finishedLine(Launcher launcher, StudyCell cell, int done, int total)
    {
        CellResult result = StudyCell.read(cell.folder()).result();
        launcher.err().printf(Locale.ROOT, "[%d/%d] %s finished: %.2f%% ± %.2f on %d meta-test tasks, %s, %.1f CPU minutes, %d + %d meta-steps%n", done, total, cell.cell().id(),
                100 * result.accuracy(), 100 * result.confidence95(), result.tasks(), result.code(), result.cpuMinutes(), result.searchSteps(), result.trainingSteps());
        launcher.err().flush();
    }

    private static ScheduledExecutorService status(Launcher launcher, List<StudyCell> cells)
    {
        ScheduledExecutorService status = Executors.newSingleThreadScheduledExecutor(daemon());
        status.scheduleAtFixedRate(() -> printStatus(launcher, cells), STATUS_SECONDS, STATUS_SECONDS, TimeUnit.SECONDS);
        return status;
    }

    private static java.util.concurrent.ThreadFactory daemon()
    {
        return runnable -> {
            Thread thread = new Thread(runnable, "study-status");
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void printStatus(Launcher launcher, List<StudyCell> cells)
    {
        for (StudyCell cell : cells) {
            launcher.err().println("  " + cell.cell().id() + ": " + cell.status());
        }
        launcher.err().flush();
    }

    private static PrintWriter log(StudyCell cell)
    {
        try {
            Files.createDirectories(cell.folder());
            return new PrintWriter(new OutputStreamWriter(new FileOutputStream(cell.folder().resolve(StudyCell.LOG).toFile(), true), StandardCharsets.UTF_8), true);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot open the log of cell " + cell.cell().id() + ": " + e.getMessage(), e);
        }
    }

    /** What a cell's provenance records of the machine and the data, beside its configuration and components. */
    private static Map<String, Object> machine(Launcher launcher, StudyPlan plan, StudyCell cell)
    {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("atnas", Launcher.version());
        machine.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean system) {
            machine.put("memoryBytes", system.getTotalMemorySize());
        }
        machine.put("host", host());
        machine.put("data", DataDigest.of(cell.dataPath()));
        return machine;
    }

    private static String host()
    {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private void report(Launcher launcher, StudyPlan plan, Path folder, List<StudyCell> finished, int total)
    {
        List<StudyCell.Written> written = finished.stream().map(cell -> StudyCell.read(cell.folder())).toList();
        List<CellResult> results = written.stream().map(StudyCell.Written::result).toList();
        StudySummary summary = StudySummary.of(results);
        AtomicFiles.writeString(folder.resolve("results.csv"), StudySummary.resultsCsv(plan.axes(), results));
        AtomicFiles.writeString(folder.resolve("summary.csv"), summary.summaryCsv());
        Path report = new StudyReport(plan, folder, finished, written, summary, total).write();
        PrintWriter out = launcher.out();
        out.println();
        out.printf(Locale.ROOT, "Study %s: %d of %d cells finished%n", plan.name(), finished.size(), total);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"variant", "budget", "seeds", "meta-test accuracy", "95% CI over seeds", "CPU min"});
        for (StudySummary.Variant variant : summary.variants()) {
            rows.add(new String[] {variant.variant(), StudyPlan.format(variant.budget()), Integer.toString(variant.seeds()), String.format(Locale.ROOT, "%.2f%%", 100 * variant.mean()),
                    Double.isNaN(variant.confidence95()) ? "n/a (1 seed)" : String.format(Locale.ROOT, "± %.2f", 100 * variant.confidence95()),
                    String.format(Locale.ROOT, "%.1f", variant.cpuMinutes())});
        }
        Table.print(out, rows);
        if (!summary.differences().isEmpty()) {
            out.println();
            out.println("Paired differences (same seeds, same meta-test tasks):");
            for (StudySummary.Difference difference : summary.differences()) {
                out.printf(Locale.ROOT, "  %s - %s (budget %s, %d seed%s): %+.2f points%s%n", difference.variant(), difference.versus(), StudyPlan.format(difference.budget()),
                        difference.seeds(), difference.seeds() == 1 ? "" : "s", 100 * difference.mean(), Double.isNaN(difference.confidence95()) ? " (one seed: no interval)"
                                : String.format(Locale.ROOT, " ± %.2f (95%% CI)%s", 100 * difference.confidence95(), difference.isSignificant() ? ", " + (difference.mean() > 0 ? difference.variant() : difference.versus()) + " better" : ", not distinguishable"));
            }
        }
        out.println();
        out.println("Tables: " + folder.resolve("results.csv") + ", " + folder.resolve("summary.csv"));
        out.println("Report: " + report);
    }
}
