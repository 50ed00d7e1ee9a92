package org.atnas.core.run;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static java.util.Objects.requireNonNull;

/**
 * {@code metrics.jsonl}: one JSON object per line, one line per meta-step or generation. Each line
 * is written whole and flushed, so a run that stops leaves complete lines only.
 */
public final class MetricsLog
        implements Closeable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedWriter writer;

    MetricsLog(Path file)
    {
        this.file = requireNonNull(file, "file is null");
        try {
            this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot open metrics log [" + file + "]: " + e.getMessage(), e);
        }
    }

    /**
     * Drops the lines of meta-steps after {@code step} from {@code file} (atomically): what a run
     * wrote after its last checkpoint before it was killed or stopped within a step. The resumed run
     * writes those steps again, so every step keeps exactly one line.
     *
     * @throws IllegalArgumentException naming the file and line when a line is not a JSON object
     */
    public static void dropAfterStep(Path file, int step)
    {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read metrics log [" + file + "]: " + e.getMessage(), e);
        }
        StringBuilder kept = new StringBuilder();
        boolean dropped = false;
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            JsonNode record;
            try {
                record = JSON.readTree(line);
            }
            catch (JsonProcessingException e) {
                throw new IllegalArgumentException("Metrics log [" + file + "] line " + number + " is not JSON: " + e.getOriginalMessage(), e);
            }
            if (record != null && record.path("step").isInt() && record.get("step").asInt() > step) {
                dropped = true;
                continue;
            }
            kept.append(line).append('\n');
        }
        if (dropped) {
            AtomicFiles.writeString(file, kept.toString());
        }
    }

    public Path file()
    {
        return file;
    }

    /** Appends one line: a record (or map) of numbers, strings, booleans, lists or maps of them, written by Jackson. */
    public synchronized void append(Object line)
    {
        try {
            writer.write(JSON.writeValueAsString(line));
            writer.write('\n');
            writer.flush();
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A metrics line must hold plain values: " + e.getOriginalMessage(), e);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot write metrics log [" + file + "]: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close()
    {
        try {
            writer.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot close metrics log [" + file + "]: " + e.getMessage(), e);
        }
    }
}
