package org.atnas.api.plugin;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * A typed configuration key with its default and documentation.
 *
 * @param <T> the value type
 */
public final class Setting<T>
{
    private final String key;
    private final String type;
    private final T defaultValue;
    private final String description;
    private final Function<String, T> parser;

    private Setting(String key, String type, T defaultValue, String description, Function<String, T> parser)
    {
        this.key = requireNonNull(key, "key is null");
        this.type = requireNonNull(type, "type is null");
        this.defaultValue = defaultValue;
        this.description = requireNonNull(description, "description is null");
        this.parser = requireNonNull(parser, "parser is null");
        if (!key.matches("[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)*")) {
            throw new IllegalArgumentException("Setting key [" + key + "] must be dot-separated words of lower case letters, digits and dashes");
        }
    }

    /** An integer in {@code [min, max]}. */
    public static Setting<Integer> integer(String key, int defaultValue, int min, int max, String description)
    {
        String type = "an integer from " + min + " to " + max;
        checkDefault(key, defaultValue >= min && defaultValue <= max, defaultValue, type);
        return new Setting<>(key, type, defaultValue, description, bounded(type, Integer::parseInt, min, max));
    }

    /** A long integer (seeds). */
    public static Setting<Long> longInteger(String key, long defaultValue, String description)
    {
        String type = "an integer";
        return new Setting<>(key, type, defaultValue, description, text -> {
            try {
                return Long.parseLong(text.strip());
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException(type);
            }
        });
    }

    /** A finite decimal number in {@code [min, max]}. */
    public static Setting<Double> decimal(String key, double defaultValue, double min, double max, String description)
    {
        String type = "a number from " + min + " to " + max;
        checkDefault(key, defaultValue >= min && defaultValue <= max, defaultValue, type);
        return new Setting<>(key, type, defaultValue, description, bounded(type, Double::parseDouble, min, max));
    }

    /** {@code true} or {@code false}. */
    public static Setting<Boolean> bool(String key, boolean defaultValue, String description)
    {
        String type = "true or false";
        return new Setting<>(key, type, defaultValue, description, text -> switch (text.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(type);
        });
    }

    /** A non-empty string. */
    public static Setting<String> string(String key, String defaultValue, String description)
    {
        String type = "a non-empty string";
        return new Setting<>(key, type, defaultValue, description, text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException(type);
            }
            return text.strip();
        });
    }

    /**
     * A file system path, relative to the working directory. Without default, the component reads
     * it with {@link ComponentContext#get} if it is required, {@link ComponentContext#find} if not.
     */
    public static Setting<Path> path(String key, Path defaultValue, String description)
    {
        String type = "a file path";
        return new Setting<>(key, type, defaultValue, description, text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException(type);
            }
            return Path.of(text.strip());
        });
    }

    /** Parses with {@code parse} and checks {@code [min, max]} (NaN fails the check); any failure says {@code type}. */
    private static <N extends Comparable<N>> Function<String, N> bounded(String type, Function<String, N> parse, N min, N max)
    {
        return text -> {
            N value;
            try {
                value = parse.apply(text.strip());
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException(type);
            }
            if (!(value.compareTo(min) >= 0 && value.compareTo(max) <= 0) || value instanceof Double number && number.isNaN()) {
                throw new IllegalArgumentException(type);
            }
            return value;
        };
    }

    private static void checkDefault(String key, boolean valid, Object defaultValue, String type)
    {
        if (!valid) {
            throw new IllegalArgumentException("Default [" + defaultValue + "] of setting [" + key + "] is not " + type);
        }
    }

    public String key()
    {
        return key;
    }

    /** What a valid value is, in words, for error messages and documentation: {@code an integer from 1 to 64}. */
    public String type()
    {
        return type;
    }

    /** The default, or empty when the key must be configured. */
    public Optional<T> defaultValue()
    {
        return Optional.ofNullable(defaultValue);
    }

    public String description()
    {
        return description;
    }

    /**
     * Parses a configured value.
     *
     * @throws IllegalArgumentException whose message is {@link #type()} when the text is not valid
     */
    public T parse(String text)
    {
        return parser.apply(requireNonNull(text, "text is null"));
    }

    @Override
    public String toString()
    {
        return key;
    }
}
