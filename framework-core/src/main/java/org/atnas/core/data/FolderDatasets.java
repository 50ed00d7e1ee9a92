package org.atnas.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.atnas.core.Progress;
import org.atnas.api.ImageShape;

/**
 * Data sets stored as a folder per class, read from folders or zips: Omniglot
 * ({@code <Alphabet>/<characterNN>/*.png}) and generic image folders ({@code <class>/*.png|jpg}).
 */
public final class FolderDatasets
{
    private FolderDatasets() {}

    /**
     * Omniglot from the official zips ({@code images_background.zip}, ...) or their extracted
     * folders. A class is an alphabet's character (named {@code Alphabet/characterNN}, grouped by
     * alphabet); the same character found in several sources is one class (their images merged by
     * file name). Images are resized to {@code size × size} by area averaging, with ink = 1.0.
     */
    public static ImageDataset omniglot(List<Path> sources, int size)
    {
        return omniglot(sources, size, Progress.NONE);
    }

    /** As {@link #omniglot(List, int)}, reporting each decoded image to {@code progress}. */
    public static ImageDataset omniglot(List<Path> sources, int size, Progress progress)
    {
        Map<String, Map<String, ImageFiles.ImageFile>> byClass = new TreeMap<>();
        Map<String, String> groups = new LinkedHashMap<>();
        for (Path source : sources) {
            for (ImageFiles.ImageFile file : ImageFiles.read(source)) {
                List<String> folders = file.folders();
                if (folders.size() < 2) {
                    throw new DataException("Omniglot image [" + file.source() + "] is not in an <Alphabet>/<character>/ folder");
                }
                String alphabet = folders.get(folders.size() - 2);
                String className = alphabet + "/" + folders.get(folders.size() - 1);
                groups.put(className, alphabet);
                byClass.computeIfAbsent(className, key -> new TreeMap<>()).putIfAbsent(file.fileName(), file);
            }
        }
        if (byClass.isEmpty()) {
            throw new DataException("No Omniglot image (.png) found in " + sources);
        }
        ImageShape shape = new ImageShape(1, size, size);
        List<ImageClass> classes = decodeClasses(byClass, groups, shape, true, progress);
        return new ImageDataset("omniglot", shape, Normalization.unit(1), classes);
    }

    /**
     * {@code <root>/<class>/*.{png,jpg,jpeg}} (or a zip of that layout), any image size, resized to
     * {@code size × size}; {@code channels} 1 reads luminance, 3 RGB. Normalised per channel with the
     * data set's own mean and standard deviation.
     *
     * @throws DataException if a class folder holds no image or the root holds no class folder
     */
    public static ImageDataset imageFolder(Path root, int size, int channels)
    {
        return imageFolder(root, size, channels, Progress.NONE);
    }

    /** As {@link #imageFolder(Path, int, int)}, reporting each decoded image to {@code progress}. */
    public static ImageDataset imageFolder(Path root, int size, int channels, Progress progress)
    {
        Map<String, Map<String, ImageFiles.ImageFile>> byClass = new TreeMap<>();
        Map<String, String> groups = new LinkedHashMap<>();
        for (ImageFiles.ImageFile file : ImageFiles.read(root)) {
            if (file.folders().isEmpty()) {
                throw new DataException("Image [" + file.source() + "] is not in a class folder; expected <root>/<class>/<image>");
            }
            String className = file.folders().get(0);
            groups.put(className, className);
            byClass.computeIfAbsent(className, key -> new TreeMap<>()).put(String.join("/", file.folders()) + "/" + file.fileName(), file);
        }
        if (Files.isDirectory(root)) {
            try (Stream<Path> children = Files.list(root)) {
                for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
                    if (!byClass.containsKey(child.getFileName().toString())) {
                        throw new DataException("Class folder [" + child + "] holds no image (" + String.join(", ", ImageFiles.EXTENSIONS) + ")");
                    }
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot list data folder [" + root + "]: " + e.getMessage(), e);
            }
        }
        if (byClass.isEmpty()) {
            throw new DataException("Data folder [" + root + "] holds no class folder with images");
        }
        ImageShape shape = new ImageShape(channels, size, size);
        List<ImageClass> classes = decodeClasses(byClass, groups, shape, false, progress);
        return new ImageDataset("image-folder", shape, ChannelStatistics.normalizationOf(classes, shape), classes);
    }

    /** Decodes every class's files (in parallel, keeping order) into byte images. */
    private static List<ImageClass> decodeClasses(Map<String, Map<String, ImageFiles.ImageFile>> byClass, Map<String, String> groups, ImageShape shape, boolean ink,
            Progress progress)
    {
        List<ImageFiles.ImageFile> files = new ArrayList<>();
        byClass.values().forEach(images -> files.addAll(images.values()));
        AtomicLong done = new AtomicLong();
        List<byte[]> decoded = files.parallelStream()
                .map(file -> {
                    byte[] bytes = Images.toBytes(Images.decode(file.data(), file.source()), shape.channels(), shape.height(), shape.width(), ink);
                    progress.update(done.incrementAndGet(), files.size());
                    return bytes;
                })
                .toList();
        List<ImageClass> classes = new ArrayList<>();
        int next = 0;
        for (Map.Entry<String, Map<String, ImageFiles.ImageFile>> entry : byClass.entrySet()) {
            int count = entry.getValue().size();
            byte[] pixels = new byte[count * shape.size()];
            for (int i = 0; i < count; i++) {
                System.arraycopy(decoded.get(next++), 0, pixels, i * shape.size(), shape.size());
            }
            classes.add(new ImageClass(entry.getKey(), groups.get(entry.getKey()), shape, pixels));
        }
        return classes;
    }
}
