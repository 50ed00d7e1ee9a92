package org.atnas.core.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.atnas.api.ImageShape;

/** Data sets shipped as binary files: IDX (MNIST, Fashion-MNIST), CIFAR-10's binary batches and SVHN's MAT-files. */
public final class BinaryDatasets
{
    private static final int IDX_IMAGES = 0x00000803;
    private static final int IDX_LABELS = 0x00000801;
    private static final int IDX_IMAGE_HEADER = 16;
    private static final int IDX_LABEL_HEADER = 8;
    /** Deflate's best case: 258 bytes from about 2 bits, so no gzip stream inflates to more than 1032 times its size. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final int CIFAR_SIDE = 32;
    private static final int CIFAR_RECORD = 1 + 3 * CIFAR_SIDE * CIFAR_SIDE;

    private BinaryDatasets() {}

    /**
     * Every {@code *-images-idx3-ubyte} file of a folder with its {@code *-labels-idx1-ubyte} partner
     * (each plain or {@code .gz}); one class per label value (named by the value), images resized to
     * {@code size × size}, stored as read (MNIST digits are already ink on black).
     */
    public static ImageDataset idx(Path folder, int size)
    {
        return idx(folder, size, "", name -> true);
    }

    /**
     * As {@link #idx(Path, int)}, reading only the image files whose name {@code files} accepts:
     * a training or a test set of its own.
     *
     * @param kind how an error names these files, for example {@code " of the test set (t10k-*)"}
     */
    public static ImageDataset idx(Path folder, int size, String kind, Predicate<String> files)
    {
        List<Path> imageFiles = dataFiles(folder, name -> name.contains("-images-idx3-ubyte") && files.test(name),
                "*-images-idx3-ubyte[.gz] and *-labels-idx1-ubyte[.gz] files", "*-images-idx3-ubyte[.gz] file" + kind);
        Map<Integer, ByteArrayOutputStream> byLabel = new TreeMap<>();
        int side = -1;
        for (Path imageFile : imageFiles) {
            String labelName = imageFile.getFileName().toString().replace("-images-idx3-ubyte", "-labels-idx1-ubyte");
            Path labelFile = folder.resolve(labelName);
            if (!Files.isRegularFile(labelFile)) {
                throw new DataException("IDX images [" + imageFile + "] have no labels file [" + labelFile + "]");
            }
            try (DataInputStream images = open(imageFile); DataInputStream labels = open(labelFile)) {
                int magic = images.readInt();
                if (magic != IDX_IMAGES) {
                    throw new DataException("[" + imageFile + "] is not an IDX image file: magic number 0x" + Integer.toHexString(magic) + ", expected 0x803");
                }
                int count = images.readInt();
                int rows = images.readInt();
                int columns = images.readInt();
                if (labels.readInt() != IDX_LABELS) {
                    throw new DataException("[" + labelFile + "] is not an IDX label file: expected magic number 0x801");
                }
                int labelCount = labels.readInt();
                if (count < 0 || rows < 1 || columns < 1) {
                    throw new DataException("[" + imageFile + "] declares " + count + " images of " + rows + "x" + columns + " pixels; expected a count of 0 or more and sides of 1 or more");
                }
                if (labelCount != count) {
                    throw new DataException("[" + imageFile + "] holds " + count + " images but [" + labelFile + "] " + labelCount + " labels");
                }
                if (rows != columns || (side != -1 && side != rows)) {
                    throw new DataException("[" + imageFile + "] holds " + rows + "x" + columns + " images; expected square images of one size");
                }
                // both sides are positive ints, so their product fits a long; the count times it may not
                long imageBytes = (long) rows * columns;
                long declared = multiplyExact(imageFile, count, imageBytes);
                checkDeclared(imageFile, declared, IDX_IMAGE_HEADER, count + " images of " + rows + "x" + columns + " pixels (" + declared + " bytes)");
                checkDeclared(labelFile, count, IDX_LABEL_HEADER, count + " labels");
                if (imageBytes > Images.MAX_PIXELS) {
                    throw new DataException("[" + imageFile + "] holds " + rows + "x" + columns + " images; expected at most " + Images.MAX_PIXELS + " pixels per image");
                }
                side = rows;
                for (int i = 0; i < count; i++) {
                    // grows with the bytes that arrive: a gzip file that holds less than it declares ends early instead
                    byte[] image = images.readNBytes((int) imageBytes);
                    if (image.length < imageBytes) {
                        throw new DataException("[" + imageFile + "] ends within image " + i + " of the " + count + " it declares: the file is truncated");
                    }
                    int label = labels.readUnsignedByte();
                    byLabel.computeIfAbsent(label, key -> new ByteArrayOutputStream()).writeBytes(Images.resizeBytes(image, 1, rows, columns, size, size));
                }
            }
            catch (EOFException e) {
                throw new DataException("[" + imageFile + "] or its labels end early: the file is truncated", e);
            }
            catch (ZipException e) {
                throw new DataException("[" + imageFile + "] or its labels [" + labelFile + "] hold corrupt gzip data: " + e.getMessage(), e);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot read [" + imageFile + "]: " + e.getMessage(), e);
            }
        }
        ImageShape shape = new ImageShape(1, size, size);
        List<ImageClass> classes = new ArrayList<>();
        byLabel.forEach((label, pixels) -> classes.add(new ImageClass(Integer.toString(label), Integer.toString(label), shape, pixels.toByteArray())));
        return new ImageDataset("idx", shape, Normalization.unit(1), classes);
    }

    /**
     * CIFAR-10's binary version: {@code data_batch_*.bin} and {@code test_batch.bin} in a folder
     * (records of 1 label byte and 3,072 bytes of 32×32 RGB planes), class names from
     * {@code batches.meta.txt} when present. Resized to {@code size × size}, normalised per channel.
     */
    public static ImageDataset cifar10(Path folder, int size)
    {
        return cifar10(folder, size, "", name -> true);
    }

    /**
     * As {@link #cifar10(Path, int)}, reading only the batches whose file name {@code files} accepts.
     *
     * @param kind how an error names these files, for example {@code " of the test set (test_batch*)"}
     */
    public static ImageDataset cifar10(Path folder, int size, String kind, Predicate<String> files)
    {
        List<Path> batches = dataFiles(folder, name -> name.endsWith(".bin") && (name.startsWith("data_batch") || name.startsWith("test_batch")) && files.test(name),
                "data_batch_*.bin and test_batch.bin", "CIFAR-10 batch (data_batch_*.bin, test_batch.bin)" + kind);
        List<String> names = new ArrayList<>();
        Path meta = folder.resolve("batches.meta.txt");
        try {
            if (Files.isRegularFile(meta)) {
                Files.readAllLines(meta, StandardCharsets.UTF_8).stream().map(String::strip).filter(line -> !line.isEmpty()).forEach(names::add);
            }
        }
        catch (CharacterCodingException e) {
            throw new DataException("[" + meta + "] is not UTF-8 text: " + e.getMessage(), e);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read [" + meta + "]: " + e.getMessage(), e);
        }
        Map<Integer, ByteArrayOutputStream> byLabel = new TreeMap<>();
        for (Path batch : batches) {
            // record by record: a batch is never held whole, whatever its size
            try (InputStream in = new BufferedInputStream(Files.newInputStream(batch), 1 << 16)) {
                long length = Files.size(batch);
                if (length % CIFAR_RECORD != 0) {
                    throw new DataException("[" + batch + "] is " + length + " bytes, not a whole number of " + CIFAR_RECORD + "-byte CIFAR-10 records");
                }
                for (long record = 0; record < length / CIFAR_RECORD; record++) {
                    byte[] data = in.readNBytes(CIFAR_RECORD);
                    if (data.length < CIFAR_RECORD) {
                        throw new DataException("[" + batch + "] ends within record " + record + ": the file changed while it was read");
                    }
                    int label = data[0] & 0xFF;
                    if (label > 9) {
                        throw new DataException("[" + batch + "] record " + record + " has label " + label + ", expected 0..9");
                    }
                    byte[] image = Arrays.copyOfRange(data, 1, CIFAR_RECORD);
                    byLabel.computeIfAbsent(label, key -> new ByteArrayOutputStream()).writeBytes(Images.resizeBytes(image, 3, CIFAR_SIDE, CIFAR_SIDE, size, size));
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot read [" + batch + "]: " + e.getMessage(), e);
            }
        }
        ImageShape shape = new ImageShape(3, size, size);
        List<ImageClass> classes = new ArrayList<>();
        byLabel.forEach((label, pixels) -> {
            String name = label < names.size() ? names.get(label) : Integer.toString(label);
            classes.add(new ImageClass(name, name, shape, pixels.toByteArray()));
        });
        return new ImageDataset("cifar10", shape, ChannelStatistics.normalizationOf(classes, shape), classes);
    }

    /**
     * SVHN's cropped digits (format 2): the MAT-files {@code train_32x32.mat} and
     * {@code test_32x32.mat} (and {@code extra_32x32.mat} if {@code files} accepts it), each with
     * {@code X}, 32×32×3×N bytes, and {@code y}, N labels 1..10, where 10 is the digit 0. Classes
     * are named after the digits, 0 to 9.
     *
     * @param kind how an error names these files, for example {@code " of the test set (test_32x32.mat)"}
     */
    public static ImageDataset svhn(Path folder, int size, String kind, Predicate<String> files)
    {
        List<Path> matFiles = dataFiles(folder, name -> name.endsWith("_32x32.mat") && files.test(name),
                "train_32x32.mat and test_32x32.mat", "SVHN MAT-file (train_32x32.mat, test_32x32.mat)" + kind);
        Map<Integer, ByteArrayOutputStream> byDigit = new TreeMap<>();
        int plane = CIFAR_SIDE * CIFAR_SIDE;
        for (Path file : matFiles) {
            Map<String, MatFile.Array> arrays = MatFile.read(file, java.util.Set.of("X", "y"));
            MatFile.Array images = arrays.get("X");
            MatFile.Array labels = arrays.get("y");
            if (images == null || labels == null) {
                throw new DataException("[" + file + "] has no numeric " + (images == null ? "X" : "y") + " variable; SVHN's files hold X (32x32x3xN images) and y (N labels)");
            }
            int[] shape = images.dimensions();
            if (shape.length != 4 || shape[0] != CIFAR_SIDE || shape[1] != CIFAR_SIDE || shape[2] != 3 || !images.isBytes()) {
                throw new DataException("[" + file + "] X is a" + (images.isBytes() ? "n " : " non-byte ") + images + ", expected bytes of [32, 32, 3, N]");
            }
            int count = shape[3];
            if (labels.size() != count) {
                throw new DataException("[" + file + "] has " + count + " images in X but " + labels.size() + " labels in y");
            }
            byte[] pixels = new byte[3 * plane];
            for (int n = 0; n < count; n++) {
                double label = labels.value(n);
                if (label != Math.rint(label) || label < 1 || label > 10) {
                    throw new DataException("[" + file + "] label " + n + " is " + label + ", expected 1..10 (10 is the digit 0)");
                }
                // MATLAB is column-major: X(row, column, channel, n) is at row + 32 (column + 32 (channel + 3 n))
                for (int channel = 0; channel < 3; channel++) {
                    for (int column = 0; column < CIFAR_SIDE; column++) {
                        int from = CIFAR_SIDE * (column + CIFAR_SIDE * (channel + 3 * n));
                        for (int row = 0; row < CIFAR_SIDE; row++) {
                            pixels[channel * plane + row * CIFAR_SIDE + column] = images.data().get(from + row);
                        }
                    }
                }
                byDigit.computeIfAbsent((int) label % 10, key -> new ByteArrayOutputStream()).writeBytes(Images.resizeBytes(pixels, 3, CIFAR_SIDE, CIFAR_SIDE, size, size));
            }
        }
        ImageShape shape = new ImageShape(3, size, size);
        List<ImageClass> classes = new ArrayList<>();
        byDigit.forEach((digit, pixels) -> classes.add(new ImageClass(Integer.toString(digit), Integer.toString(digit), shape, pixels.toByteArray())));
        return new ImageDataset("svhn", shape, ChannelStatistics.normalizationOf(classes, shape), classes);
    }

    private static DataInputStream open(Path file)
            throws IOException
    {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (!isGzip(file)) {
            return new DataInputStream(in);
        }
        try {
            return new DataInputStream(new GZIPInputStream(in, 1 << 16));
        }
        catch (ZipException | EOFException e) {
            in.close();
            throw new DataException("[" + file + "] is not a gzip file: " + (e.getMessage() == null ? "it ends early" : e.getMessage()), e);
        }
        catch (IOException e) {
            in.close();
            throw e;
        }
    }

    private static boolean isGzip(Path file)
    {
        return file.getFileName().toString().endsWith(".gz");
    }

    /**
     * Refuses a file whose header declares more data than the file can hold: exactly its length after
     * the header when plain; when gzipped, at most what deflate's best ratio inflates its length to.
     */
    private static void checkDeclared(Path file, long declaredBytes, int headerBytes, String declared)
            throws IOException
    {
        long length = Files.size(file);
        if (isGzip(file)) {
            long inflated = length * MAX_DEFLATE_RATIO;
            if (declaredBytes > inflated) {
                throw new DataException("[" + file + "] declares " + declared + ", more than its " + length + " bytes of gzip data can inflate to (" + inflated + ")");
            }
        }
        else if (declaredBytes != length - headerBytes) {
            throw new DataException("[" + file + "] declares " + declared + " but holds " + (length - headerBytes) + " bytes after its " + headerBytes + "-byte header");
        }
    }

    private static long multiplyExact(Path file, int count, long imageBytes)
    {
        try {
            return Math.multiplyExact(count, imageBytes);
        }
        catch (ArithmeticException e) {
            throw new DataException("[" + file + "] declares " + count + " images of " + imageBytes + " bytes, more bytes than a long counts", e);
        }
    }

    /**
     * The data set's files in {@code folder}, in name order.
     *
     * @param expected what the folder should hold, for the message when it is missing
     * @param missing what no file was found of, for the message when none matches
     */
    private static List<Path> dataFiles(Path folder, Predicate<String> name, String expected, String missing)
    {
        if (!Files.isDirectory(folder)) {
            throw new DataException("Data path [" + folder + "] does not exist or is not a folder (expected " + expected + ")");
        }
        List<Path> found = list(folder, name);
        if (found.isEmpty()) {
            throw new DataException("Data folder [" + folder + "] holds no " + missing);
        }
        return found;
    }

    private static List<Path> list(Path folder, Predicate<String> name)
    {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).filter(path -> name.test(path.getFileName().toString())).sorted().toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list [" + folder + "]: " + e.getMessage(), e);
        }
    }
}
