package org.atnas.core.data;

import org.atnas.api.ImageShape;

import static java.util.Objects.requireNonNull;

/**
 * The images of one class, kept as bytes (one per pixel and channel, CHW order, image after image)
 * so that a data set the size of Mini-ImageNet fits in about a gigabyte; floats are made per task.
 * A rotated class shares its base class's bytes and turns images as it reads them.
 */
public final class ImageClass
{
    private final String name;
    private final String group;
    private final ImageShape shape;
    private final byte[] pixels;
    private final int quarterTurns;

    /**
     * @param name unique within the data set, for example {@code Greek/character01}
     * @param group the class's group, for example its alphabet; splits may name groups
     * @param shape the shape of each image
     * @param pixels the images' bytes, {@code size() * shape.size()} of them; not copied
     */
    public ImageClass(String name, String group, ImageShape shape, byte[] pixels)
    {
        this(name, group, shape, pixels, 0);
    }

    private ImageClass(String name, String group, ImageShape shape, byte[] pixels, int quarterTurns)
    {
        this.name = requireNonNull(name, "name is null");
        this.group = requireNonNull(group, "group is null");
        this.shape = requireNonNull(shape, "shape is null");
        this.pixels = requireNonNull(pixels, "pixels is null");
        this.quarterTurns = quarterTurns;
        if (pixels.length % shape.size() != 0) {
            throw new IllegalArgumentException("Class " + name + ": " + pixels.length + " bytes is not a whole number of " + shape + " images");
        }
        if (quarterTurns != 0 && shape.height() != shape.width()) {
            throw new IllegalArgumentException("Class " + name + ": only square images can be rotated, got " + shape);
        }
    }

    public String name()
    {
        return name;
    }

    public String group()
    {
        return group;
    }

    public ImageShape shape()
    {
        return shape;
    }

    /** Number of images. */
    public int size()
    {
        return pixels.length / shape.size();
    }

    /** Rotation in quarter turns counter-clockwise (0 for an unrotated class). */
    public int quarterTurns()
    {
        return quarterTurns;
    }

    /** The same images turned by {@code turns × 90°} counter-clockwise, as a class of its own named {@code name@90} (or 180, 270). */
    public ImageClass rotated(int turns)
    {
        if (turns < 1 || turns > 3) {
            throw new IllegalArgumentException("A rotation is 1 to 3 quarter turns, got " + turns);
        }
        if (quarterTurns != 0) {
            throw new IllegalStateException("Class " + name + " is already rotated");
        }
        return new ImageClass(name + "@" + turns * 90, group, shape, pixels, turns);
    }

    /** The byte (0..255) at a pixel of image {@code index}, after rotation. */
    public int pixel(int index, int channel, int row, int column)
    {
        return pixels[index * shape.size() + channel * shape.height() * shape.width() + sourceOffset(row, column)] & 0xFF;
    }

    /** Writes image {@code index}, rotated and normalised, into {@code target} from {@code offset}. */
    void read(int index, Normalization normalization, float[] target, int offset)
    {
        int area = shape.height() * shape.width();
        for (int channel = 0; channel < shape.channels(); channel++) {
            float scale = normalization.scale(channel);
            float shift = normalization.offset(channel);
            int plane = index * shape.size() + channel * area;
            int out = offset + channel * area;
            if (quarterTurns == 0) {
                for (int i = 0; i < area; i++) {
                    target[out + i] = (pixels[plane + i] & 0xFF) * scale + shift;
                }
                continue;
            }
            for (int row = 0; row < shape.height(); row++) {
                for (int column = 0; column < shape.width(); column++) {
                    target[out + row * shape.width() + column] = (pixels[plane + sourceOffset(row, column)] & 0xFF) * scale + shift;
                }
            }
        }
    }

    /** Where in a stored plane the pixel lies that a counter-clockwise turn moves to (row, column). */
    private int sourceOffset(int row, int column)
    {
        int width = shape.width();
        int last = shape.height() - 1;
        return switch (quarterTurns) {
            case 1 -> column * width + (last - row);
            case 2 -> (last - row) * width + (last - column);
            case 3 -> (last - column) * width + row;
            default -> row * width + column;
        };
    }

    @Override
    public String toString()
    {
        return name + " (" + size() + " images)";
    }
}
