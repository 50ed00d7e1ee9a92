package org.atnas.core.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Small data sets the tests write themselves, and the shared data that some tests read. */
final class Fixtures
{
    static final Path OMNIGLOT = Path.of("../../shared/data/omniglot");

    private Fixtures() {}

    /** A PNG of {@code size × size} with a filled square of {@code colour} at (x, y) of side {@code side} on white. */
    static byte[] png(int size, int x, int y, int side, Color colour)
    {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, size, size);
        graphics.setColor(colour);
        graphics.fillRect(x, y, side, side);
        graphics.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void write(Path file, byte[] data)
    {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, data);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A zip of the given entries (name to bytes), in the given order. */
    static Path zip(Path file, Map<String, byte[]> entries)
    {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The shared Omniglot subsets; a test that needs them fails under CI=true when they are missing, and is skipped elsewhere. */
    static Path sharedOmniglot(String name)
    {
        Path zip = OMNIGLOT.resolve(name);
        if (!Files.isRegularFile(zip)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but the shared Omniglot data is missing: " + zip.toAbsolutePath());
            }
            assumeTrue(false, "no Omniglot data at " + zip.toAbsolutePath());
        }
        return zip;
    }
}
