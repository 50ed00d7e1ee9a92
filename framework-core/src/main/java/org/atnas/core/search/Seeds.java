package org.atnas.core.search;

/**
 * Derived seeds: every random choice of a search is drawn from a generator seeded by the run's
 * seed, a purpose and an index (the meta-step, the generation, the epoch), never from a generator
 * carried along. So a resumed run makes exactly the choices an uninterrupted one makes, and the
 * number of workers changes nothing.
 */
public final class Seeds
{
    static final long POPULATION = 1;
    static final long ARCHITECTURES = 2;
    static final long EVOLUTION = 3;
    static final long TASK_POOL = 4;
    static final long VALIDATION = 5;
    static final long PREDICTOR = 6;
    /** Fast architecture transfer: the order and augmentation of an epoch's images. */
    public static final long TRANSFER_EPOCH = 7;
    /** Fast architecture transfer: an evolution with population halving. */
    public static final long TRANSFER_EVOLUTION = 8;
    /** Fast architecture transfer: the validation split of the training set. */
    public static final long TRANSFER_SPLIT = 9;

    private Seeds() {}

    public static long derive(long seed, long purpose, long index)
    {
        return mix(mix(seed ^ mix(purpose)) + index);
    }

    /** SplitMix64's finaliser: nearby inputs give unrelated outputs. */
    private static long mix(long value)
    {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
