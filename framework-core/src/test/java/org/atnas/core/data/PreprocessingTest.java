package org.atnas.core.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PreprocessingTest
{
    /** What a search on Omniglot at 28×28 records. */
    private static final Preprocessing OMNIGLOT_28 = new Preprocessing(1, 28, 28, true, Preprocessing.AREA_AVERAGE, new float[] {0}, new float[] {1});

    @TempDir
    Path temporary;

    /** A glyph (two strokes) drawn black on white on a canvas of {@code size}, in the image type given. */
    static BufferedImage glyph(int size, int type, boolean antialias)
    {
        BufferedImage image = new BufferedImage(size, size, type);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, size, size);
        if (antialias) {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        }
        double scale = size / 105.0;
        graphics.scale(scale, scale);
        graphics.setColor(Color.BLACK);
        graphics.setStroke(new BasicStroke(9f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D stroke = new Path2D.Double();
        stroke.moveTo(20, 80);
        stroke.curveTo(30, 10, 70, 10, 85, 75);
        graphics.draw(stroke);
        graphics.drawLine(30, 55, 80, 50);
        graphics.dispose();
        return image;
    }

    static byte[] png(BufferedImage image)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void aOneBitDrawingAt105AndAGreyDrawingAt28GiveTheSameInput()
            throws IOException
    {
        byte[] oneBit = png(glyph(105, BufferedImage.TYPE_BYTE_BINARY, false));
        byte[] grey = png(glyph(28, BufferedImage.TYPE_BYTE_GRAY, true));
        // really a 1-bit PNG: bit depth 1 in the IHDR chunk
        assertThat(oneBit[24]).isEqualTo((byte) 1);

        float[] large = OMNIGLOT_28.apply(oneBit, "one-bit.png");
        float[] small = OMNIGLOT_28.apply(grey, "grey.png");

        assertThat(large).hasSize(28 * 28);
        assertThat(small).hasSize(28 * 28);
        double sumOfDifferences = 0;
        double ink = 0;
        for (int i = 0; i < large.length; i++) {
            assertThat(large[i]).as("pixel %d", i).isCloseTo(small[i], within(0.5f));
            sumOfDifferences += Math.abs(large[i] - small[i]);
            ink += large[i];
        }
        assertThat(sumOfDifferences / large.length).isLessThan(0.05);
        // ink is 1 and paper 0, as Omniglot is stored: the strokes cover a minority of the image
        assertThat(ink / large.length).isBetween(0.05, 0.4);
        assertThat(large[0]).isEqualTo(0f);
    }

    @Test
    void anyCommonFormatDecodes()
            throws IOException
    {
        BufferedImage rgb = glyph(105, BufferedImage.TYPE_INT_RGB, true);
        float[] reference = OMNIGLOT_28.apply(png(rgb), "a.png");
        for (String format : new String[] {"gif", "bmp", "jpeg"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(ImageIO.write(rgb, format, out)).isTrue();
            float[] decoded = OMNIGLOT_28.apply(out.toByteArray(), "a." + format);
            for (int i = 0; i < reference.length; i++) {
                assertThat(decoded[i]).as(format + " pixel %d", i).isCloseTo(reference[i], within(0.1f));
            }
        }
    }

    @Test
    void normalisesPerChannelAsTheLoaders()
            throws IOException
    {
        Preprocessing rgb = new Preprocessing(3, 2, 2, false, Preprocessing.AREA_AVERAGE, new float[] {0.5f, 0.25f, 0f}, new float[] {0.5f, 0.25f, 2f});
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, 0xFF00FF);
            }
        }
        assertThat(rgb.apply(png(image), "magenta.png")).containsExactly(1f, 1f, 1f, 1f, -1f, -1f, -1f, -1f, 0.5f, 0.5f, 0.5f, 0.5f);
    }

    @Test
    void roundTripsThroughJson()
            throws IOException
    {
        Path file = temporary.resolve(Preprocessing.FILE);
        Files.writeString(file, OMNIGLOT_28.toJson());
        assertThat(Preprocessing.read(file)).isEqualTo(OMNIGLOT_28);
        assertThat(Files.readString(file)).contains("\"inverted\" : true", "\"resize\" : \"area-average\"");
    }

    @Test
    void ofADatasetTakesItsShapeNormalisationAndInk()
    {
        ImageDataset glyphs = new Glyphs(10, 2, 14, 0, 0.04, 15, 0.12).generate();
        assertThat(Preprocessing.of(glyphs)).isEqualTo(new Preprocessing(1, 14, 14, true, Preprocessing.AREA_AVERAGE, new float[] {0}, new float[] {1}));
    }

    @Test
    void refusesWhatIsNotAnImage()
    {
        assertThatThrownBy(() -> OMNIGLOT_28.apply("not an image".getBytes(), "notes.png"))
                .isInstanceOf(DataException.class)
                .hasMessage("Cannot decode image [notes.png]: not a PNG or JPEG image");
        assertThatThrownBy(() -> new Preprocessing(2, 28, 28, true, Preprocessing.AREA_AVERAGE, new float[] {0, 0}, new float[] {1, 1}))
                .hasMessage("Preprocessing channels must be 1 or 3, got 2");
    }
}
