package org.atnas.api.plugin;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
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
    private final List<String> choices;

    private Setting(String key, String type, T defaultValue, String description, Function<String, T> parser)
    {
        this(key, type, defaultValue, description, parser, List.of());
    }

    private Setting(String key, String type, T defaultValue, String description, Function<String, T> parser, List<String> choices)
    {
        this.key = requireNonNull(key, "key is null");
        this.type = requireNonNull(type, "type is null");
        this.defaultValue = defaultValue;
        this.description = requireNonNull(description, "description is null");
        this.parser = requireNonNull(parser, "parser is null");
        this.choices = requireNonNull(choices, "choices is null");
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
     * One of a closed list of words, for example a method {@code atnas}, {@code random} or
     * {@code fixed} (Trino's {@code enumProperty}). The type reads {@code one of [atnas, random, fixed]},
     * so documentation and the error for a bad value list the allowed ones. Values are compared
     * exactly (after stripping surrounding blanks); the component maps the word to its meaning.
     *
     * @param defaultValue one of {@code choices}, or null when the key must be configured
     * @param choices the allowed values, in the order documentation lists them: distinct words
     *     without blanks
     * @throws IllegalArgumentException if {@code choices} is empty, repeats a value or holds one
     *     with blanks, or if {@code defaultValue} is not one of them
     * @since 1.1
     */
    public static Setting<String> oneOf(String key, String defaultValue, List<String> choices, String description)
    {
        List<String> allowed = List.copyOf(requireNonNull(choices, "choices is null"));
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("Setting [" + key + "] offers no choice");
        }
        for (String choice : allowed) {
            if (choice.isEmpty() || choice.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("Choice [" + choice + "] of setting [" + key + "] must be a word without blanks");
            }
        }
        if (new HashSet<>(allowed).size() != allowed.size()) {
            throw new IllegalArgumentException("Setting [" + key + "] lists a choice twice: " + allowed);
        }
        String type = "one of " + allowed;
        checkDefault(key, defaultValue == null || allowed.contains(defaultValue), defaultValue, type);
        return new Setting<>(key, type, defaultValue, description, text -> {
            int index = allowed.indexOf(text.strip());
            if (index < 0) {
                throw new IllegalArgumentException(type);
            }
            return allowed.get(index);
        }, allowed);
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
     * The allowed values of a {@link #oneOf} setting, in declaration order; empty for every other kind.
     *
     * @since 1.1
     */
    public List<String> choices()
    {
        return choices;
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
