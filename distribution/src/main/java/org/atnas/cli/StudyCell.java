package org.atnas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.atnas.core.config.Configuration;
import org.atnas.core.data.DataSettings;
import org.atnas.core.run.AtomicFiles;
import org.atnas.core.search.Checkpoint;
import org.atnas.core.study.CellResult;
import org.atnas.core.study.StudyPlan;

import static java.util.Objects.requireNonNull;

/**
 * One cell of a study, run with the ordinary commands in its own folder — {@code search}
 * ({@code cells/<id>/search}), the final training ({@code train-<time>}), the meta-test and the
 * export — and continued from what is on disk: a cell stopped anywhere resumes at the step it
 * stopped in, and a finished one ({@code cell.json}) is not run again.
 */
final class StudyCell
{
    static final String RESULT = "cell.json";
    static final String LOG = "cell.log";
    static final String CONFIGURATION = "cell.properties";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where a cell stands, read from its folder. */
    enum Phase
    {
        NEW("search"), SEARCH("search (resumed)"), TRAINING_NEW("final training"), TRAINING("final training (resumed)"), EVALUATION("meta-test"), EXPORT("export"), DONE("done");

        private final String label;

        Phase(String label)
        {
            this.label = label;
        }

        String label()
        {
            return label;
        }
    }

    /**
     * A finished cell's {@code cell.json}: its result and where it came from.
     *
     * @param provenance the search's components and effective configuration, data digests, Java and machine
     */
    record Written(CellResult result, Map<String, Object> provenance) {}

    private final StudyPlan plan;
    private final StudyPlan.Cell cell;
    private final Path folder;

    StudyCell(StudyPlan plan, StudyPlan.Cell cell, Path folder)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.cell = requireNonNull(cell, "cell is null");
        this.folder = requireNonNull(folder, "folder is null");
    }

    Path folder()
    {
        return folder;
    }

    StudyPlan.Cell cell()
    {
        return cell;
    }

    Path search()
    {
        return folder.resolve("search");
    }

    /** The data path of the cell's configuration, if it names one: a cluster member must hold the same data. */
    Optional<String> dataPath()
    {
        return plan.configuration(cell, folder).get(DataSettings.PATH.key()).map(Configuration.Entry::value);
    }

    boolean isFinished()
    {
        return Files.isRegularFile(folder.resolve(RESULT));
    }

    /** The cell's phase from its folder. */
    Phase phase()
    {
        if (isFinished()) {
            return Phase.DONE;
        }
        if (!hasCheckpoint(search())) {
            return Phase.NEW;
        }
        if (!Checkpoint.readLatest(search()).finished()) {
            return Phase.SEARCH;
        }
        Path tested = search();
        if (plan.trainingShare() > 0) {
            Optional<Path> training = training();
            if (training.isEmpty() || !hasCheckpoint(training.get())) {
                return Phase.TRAINING_NEW;
            }
            if (!Checkpoint.readLatest(training.get()).finished()) {
                return Phase.TRAINING;
            }
            tested = training.get();
        }
        if (evaluation(tested).isEmpty()) {
            return Phase.EVALUATION;
        }
        return Phase.EXPORT;
    }

    /**
     * Runs the cell from where it stands to its end, each phase a command of {@code launcher}
     * (whose output is the cell's log).
     *
     * @param stopping whether a signal stops the study: the cell ends after the running command
     * @return whether the cell finished; false when a command was stopped (Ctrl-C, SIGTERM)
     * @throws StudyCellFailedException naming the cell and its log when a command failed
     */
    boolean run(Launcher launcher, Map<String, Object> machine, java.util.function.BooleanSupplier stopping)
    {
        while (true) {
            Phase phase = phase();
            if (phase == Phase.DONE) {
                return true;
            }
            String[] command = command(phase);
            launcher.err().println("== " + phase.label() + ": atnas " + String.join(" ", command));
            launcher.err().flush();
            int status = launcher.execute(command);
            if (stopping.getAsBoolean()) {
                // a signal: the command ended with its checkpoint, and no other may start in a JVM shutting down
                return false;
            }
            if (status != 0) {
                throw new StudyCellFailedException("Cell " + cell.id() + " failed in its " + phase.label() + " (exit " + status + "): " + lastError() + "; its log is " + folder.resolve(LOG));
            }
            if (phase == Phase.EXPORT) {
                write(machine);
                return true;
            }
            if (phase() == phase) {
                // the command returned without moving on: it was stopped
                return false;
            }
        }
    }

    private String[] command(Phase phase)
    {
        String tasks = Integer.toString(plan.tasks());
        String last = plan.trainingShare() > 0 ? "--final-training" : "--evaluate";
        return switch (phase) {
            case NEW -> {
                clear(search());
                yield new String[] {"search", "--config", folder.resolve(CONFIGURATION).toString(), "--tasks", tasks, last};
            }
            case SEARCH -> new String[] {"search", "--resume", search().toString(), "--tasks", tasks, last};
            case TRAINING_NEW -> {
                training().ifPresent(StudyCell::clear);
                yield new String[] {"train", search().toString(), "--tasks", tasks};
            }
            case TRAINING -> new String[] {"train", "--resume", training().orElseThrow().toString(), "--tasks", tasks};
            case EVALUATION -> new String[] {"evaluate", tested().toString(), "--tasks", tasks};
            case EXPORT -> {
                clear(folder.resolve("export"));
                yield new String[] {"export", search().toString(), "--output", folder.resolve("export").toString()};
            }
            case DONE -> throw new IllegalStateException("cell " + cell.id() + " is done");
        };
    }

    /** What the cell is doing, for a long study's status lines: its phase and the last meta-step its metrics record. */
    String status()
    {
        Phase phase = phase();
        Path active = switch (phase) {
            case NEW, SEARCH -> search();
            case TRAINING_NEW, TRAINING -> training().orElse(search());
            default -> null;
        };
        if (active == null) {
            return phase.label();
        }
        // a running command's own checkpoints make its phase read as "resumed": the status names the work
        String label = active.equals(search()) ? "search" : "final training";
        return label + lastStep(active.resolve(org.atnas.core.run.RunDirectory.METRICS_FILE)).map(step -> ", meta-step " + step).orElse("");
    }

    /** The step of the last line of a metrics file, read from its end: the file of a long run is large. */
    private static Optional<Integer> lastStep(Path metrics)
    {
        if (!Files.isRegularFile(metrics)) {
            return Optional.empty();
        }
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(metrics.toFile(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, 4096);
            byte[] tail = new byte[size];
            file.seek(length - size);
            file.readFully(tail);
            java.util.regex.Matcher step = java.util.regex.Pattern.compile("\"step\":(\\d+)").matcher(new String(tail, java.nio.charset.StandardCharsets.UTF_8));
            Integer last = null;
            while (step.find()) {
                last = Integer.valueOf(step.group(1));
            }
            return Optional.ofNullable(last);
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Writes the cell's configuration for its search, once (a resumed search reads its checkpoint's). */
    void prepare(Configuration configuration)
    {
        Path file = folder.resolve(CONFIGURATION);
        if (Files.isRegularFile(file)) {
            return;
        }
        Map<String, String> values = new LinkedHashMap<>();
        configuration.entries().forEach((key, entry) -> values.put(key, entry.value()));
        StringBuilder text = new StringBuilder("# cell " + cell.id() + " of study " + plan.name() + ", written by atnas study from " + plan.file().file() + "\n");
        // values with backslashes (Windows paths) stay what they were once the properties file is read back
        values.forEach((key, value) -> text.append(key).append(" = ").append(value.replace("\\", "\\\\")).append('\n'));
        AtomicFiles.writeString(file, text.toString());
    }

    private Path tested()
    {
        return plan.trainingShare() > 0 ? training().orElseThrow() : search();
    }

    /** The final training's run directory ({@code train-<time>}), if it was started. */
    Optional<Path> training()
    {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory).filter(path -> path.getFileName().toString().startsWith("train-")).max(Comparator.naturalOrder());
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list [" + folder + "]: " + e.getMessage(), e);
        }
    }

    private static boolean hasCheckpoint(Path run)
    {
        return Files.isRegularFile(run.resolve("checkpoints").resolve("latest"));
    }

    /** The newest {@code evaluation-<time>.json} of a run directory. */
    static Optional<Path> evaluation(Path run)
    {
        if (!Files.isDirectory(run)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(run)) {
            return entries.filter(path -> path.getFileName().toString().matches("evaluation-.*\\.json")).max(Comparator.naturalOrder());
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list [" + run + "]: " + e.getMessage(), e);
        }
    }

    /** A run directory a stopped command left without a checkpoint: nothing in it can be continued. */
    static void clear(Path run)
    {
        if (!Files.exists(run)) {
            return;
        }
        try (Stream<Path> files = Files.walk(run)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the unfinished [" + run + "]: " + e.getMessage(), e);
        }
    }

    /** The last error line of the cell's log, for a message that says why without opening it. */
    String lastError()
    {
        Path log = folder.resolve(LOG);
        try {
            List<String> lines = Files.isRegularFile(log) ? Files.readAllLines(log) : List.of();
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).toLowerCase(java.util.Locale.ROOT).startsWith("error: ")) {
                    return lines.get(i).substring("error: ".length());
                }
            }
            return "no error line in the log";
        }
        catch (IOException e) {
            return "its log cannot be read: " + e.getMessage();
        }
    }

    /** Reads what the cell's runs wrote into its {@code cell.json}. */
    private void write(Map<String, Object> machine)
    {
        try {
            Checkpoint search = Checkpoint.readLatest(search());
            Path tested = tested();
            Checkpoint training = plan.trainingShare() > 0 ? Checkpoint.readLatest(tested) : null;
            JsonNode evaluated = JSON.readTree(evaluation(tested).orElseThrow().toFile()).get(0);
            JsonNode exported = JSON.readTree(folder.resolve("export").resolve("architectures.json").toFile());
            JsonNode architecture = exported.get(0);
            String code = evaluated.path("code").asText();
            double fitness = search.population().individuals().stream().filter(individual -> individual.code().format().equals(code) && individual.isMeasured())
                    .mapToDouble(individual -> individual.requireFitness()).findFirst().orElse(Double.NaN);
            double cpu = search.cpuMinutes() + (training == null ? 0 : training.cpuMinutes());
            CellResult result = new CellResult(cell.id(), cell.variant().label(), cell.variant().values(), cell.seed(), cell.budget(),
                    plan.unit() == StudyPlan.BudgetUnit.CPU_MINUTES ? "cpu-minutes" : "steps", cpu, search.step(), training == null ? 0 : training.step(), code,
                    evaluated.path("genotype").asText(), architecture.path("parameters").asLong(), architecture.path("multiplyAdds").asLong(), evaluated.path("meanAccuracy").asDouble(),
                    evaluated.path("confidence95").asDouble(), evaluated.path("tasks").asInt(), fitness);
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("components", search.components());
            provenance.put("configuration", new java.util.TreeMap<>(search.configuration()));
            provenance.putAll(machine);
            AtomicFiles.write(folder.resolve(RESULT), JSON.writeValueAsBytes(new Written(result, provenance)));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the results of cell " + cell.id() + " in [" + folder + "]: " + e.getMessage(), e);
        }
    }

    /** A finished cell's {@code cell.json}. */
    static Written read(Path folder)
    {
        Path file = folder.resolve(RESULT);
        try {
            return JSON.readValue(file.toFile(), Written.class);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read [" + file + "]: " + e.getMessage(), e);
        }
    }

    static List<Path> pictures(Path folder)
    {
        Path export = folder.resolve("export");
        List<Path> pictures = new ArrayList<>();
        if (Files.isDirectory(export)) {
            try (Stream<Path> files = Files.walk(export)) {
                files.filter(path -> path.toString().endsWith(".png")).sorted().forEach(pictures::add);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot list [" + export + "]: " + e.getMessage(), e);
            }
        }
        return pictures;
    }
}
