package org.atnas.core.data;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * How stored bytes become floats: {@code (byte / 255 - mean[c]) / std[c]} per channel c.
 *
 * @param mean per-channel mean of {@code byte / 255}
 * @param std per-channel standard deviation of {@code byte / 255}, each positive
 */
public record Normalization(float[] mean, float[] std)
{
    public Normalization
    {
        requireNonNull(mean, "mean is null");
        requireNonNull(std, "std is null");
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need one value per channel, got " + mean.length + " and " + std.length);
        }
        for (float value : std) {
            if (!(value > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** {@code byte / 255}: for ink images (Omniglot, glyphs, IDX) where 1.0 is full ink. */
    public static Normalization unit(int channels)
    {
        float[] mean = new float[channels];
        float[] std = new float[channels];
        Arrays.fill(std, 1f);
        return new Normalization(mean, std);
    }

    @Override
    public float[] mean()
    {
        return mean.clone();
    }

    @Override
    public float[] std()
    {
        return std.clone();
    }

    float scale(int channel)
    {
        return 1f / (255f * std[channel]);
    }

    float offset(int channel)
    {
        return -mean[channel] / std[channel];
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof Normalization that && Arrays.equals(mean, that.mean) && Arrays.equals(std, that.std);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString()
    {
        return "mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
