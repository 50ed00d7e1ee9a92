package org.atnas.api;

/**
 * The shape of one image: channels, height and width (the tensor layout is CHW).
 *
 * @param channels number of channels, at least 1
 * @param height height in pixels, at least 1
 * @param width width in pixels, at least 1
 */
public record ImageShape(int channels, int height, int width)
{
    public ImageShape
    {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("Image shape must be positive in every dimension, got " + channels + "x" + height + "x" + width);
        }
    }

    /** Number of floats in one image. */
    public int size()
    {
        return channels * height * width;
    }

    @Override
    public String toString()
    {
        return channels + "x" + height + "x" + width;
    }
}
