package org.atnas.core.data;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded mutations of valid files (flipped bytes, truncations, changed header numbers, appended
 * bytes): every reader either reads the file or throws a {@link DataException} naming it, never
 * anything else, and never allocates what a header merely declares.
 */
class DataReadersFuzzTest
{
    @TempDir
    Path directory;

    @Test
    @Timeout(60)
    void idxFiles()
            throws IOException
    {
        byte[][] plain = idx();
        byte[][] gzipped = {gzip(plain[0]), gzip(plain[1])};
        fuzz("IDX", 2_000, (random, iteration) -> {
            boolean gzip = iteration % 2 == 1;
            Path folder = directory.resolve(gzip ? "idx-gzip" : "idx");
            String suffix = gzip ? ".gz" : "";
            Path images = folder.resolve("train-images-idx3-ubyte" + suffix);
            Path labels = folder.resolve("train-labels-idx1-ubyte" + suffix);
            byte[][] valid = gzip ? gzipped : plain;
            boolean mutateImages = random.nextInt(3) > 0;
            // the header's numbers are what a crafted file lies about: mutate them before compressing
            byte[] imageBytes = mutateImages ? (gzip && random.nextBoolean() ? gzip(mutate(plain[0], random, 16)) : mutate(valid[0], random, 16)) : valid[0];
            byte[] labelBytes = mutateImages ? valid[1] : (gzip && random.nextBoolean() ? gzip(mutate(plain[1], random, 8)) : mutate(valid[1], random, 8));
            Fixtures.write(images, imageBytes);
            Fixtures.write(labels, labelBytes);
            return new Attempt(() -> BinaryDatasets.idx(folder, 4), List.of(images.toString(), labels.toString()));
        });
    }

    @Test
    @Timeout(60)
    void cifarBatches()
            throws IOException
    {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int record = 0; record < 3; record++) {
            batch.write(record);
            batch.write(new byte[3072], 0, 3072);
        }
        byte[] valid = batch.toByteArray();
        fuzz("CIFAR-10", 2_000, (random, iteration) -> {
            Path folder = directory.resolve("cifar");
            Path file = folder.resolve("data_batch_1.bin");
            byte[] bytes = valid.clone();
            switch (random.nextInt(3)) {
                case 0 -> bytes[3073 * random.nextInt(3)] = (byte) random.nextInt(256);
                case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
                default -> bytes = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(3073));
            }
            Fixtures.write(file, bytes);
            return new Attempt(() -> BinaryDatasets.cifar10(folder, 8), List.of(file.toString()));
        });
    }

    @Test
    @Timeout(60)
    void images()
            throws IOException
    {
        byte[] png = Fixtures.png(12, 2, 2, 6, Color.RED);
        BufferedImage picture = new BufferedImage(12, 12, BufferedImage.TYPE_INT_RGB);
        picture.setRGB(3, 3, 0xFF00FF);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(picture, "jpg", jpeg);
        byte[][] valid = {png, jpeg.toByteArray()};
        fuzz("image", 3_000, (random, iteration) -> {
            byte[] bytes = mutate(valid[iteration % 2], random, 24);
            String source = "fuzz-" + iteration + (iteration % 2 == 0 ? ".png" : ".jpg");
            return new Attempt(() -> Images.toBytes(Images.decode(bytes, source), 3, 8, 8, false), List.of(source));
        });
    }

    @Test
    @Timeout(60)
    void imageZips()
    {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("bg/Greek/character01/1.png", Fixtures.png(10, 0, 0, 5, Color.BLACK));
        entries.put("bg/Greek/character02/1.png", Fixtures.png(10, 5, 5, 5, Color.BLACK));
        byte[] valid;
        try {
            valid = Files.readAllBytes(Fixtures.zip(directory.resolve("valid.zip"), entries));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fuzz("zip", 2_000, (random, iteration) -> {
            Path zip = directory.resolve("fuzz.zip");
            Fixtures.write(zip, mutate(valid, random, 30));
            return new Attempt(() -> FolderDatasets.omniglot(List.of(zip), 8), List.of(zip.toString()));
        });
    }

    @Test
    @Timeout(60)
    void miniImageNetCsvs()
            throws IOException
    {
        Path root = directory.resolve("mini");
        for (String name : List.of("a", "b", "c")) {
            Fixtures.write(root.resolve("images/" + name + ".png"), Fixtures.png(8, 0, 0, 4, Color.GREEN));
        }
        Files.writeString(root.resolve("train.csv"), "filename,label\na.png,n01\n");
        Files.writeString(root.resolve("val.csv"), "filename,label\nb.png,n02\n");
        byte[] valid = "filename,label\nc.png,n03\nc.png,n03\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path csv = root.resolve("test.csv");
        fuzz("Mini-ImageNet CSV", 1_000, (random, iteration) -> {
            byte[] bytes = valid.clone();
            switch (random.nextInt(4)) {
                case 0 -> bytes = mutate(bytes, random, 0);
                case 1 -> {
                    String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                    int at = 15 + random.nextInt(text.length() - 15);
                    String insert = List.of(",", "../", "/", "\u0000", "\n", "\r\n", "\"", "a.png", "\u00e9").get(random.nextInt(9));
                    bytes = (text.substring(0, at) + insert + text.substring(at)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                case 2 -> bytes[random.nextInt(bytes.length)] = (byte) (0x80 | random.nextInt(128));
                default -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            Fixtures.write(csv, bytes);
            return new Attempt(() -> MiniImageNet.load(root, 8), List.of(csv.toString(), root.toString()));
        });
    }

    private record Attempt(Runnable read, List<String> files) {}

    private interface Case
    {
        Attempt next(Random random, int iteration)
                throws IOException;
    }

    private static void fuzz(String reader, int iterations, Case fuzzCase)
    {
        Random random = new Random(18);
        int read = 0;
        for (int iteration = 0; iteration < iterations; iteration++) {
            Attempt attempt;
            try {
                attempt = fuzzCase.next(random, iteration);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                attempt.read().run();
                read++;
            }
            catch (DataException e) {
                assertThat(e.getMessage()).as("%s iteration %s", reader, iteration).containsAnyOf(attempt.files().toArray(String[]::new));
            }
            catch (Throwable e) {
                fail(reader + " iteration " + iteration + " threw " + e, e);
            }
        }
        assertThat(read).as("%s mutations that still read", reader).isLessThan(iterations);
    }

    /** Flips bits, truncates, appends, or writes an extreme number into the first {@code header} bytes. */
    private static byte[] mutate(byte[] valid, Random random, int header)
    {
        byte[] bytes = valid.clone();
        switch (random.nextInt(header > 0 ? 4 : 3)) {
            case 0 -> {
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2 -> bytes = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(64));
            default -> {
                int at = 4 * random.nextInt(Math.min(header, bytes.length) / 4);
                int value = List.of(-1, 0, 1, 65535, Integer.MAX_VALUE, Integer.MIN_VALUE, random.nextInt()).get(random.nextInt(7));
                ByteBuffer.wrap(bytes).putInt(at, value);
            }
        }
        return bytes;
    }

    private static byte[][] idx()
            throws IOException
    {
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        try (DataOutputStream imageOut = new DataOutputStream(images); DataOutputStream labelOut = new DataOutputStream(labels)) {
            imageOut.writeInt(0x803);
            imageOut.writeInt(3);
            imageOut.writeInt(4);
            imageOut.writeInt(4);
            labelOut.writeInt(0x801);
            labelOut.writeInt(3);
            for (int i = 0; i < 3; i++) {
                byte[] image = new byte[16];
                image[i] = (byte) 200;
                imageOut.write(image);
                labelOut.writeByte(i % 2);
            }
        }
        return new byte[][] {images.toByteArray(), labels.toByteArray()};
    }

    private static byte[] gzip(byte[] bytes)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
