package org.atnas.core.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a meta-search does with its population: the full algorithm or one of the baselines that a
 * study compares it with in the same engine, with the same meta-optimizer, data and budget.
 */
public enum SearchMethod
{
    /** Algorithm 1: the population is evaluated and evolved every k meta-steps. */
    ATNAS,
    /** The population is sampled once and never evolved; the best on meta-val is picked at the end. */
    RANDOM,
    /** One given architecture is meta-trained; it is the whole population. */
    FIXED;

    /** The value of {@code search.method}. */
    public String key()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the key and the known values
     */
    public static SearchMethod fromKey(String value)
    {
        for (SearchMethod method : values()) {
            if (method.key().equals(value)) {
                return method;
            }
        }
        throw new IllegalArgumentException("search.method: unknown method [" + value + "], expected one of " + Arrays.stream(values()).map(SearchMethod::key).collect(Collectors.joining(", ")));
    }
}
