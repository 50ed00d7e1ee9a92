package org.atnas.core.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.atnas.core.config.ConfigurationDocumentation;
import org.atnas.core.config.ConfigurationException;
import org.atnas.core.config.CoreSettings;
import org.atnas.core.config.ResolvedConfiguration;

import static java.util.Objects.requireNonNull;

/**
 * A run's folder, {@code runs/<name>/}: the effective configuration ({@code config.properties}),
 * {@code metrics.jsonl} and whatever the command writes. Files are written atomically.
 */
public final class RunDirectory
{
    public static final String CONFIG_FILE = "config.properties";
    public static final String METRICS_FILE = "metrics.jsonl";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path path;

    private RunDirectory(Path path)
    {
        this.path = path;
    }

    /**
     * Creates the run directory of a command: {@code runs.directory/run.name}, or
     * {@code runs.directory/<command>-<time stamp>} when no name is configured, and writes the
     * effective configuration into it.
     *
     * @throws IllegalArgumentException if a configured name is taken (the message names the folder)
     */
    public static RunDirectory create(ResolvedConfiguration configuration, String command, Clock clock)
    {
        Path runs = configuration.get(CoreSettings.RUNS_DIRECTORY);
        Optional<String> name = configuration.find(CoreSettings.RUN_NAME);
        RunDirectory directory;
        if (name.isPresent()) {
            // a name with separators or .. would put the run, and what it overwrites, outside runs.directory
            if (!isFolderName(name.get())) {
                throw new ConfigurationException("Configuration key [run.name] must be one folder name inside runs.directory [" + runs + "], got [" + name.get()
                        + "]; expected a name without /, \\ or :, other than . and ..");
            }
            directory = createNew(runs.resolve(name.get()))
                    .orElseThrow(() -> new IllegalArgumentException("Run directory [" + runs.resolve(name.get()) + "] already exists; choose another run.name"));
        }
        else {
            String base = command + "-" + LocalDateTime.now(clock).format(STAMP);
            Optional<RunDirectory> created = createNew(runs.resolve(base));
            for (int suffix = 2; created.isEmpty(); suffix++) {
                created = createNew(runs.resolve(base + "-" + suffix));
            }
            directory = created.get();
        }
        directory.writeText(CONFIG_FILE, ConfigurationDocumentation.effective(configuration));
        return directory;
    }

    /**
     * An existing run directory, to continue a run in it.
     *
     * @throws IllegalArgumentException if it does not exist
     */
    public static RunDirectory open(Path folder)
    {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("Run directory [" + folder + "] does not exist");
        }
        return new RunDirectory(folder);
    }

    static boolean isFolderName(String name)
    {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || c == '\\' || c == ':' || Character.isISOControl(c));
    }

    private static Optional<RunDirectory> createNew(Path folder)
    {
        try {
            Files.createDirectories(folder.getParent());
            Files.createDirectory(folder);
            return Optional.of(new RunDirectory(folder));
        }
        catch (FileAlreadyExistsException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot create run directory [" + folder + "]: " + e.getMessage(), e);
        }
    }

    public Path path()
    {
        return path;
    }

    /**
     * Takes this run's lock for the calling process, held until closed (or the process ends).
     *
     * @throws IllegalArgumentException if another process (or command) holds it, naming the run and the process id
     */
    public RunLock lock()
    {
        return RunLock.acquire(path);
    }

    /**
     * Removes this directory after the command that created it failed, so that a failed command
     * leaves no empty or half-written run behind; a failure to remove is added to {@code failure}.
     */
    public void removeAfterFailure(Throwable failure)
    {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        catch (IOException | UncheckedIOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Opens {@code metrics.jsonl} for appending. */
    public MetricsLog metrics()
    {
        return new MetricsLog(path.resolve(METRICS_FILE));
    }

    public void writeText(String fileName, String text)
    {
        AtomicFiles.writeString(path.resolve(requireNonNull(fileName, "fileName is null")), text);
    }

    /** Writes a value as indented JSON. */
    public void writeJson(String fileName, Object value)
    {
        try {
            AtomicFiles.write(path.resolve(fileName), JSON.writeValueAsBytes(value));
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write " + fileName + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
