package org.atnas.core.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The raw configuration: a properties file plus {@code --set key=value} overrides, each value
 * remembering where it came from, for messages. Values are typed and checked by
 * {@link ResolvedConfiguration}.
 */
public final class Configuration
{
    /**
     * A configured value.
     *
     * @param value the text as written
     * @param source where it was written: a file path or {@code --set}
     */
    public record Entry(String value, String source) {}

    private final Map<String, Entry> entries;

    private Configuration(Map<String, Entry> entries)
    {
        this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    public static Configuration empty()
    {
        return new Configuration(Map.of());
    }

    /**
     * Reads the file, if any, then applies the overrides in order (a later one wins).
     *
     * @throws ConfigurationException if the file does not exist or an override is not {@code key=value}
     * @throws UncheckedIOException if the file cannot be read
     */
    public static Configuration load(Optional<Path> file, List<String> overrides)
    {
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (file.isPresent()) {
            Path path = file.get();
            if (!Files.isRegularFile(path)) {
                throw new ConfigurationException("Configuration file [" + path + "] does not exist or is not a file");
            }
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot read configuration file [" + path + "]: " + e.getMessage(), e);
            }
            catch (IllegalArgumentException e) {
                throw new ConfigurationException("Configuration file [" + path + "] is not a valid properties file: " + e.getMessage());
            }
            refuseDuplicateKeys(path);
            for (String key : properties.stringPropertyNames()) {
                entries.put(key.strip(), new Entry(properties.getProperty(key).strip(), path.toString()));
            }
        }
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                throw new ConfigurationException("Invalid --set [" + override + "]: expected key=value");
            }
            entries.put(override.substring(0, equals).strip(), new Entry(override.substring(equals + 1).strip(), "--set"));
        }
        return new Configuration(entries);
    }

    /**
     * A key written twice is refused naming both lines: {@link Properties} keeps the last silently,
     * and a file that sets {@code search.population} twice usually has one line its author forgot.
     */
    private static void refuseDuplicateKeys(Path path)
    {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read configuration file [" + path + "]: " + e.getMessage(), e);
        }
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        for (int index = 0; index < lines.size(); index++) {
            int number = index + 1;
            String stripped = lines.get(index).stripLeading();
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith("!")) {
                continue;
            }
            // a logical line goes on while a line ends in an odd number of backslashes
            StringBuilder logical = new StringBuilder(lines.get(index));
            while (endsInContinuation(lines.get(index)) && index + 1 < lines.size()) {
                index++;
                logical.append('\n').append(lines.get(index));
            }
            Properties single = new Properties();
            try {
                single.load(new StringReader(logical.toString()));
            }
            catch (IOException | IllegalArgumentException e) {
                throw new ConfigurationException("Configuration file [" + path + "] line " + number + " is not a valid property: " + e.getMessage());
            }
            for (String key : single.stringPropertyNames()) {
                Integer previous = firstLine.putIfAbsent(key.strip(), number);
                if (previous != null) {
                    throw new ConfigurationException("Configuration file [" + path + "] sets key [" + key.strip() + "] twice, on line " + previous + " and line " + number
                            + "; expected each key once");
                }
            }
        }
    }

    private static boolean endsInContinuation(String line)
    {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** A copy with more overrides applied, for commands that fix some keys themselves. */
    public Configuration with(Map<String, String> overrides, String source)
    {
        Map<String, Entry> copy = new LinkedHashMap<>(entries);
        overrides.forEach((key, value) -> copy.put(key, new Entry(value, requireNonNull(source, "source is null"))));
        return new Configuration(copy);
    }

    public Optional<Entry> get(String key)
    {
        return Optional.ofNullable(entries.get(key));
    }

    /** Every configured entry, by key in key order. */
    public Map<String, Entry> entries()
    {
        return entries;
    }
}
