package org.atnas.core.search;

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
        return SearchPlan.keyOf(this);
    }

    /**
     * @throws IllegalArgumentException naming the key and the known values
     */
    public static SearchMethod fromKey(String value)
    {
        return SearchPlan.choice(SearchMethod.class, SearchSettings.METHOD.key(), value);
    }
}
