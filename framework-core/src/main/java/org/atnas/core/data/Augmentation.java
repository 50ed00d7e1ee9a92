package org.atnas.core.data;

import java.util.random.RandomGenerator;

/**
 * The standard augmentation of supervised training: a random crop of the image padded by
 * {@code padding} pixels on every side (the padding is black: byte 0, normalised), and a random
 * horizontal flip. Glyph-like images (letters, digits) keep their orientation: flip is off unless asked.
 *
 * @param padding pixels of padding per side, 0 for no crop
 * @param flip whether to flip half of the images horizontally
 */
public record Augmentation(int padding, boolean flip)
{
    public static final Augmentation NONE = new Augmentation(0, false);

    public Augmentation
    {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be 0 or more, got " + padding);
        }
    }

    /**
     * Augments one normalised image ({@code shape} CHW at {@code offset} of {@code pixels}) in place.
     *
     * @param black the normalised value of byte 0 per channel, what the padding shows
     */
    void apply(float[] pixels, int offset, int channels, int height, int width, float[] black, RandomGenerator random)
    {
        int dy = padding == 0 ? 0 : random.nextInt(2 * padding + 1) - padding;
        int dx = padding == 0 ? 0 : random.nextInt(2 * padding + 1) - padding;
        boolean mirror = flip && random.nextBoolean();
        if (dy == 0 && dx == 0 && !mirror) {
            return;
        }
        int area = height * width;
        float[] source = new float[area];
        for (int channel = 0; channel < channels; channel++) {
            int plane = offset + channel * area;
            System.arraycopy(pixels, plane, source, 0, area);
            for (int row = 0; row < height; row++) {
                int from = row + dy;
                for (int column = 0; column < width; column++) {
                    int fromColumn = (mirror ? width - 1 - column : column) + dx;
                    boolean inside = from >= 0 && from < height && fromColumn >= 0 && fromColumn < width;
                    pixels[plane + row * width + column] = inside ? source[from * width + fromColumn] : black[channel];
                }
            }
        }
    }
}
