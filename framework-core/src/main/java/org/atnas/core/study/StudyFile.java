package org.atnas.core.study;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.atnas.core.config.ConfigurationException;

import static java.util.Objects.requireNonNull;

/**
 * A study file as written: one {@code key = value} per line, {@code #} comments, each key once.
 * Kept line by line so that every later error can name the line it comes from.
 */
public final class StudyFile
{
    /** One {@code key = value} line; {@code number} counts from 1. */
    public record Line(int number, String key, String value) {}

    private final Path file;
    private final String text;
    private final Map<String, Line> lines;

    private StudyFile(Path file, String text, Map<String, Line> lines)
    {
        this.file = file;
        this.text = text;
        this.lines = lines;
    }

    /**
     * Reads a study file.
     *
     * @throws ConfigurationException naming the file, or the line, that is not a study file's
     */
    public static StudyFile read(Path file)
    {
        requireNonNull(file, "file is null");
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("Study file [" + file + "] does not exist or is not a file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read study file [" + file + "]: " + e.getMessage(), e);
        }
        return parse(file, text);
    }

    static StudyFile parse(Path file, String text)
    {
        Map<String, Line> lines = new LinkedHashMap<>();
        List<String> physical = text.lines().toList();
        for (int index = 0; index < physical.size(); index++) {
            int number = index + 1;
            String stripped = physical.get(index).strip();
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith("!")) {
                continue;
            }
            // one key per line keeps every error's line number exact: no continuation lines
            if (stripped.endsWith("\\")) {
                throw new ConfigurationException(at(file, number) + "ends in a backslash; a study file writes each key = value on one line");
            }
            int separator = separator(stripped);
            if (separator <= 0) {
                throw new ConfigurationException(at(file, number) + "is not key = value: [" + stripped + "]");
            }
            Properties single = new Properties();
            try {
                single.load(new StringReader(stripped));
            }
            catch (IOException | IllegalArgumentException e) {
                throw new ConfigurationException(at(file, number) + "is not a valid property: " + e.getMessage());
            }
            String key = single.stringPropertyNames().iterator().next().strip();
            Line previous = lines.putIfAbsent(key, new Line(number, key, single.getProperty(key).strip()));
            if (previous != null) {
                throw new ConfigurationException(at(file, number) + "sets key [" + key + "] again (first on line " + previous.number() + "); expected each key once");
            }
        }
        return new StudyFile(file, text, lines);
    }

    private static int separator(String line)
    {
        int equals = line.indexOf('=');
        int colon = line.indexOf(':');
        return equals < 0 ? colon : colon < 0 ? equals : Math.min(equals, colon);
    }

    /** {@code Study file [F] line N: }, the start of every message about a line. */
    public static String at(Path file, int number)
    {
        return "Study file [" + file + "] line " + number + ": ";
    }

    public String at(Line line)
    {
        return at(file, line.number());
    }

    public Path file()
    {
        return file;
    }

    /** The file's text as read, kept in the study's folder to notice a changed file on resume. */
    public String text()
    {
        return text;
    }

    /** Every key's line, in the file's order. */
    public List<Line> lines()
    {
        return new ArrayList<>(lines.values());
    }
}
