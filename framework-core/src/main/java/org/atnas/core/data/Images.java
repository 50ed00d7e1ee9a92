package org.atnas.core.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** Decoding and resizing of images into the byte layout of {@link ImageClass}. */
final class Images
{
    private static final int MAX_SIDE = 4096;
    /**
     * The most pixels an image may have: far above any data set here (Omniglot 105², Mini-ImageNet
     * 84²), far below what would exhaust the heap once decoded and resized (several bytes a pixel).
     */
    static final long MAX_PIXELS = (long) MAX_SIDE * MAX_SIDE;

    private Images() {}

    /**
     * Decodes a PNG or JPEG.
     *
     * @throws DataException naming {@code source} if the bytes are not an image
     */
    static BufferedImage decode(byte[] data, String source)
    {
        BufferedImage image;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataException("Cannot decode image [" + source + "]: not a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // the header's size is read first: a small file may declare a raster of gigabytes
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > MAX_PIXELS) {
                    throw new DataException("Cannot decode image [" + source + "]: it declares " + width + "x" + height + " pixels; expected at most " + MAX_PIXELS + " pixels ("
                            + MAX_SIDE + "x" + MAX_SIDE + ")");
                }
                image = reader.read(0);
            }
            finally {
                reader.dispose();
            }
        }
        catch (DataException e) {
            throw e;
        }
        catch (IOException | RuntimeException e) {
            throw new DataException("Cannot decode image [" + source + "]: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new DataException("Cannot decode image [" + source + "]: not a PNG or JPEG image");
        }
        return image;
    }

    /**
     * The image as bytes of {@code channels} (1: luminance, 3: RGB) planes of {@code height × width},
     * resized by area averaging; with {@code ink}, dark is 255 (black strokes on white become ink 1.0).
     */
    static byte[] toBytes(BufferedImage image, int channels, int height, int width, boolean ink)
    {
        int sourceHeight = image.getHeight();
        int sourceWidth = image.getWidth();
        int[] argb = image.getRGB(0, 0, sourceWidth, sourceHeight, null, 0, sourceWidth);
        byte[] out = new byte[channels * height * width];
        float[] plane = new float[sourceHeight * sourceWidth];
        for (int channel = 0; channel < channels; channel++) {
            for (int i = 0; i < plane.length; i++) {
                int red = (argb[i] >> 16) & 0xFF;
                int green = (argb[i] >> 8) & 0xFF;
                int blue = argb[i] & 0xFF;
                float value = channels == 1 ? 0.299f * red + 0.587f * green + 0.114f * blue : (channel == 0 ? red : channel == 1 ? green : blue);
                plane[i] = ink ? 255f - value : value;
            }
            float[] resized = resizeArea(plane, sourceHeight, sourceWidth, height, width);
            for (int i = 0; i < resized.length; i++) {
                out[channel * height * width + i] = (byte) Math.round(Math.max(0f, Math.min(255f, resized[i])));
            }
        }
        return out;
    }

    /** Resizes stored image bytes (CHW) by area averaging. */
    static byte[] resizeBytes(byte[] image, int channels, int height, int width, int newHeight, int newWidth)
    {
        if (height == newHeight && width == newWidth) {
            return image;
        }
        byte[] out = new byte[channels * newHeight * newWidth];
        float[] plane = new float[height * width];
        for (int channel = 0; channel < channels; channel++) {
            for (int i = 0; i < plane.length; i++) {
                plane[i] = image[channel * height * width + i] & 0xFF;
            }
            float[] resized = resizeArea(plane, height, width, newHeight, newWidth);
            for (int i = 0; i < resized.length; i++) {
                out[channel * newHeight * newWidth + i] = (byte) Math.round(Math.max(0f, Math.min(255f, resized[i])));
            }
        }
        return out;
    }

    /**
     * Area averaging: each output pixel is the mean of the input area it covers, with fractional
     * overlaps weighted (105 → 28 covers 3.75 input pixels per output pixel). Separable: rows, then columns.
     */
    static float[] resizeArea(float[] source, int height, int width, int newHeight, int newWidth)
    {
        if (height == newHeight && width == newWidth) {
            return source.clone();
        }
        float[] horizontal = new float[height * newWidth];
        float[][] columnWeights = weights(width, newWidth);
        int[] columnStart = starts(width, newWidth);
        for (int row = 0; row < height; row++) {
            for (int x = 0; x < newWidth; x++) {
                float sum = 0;
                float[] weight = columnWeights[x];
                for (int k = 0; k < weight.length; k++) {
                    sum += weight[k] * source[row * width + columnStart[x] + k];
                }
                horizontal[row * newWidth + x] = sum;
            }
        }
        float[] out = new float[newHeight * newWidth];
        float[][] rowWeights = weights(height, newHeight);
        int[] rowStart = starts(height, newHeight);
        for (int y = 0; y < newHeight; y++) {
            float[] weight = rowWeights[y];
            for (int x = 0; x < newWidth; x++) {
                float sum = 0;
                for (int k = 0; k < weight.length; k++) {
                    sum += weight[k] * horizontal[(rowStart[y] + k) * newWidth + x];
                }
                out[y * newWidth + x] = sum;
            }
        }
        return out;
    }

    /** The first input index each output pixel covers. */
    private static int[] starts(int size, int newSize)
    {
        int[] starts = new int[newSize];
        double scale = (double) size / newSize;
        for (int i = 0; i < newSize; i++) {
            starts[i] = (int) Math.floor(i * scale);
        }
        return starts;
    }

    /** For each output pixel, the weights of the input pixels from its start, summing to 1. */
    private static float[][] weights(int size, int newSize)
    {
        float[][] weights = new float[newSize][];
        double scale = (double) size / newSize;
        for (int i = 0; i < newSize; i++) {
            double from = i * scale;
            double to = Math.min(size, (i + 1) * scale);
            int first = (int) Math.floor(from);
            int last = Math.min(size - 1, (int) Math.ceil(to) - 1);
            weights[i] = new float[last - first + 1];
            for (int k = first; k <= last; k++) {
                double overlap = Math.min(to, k + 1) - Math.max(from, k);
                weights[i][k - first] = (float) (Math.max(0, overlap) / (to - from));
            }
        }
        return weights;
    }
}
