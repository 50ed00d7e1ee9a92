package org.atnas.core.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.CubicCurve2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.atnas.api.ImageShape;

/**
 * Procedural glyphs, the embedded default data set (no download): each class is a random
 * composition of 2 to 4 strokes (cubic Bézier curves); each image of a class redraws the same
 * strokes with jitter in the control points and the width and a small random affine transform.
 * Strokes are drawn 4× larger and area-averaged down, so edges are anti-aliased like Omniglot's
 * resized characters. Ink is 1.0 on a 0.0 background. Fully determined by the seed, class by class.
 */
public final class Glyphs
{
    private static final int SUPERSAMPLING = 4;

    private final int classes;
    private final int imagesPerClass;
    private final int size;
    private final long seed;
    private final double pointJitter;
    private final double maxRotation;
    private final double maxShift;

    /**
     * @param classes number of classes
     * @param imagesPerClass images drawn per class
     * @param size images are {@code size × size}
     * @param seed the seed; the same seed gives the same images
     * @param pointJitter standard deviation of the control points' jitter, as a fraction of the image
     * @param maxRotation the largest rotation of an image, in degrees
     * @param maxShift the largest shift of an image in x and in y, as a fraction of the image
     */
    public Glyphs(int classes, int imagesPerClass, int size, long seed, double pointJitter, double maxRotation, double maxShift)
    {
        if (classes < 1 || imagesPerClass < 1 || size < 4) {
            throw new IllegalArgumentException("Glyphs need at least 1 class, 1 image per class and a size of 4, got " + classes + ", " + imagesPerClass + ", " + size);
        }
        this.classes = classes;
        this.imagesPerClass = imagesPerClass;
        this.size = size;
        this.seed = seed;
        this.pointJitter = pointJitter;
        this.maxRotation = maxRotation;
        this.maxShift = maxShift;
    }

    public ImageDataset generate()
    {
        ImageShape shape = new ImageShape(1, size, size);
        List<ImageClass> list = IntStream.range(0, classes).parallel().mapToObj(index -> drawClass(index, shape)).toList();
        return new ImageDataset("glyphs", shape, Normalization.unit(1), list);
    }

    private ImageClass drawClass(int index, ImageShape shape)
    {
        // one stream per class: a class's images do not depend on how many classes there are
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        int strokes = 2 + random.nextInt(3);
        double[][] points = new double[strokes][8];
        double[] widths = new double[strokes];
        for (int s = 0; s < strokes; s++) {
            for (int k = 0; k < 8; k++) {
                points[s][k] = 0.15 + 0.7 * random.nextDouble();
            }
            widths[s] = 0.06 + 0.04 * random.nextDouble();
        }
        byte[] pixels = new byte[imagesPerClass * shape.size()];
        for (int image = 0; image < imagesPerClass; image++) {
            System.arraycopy(drawImage(points, widths, random), 0, pixels, image * shape.size(), shape.size());
        }
        String name = String.format("glyph%05d", index);
        return new ImageClass(name, name, shape, pixels);
    }

    private byte[] drawImage(double[][] points, double[] widths, SplittableRandom random)
    {
        int canvas = size * SUPERSAMPLING;
        BufferedImage image = new BufferedImage(canvas, canvas, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            graphics.setColor(Color.WHITE);
            double angle = Math.toRadians((2 * random.nextDouble() - 1) * maxRotation);
            double scale = 0.9 + 0.2 * random.nextDouble();
            double shear = 0.2 * random.nextDouble() - 0.1;
            double shiftX = (2 * random.nextDouble() - 1) * maxShift;
            double shiftY = (2 * random.nextDouble() - 1) * maxShift;
            AffineTransform transform = new AffineTransform();
            transform.scale(canvas, canvas);
            transform.translate(0.5 + shiftX, 0.5 + shiftY);
            transform.rotate(angle);
            transform.shear(shear, 0);
            transform.scale(scale, scale);
            transform.translate(-0.5, -0.5);
            double widthScale = 0.8 + 0.4 * random.nextDouble();
            for (int s = 0; s < points.length; s++) {
                double[] p = new double[8];
                for (int k = 0; k < 8; k++) {
                    p[k] = points[s][k] + pointJitter * random.nextGaussian();
                }
                CubicCurve2D curve = new CubicCurve2D.Double(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
                graphics.setStroke(new BasicStroke((float) (widths[s] * widthScale * canvas), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                graphics.draw(transform.createTransformedShape(curve));
            }
        }
        finally {
            graphics.dispose();
        }
        byte[] large = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        return Images.resizeBytes(large, 1, canvas, canvas, size, size);
    }
}
