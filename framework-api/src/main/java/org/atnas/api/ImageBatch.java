package org.atnas.api;

import static java.util.Objects.requireNonNull;

/**
 * Labelled images as plain floats in NCHW order: image {@code i} occupies
 * {@code pixels[i * shape.size() .. (i + 1) * shape.size())}.
 *
 * <p>The arrays are not copied (tasks are built thousands of times per second): whoever builds a
 * batch hands its arrays over and must not change them afterwards; a reader must not change them
 * either.
 */
public final class ImageBatch
{
    private final ImageShape shape;
    private final float[] pixels;
    private final int[] labels;

    /**
     * @throws IllegalArgumentException if the pixel count is not {@code labels.length * shape.size()}
     *     or a label is negative
     */
    public ImageBatch(ImageShape shape, float[] pixels, int[] labels)
    {
        this.shape = requireNonNull(shape, "shape is null");
        this.pixels = requireNonNull(pixels, "pixels is null");
        this.labels = requireNonNull(labels, "labels is null");
        if ((long) labels.length * shape.size() != pixels.length) {
            throw new IllegalArgumentException("A batch of " + labels.length + " images of shape " + shape + " needs " + (long) labels.length * shape.size() + " pixels, got " + pixels.length);
        }
        for (int label : labels) {
            if (label < 0) {
                throw new IllegalArgumentException("Labels must be non-negative, got " + label);
            }
        }
    }

    public ImageShape shape()
    {
        return shape;
    }

    /** Number of images. */
    public int size()
    {
        return labels.length;
    }

    /** The pixels, NCHW; do not modify. */
    public float[] pixels()
    {
        return pixels;
    }

    /** The label of each image; do not modify. */
    public int[] labels()
    {
        return labels;
    }
}
