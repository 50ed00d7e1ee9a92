package org.atnas.core.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.atnas.api.ImageShape;
import org.atnas.core.config.ResolvedConfiguration;

import static java.util.Objects.requireNonNull;

/**
 * How an image file becomes a network input, exactly as a data set's loader does it: decode,
 * luminance ({@code channels} 1) or RGB (3), {@code 255 - value} when {@code inverted} (black
 * strokes on white become ink 1.0, as Omniglot and the glyphs are stored), area-averaged to
 * {@code height × width}, rounded to a byte, then {@code (byte / 255 - mean[c]) / std[c]}. A search
 * records it as {@code preprocessing.json} so that adapting its network to new images does not guess.
 *
 * @param channels 1 or 3
 * @param height rows of the network's input
 * @param width columns of the network's input
 * @param inverted whether dark pixels are ink (the value is {@code 255 - luminance})
 * @param resize how images are resized: always {@code area-average}
 * @param mean per-channel mean of {@code byte / 255}
 * @param std per-channel standard deviation of {@code byte / 255}
 */
public record Preprocessing(int channels, int height, int width, boolean inverted, String resize, float[] mean, float[] std)
{
    public static final String FILE = "preprocessing.json";
    public static final String AREA_AVERAGE = "area-average";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Preprocessing
    {
        requireNonNull(resize, "resize is null");
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Preprocessing channels must be 1 or 3, got " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("Preprocessing size must be positive, got " + height + "x" + width);
        }
        if (!resize.equals(AREA_AVERAGE)) {
            throw new IllegalArgumentException("Preprocessing resize must be " + AREA_AVERAGE + ", got " + resize);
        }
        // checks mean and std as the loaders' normalisation does
        new Normalization(mean, std);
        if (mean.length != channels) {
            throw new IllegalArgumentException("Preprocessing needs one mean and std per channel: " + channels + " channels, " + mean.length + " values");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * The preprocessing of a loaded data set: its shape and normalisation; ink polarity as its loader
     * reads files (Omniglot inverts black-on-white drawings; glyphs are drawn as ink, so a drawing of
     * one on paper is inverted alike; every other loader keeps the values).
     */
    public static Preprocessing of(ImageDataset dataset)
    {
        ImageShape shape = dataset.shape();
        boolean inverted = dataset.name().equals("omniglot") || dataset.name().equals("glyphs");
        return new Preprocessing(shape.channels(), shape.height(), shape.width(), inverted, AREA_AVERAGE, dataset.normalization().mean(), dataset.normalization().std());
    }

    public ImageShape shape()
    {
        return new ImageShape(channels, height, width);
    }

    /**
     * The network input of an image file's bytes.
     *
     * @param source the file, for messages
     * @throws DataException naming {@code source} if the bytes are not an image
     */
    public float[] apply(byte[] file, String source)
    {
        return apply(Images.decode(file, source));
    }

    /** The network input of a decoded image of any size. */
    public float[] apply(BufferedImage image)
    {
        byte[] bytes = Images.toBytes(image, channels, height, width, inverted);
        float[] out = new float[bytes.length];
        int area = height * width;
        for (int channel = 0; channel < channels; channel++) {
            for (int i = 0; i < area; i++) {
                out[channel * area + i] = ((bytes[channel * area + i] & 0xFF) / 255f - mean[channel]) / std[channel];
            }
        }
        return out;
    }

    /**
     * Reads a {@code preprocessing.json}.
     *
     * @throws IllegalArgumentException naming the file if it is not one
     */
    public static Preprocessing read(Path file)
    {
        try {
            return JSON.readValue(file.toFile(), Preprocessing.class);
        }
        catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot read preprocessing [" + file + "]: " + e.getMessage(), e);
        }
    }

    /** This preprocessing as JSON text. */
    public String toJson()
    {
        try {
            return JSON.writeValueAsString(this);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    @Override
    public boolean equals(Object other)
    {
        return other instanceof Preprocessing that && channels == that.channels && height == that.height && width == that.width && inverted == that.inverted
                && resize.equals(that.resize) && Arrays.equals(mean, that.mean) && Arrays.equals(std, that.std);
    }

    @Override
    public int hashCode()
    {
        return (((channels * 31 + height) * 31 + width) * 31 + Boolean.hashCode(inverted)) * 31 + Arrays.hashCode(mean) * 7 + Arrays.hashCode(std);
    }

    @Override
    public String toString()
    {
        return channels + "x" + height + "x" + width + (inverted ? ", inverted" : "") + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }

    /**
     * The preprocessing of a run directory: its {@code preprocessing.json}, or for a run that
     * predates the file, derived from the run's configuration as its loader does it (Omniglot,
     * glyphs and IDX need no data for that; the others' normalisation is measured on the data set,
     * which is then loaded).
     */
    public static Preprocessing ofRun(Path runDirectory, ResolvedConfiguration configuration)
    {
        Path file = runDirectory.resolve(FILE);
        return Files.isRegularFile(file) ? read(file) : of(configuration);
    }

    /**
     * The preprocessing of the configured data set, as its loader applies it; a data set normalised
     * by its own statistics (image folders, Mini-ImageNet, CIFAR-10) is loaded to measure them.
     */
    public static Preprocessing of(ResolvedConfiguration configuration)
    {
        String dataset = configuration.get(DataSettings.DATASET);
        int size = configuration.get(DataSettings.IMAGE_SIZE) == 0 ? 28 : configuration.get(DataSettings.IMAGE_SIZE);
        return switch (dataset) {
            case "glyphs", "omniglot" -> new Preprocessing(1, size, size, true, AREA_AVERAGE, new float[] {0}, new float[] {1});
            case "idx" -> new Preprocessing(1, size, size, false, AREA_AVERAGE, new float[] {0}, new float[] {1});
            default -> of(Datasets.load(configuration));
        };
    }
}
