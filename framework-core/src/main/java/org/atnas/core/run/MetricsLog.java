package org.atnas.core.run;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.fasterxml.jackson.core.JsonProcessingException;
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
