package org.atnas.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.atnas.api.ImageShape;

/**
 * Mini-ImageNet in its usual release: {@code train.csv}, {@code val.csv}, {@code test.csv} (header
 * {@code filename,label}) and an {@code images/} folder. A class is a label; its group is the CSV it
 * is listed in ({@code train}, {@code val}, {@code test}), which is the standard class split.
 */
public final class MiniImageNet
{
    public static final List<String> SPLITS = List.of("train", "val", "test");

    private MiniImageNet() {}

    /**
     * Reads the three CSVs and their images, resized to {@code size × size} RGB, normalised per
     * channel with the data set's own statistics.
     *
     * @throws DataException naming the CSV and line of a row whose image is missing, or a malformed CSV
     */
    public static ImageDataset load(Path root, int size)
    {
        if (!Files.isDirectory(root)) {
            throw new DataException("Data path [" + root + "] does not exist or is not a folder (expected train.csv, val.csv, test.csv and images/)");
        }
        Path images = root.resolve("images");
        Map<String, List<Path>> byLabel = new LinkedHashMap<>();
        Map<String, String> groups = new LinkedHashMap<>();
        for (String split : SPLITS) {
            Path csv = root.resolve(split + ".csv");
            if (!Files.isRegularFile(csv)) {
                throw new DataException("Mini-ImageNet file [" + csv + "] does not exist");
            }
            try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                String header = reader.readLine();
                if (header == null || !header.strip().equals("filename,label")) {
                    throw new DataException("[" + csv + "] line 1: expected the header filename,label, got [" + header + "]");
                }
                String line;
                for (int number = 2; (line = reader.readLine()) != null; number++) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] cells = line.strip().split(",", -1);
                    if (cells.length != 2 || cells[0].isEmpty() || cells[1].isEmpty()) {
                        throw new DataException("[" + csv + "] line " + number + ": expected filename,label, got [" + line + "]");
                    }
                    Path image;
                    try {
                        image = images.resolve(cells[0]).normalize();
                    }
                    catch (InvalidPathException e) {
                        throw new DataException("[" + csv + "] line " + number + " names image [" + cells[0] + "], which is not a valid path: " + e.getReason(), e);
                    }
                    if (!image.startsWith(images.normalize()) || !Files.isRegularFile(image)) {
                        throw new DataException("[" + csv + "] line " + number + " names image [" + cells[0] + "], which is not in [" + images + "]");
                    }
                    String previous = groups.putIfAbsent(cells[1], split);
                    if (previous != null && !previous.equals(split)) {
                        throw new DataException("[" + csv + "] line " + number + ": label " + cells[1] + " is also listed in " + previous + ".csv; a class belongs to one split");
                    }
                    byLabel.computeIfAbsent(cells[1], key -> new ArrayList<>()).add(image);
                }
            }
            catch (CharacterCodingException e) {
                throw new DataException("[" + csv + "] is not UTF-8 text: " + e.getMessage(), e);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot read [" + csv + "]: " + e.getMessage(), e);
            }
        }
        ImageShape shape = new ImageShape(3, size, size);
        List<ImageClass> classes = new ArrayList<>();
        for (Map.Entry<String, List<Path>> entry : byLabel.entrySet()) {
            List<byte[]> decoded = entry.getValue().parallelStream().map(path -> {
                try {
                    long length = Files.size(path);
                    if (length > ImageFiles.MAX_FILE_BYTES) {
                        throw new DataException("Image file [" + path + "] is " + length + " bytes; expected at most " + ImageFiles.MAX_FILE_BYTES + " bytes");
                    }
                    return Images.toBytes(Images.decode(Files.readAllBytes(path), path.toString()), 3, size, size, false);
                }
                catch (IOException e) {
                    throw new UncheckedIOException("Cannot read image [" + path + "]: " + e.getMessage(), e);
                }
            }).toList();
            long bytes = (long) decoded.size() * shape.size();
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new DataException("Mini-ImageNet class [" + entry.getKey() + "] of [" + root + "] holds " + decoded.size() + " images of " + shape + ", " + bytes
                        + " bytes; expected at most " + (Integer.MAX_VALUE - 8) + " bytes per class (a smaller image size)");
            }
            byte[] pixels = new byte[(int) bytes];
            for (int i = 0; i < decoded.size(); i++) {
                System.arraycopy(decoded.get(i), 0, pixels, i * shape.size(), shape.size());
            }
            classes.add(new ImageClass(entry.getKey(), groups.get(entry.getKey()), shape, pixels));
        }
        return new ImageDataset("mini-imagenet", shape, ChannelStatistics.normalizationOf(classes, shape), classes);
    }
}
