package org.atnas.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.atnas.api.ImageBatch;

import static java.util.Objects.requireNonNull;

/**
 * A user's own images, as {@code atnas adapt}, {@code predict} and fixed episodes read them: a
 * folder of class folders (the folder names are the labels) or a folder of images, any common
 * format (PNG including 1-bit, JPEG, GIF, BMP) and any size, brought to a network's input by a
 * {@link Preprocessing}. Files of other types (notes, {@code .DS_Store}) are not images and are
 * passed over; an image file that does not decode is an error naming it.
 */
public final class UserImages
{
    public static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp");

    private UserImages() {}

    /**
     * Images, each with its class if it has one.
     *
     * @param files the files in order
     * @param classes the class names of a labelled set, in label order; empty for images without classes
     * @param labels each file's label (index into {@code classes}), or -1 without classes
     * @param pixels each file's network input, concatenated
     */
    public record Images(List<Path> files, List<String> classes, int[] labels, float[] pixels)
    {
        public Images
        {
            files = List.copyOf(requireNonNull(files, "files is null"));
            classes = List.copyOf(requireNonNull(classes, "classes is null"));
            requireNonNull(labels, "labels is null");
            requireNonNull(pixels, "pixels is null");
        }

        public boolean labelled()
        {
            return !classes.isEmpty();
        }

        public int size()
        {
            return files.size();
        }

        /** The images as a batch of the preprocessing's shape; images without classes get label 0, which a prediction ignores. */
        public ImageBatch batch(Preprocessing preprocessing)
        {
            int[] batchLabels = labels.clone();
            for (int i = 0; i < batchLabels.length; i++) {
                batchLabels[i] = Math.max(0, batchLabels[i]);
            }
            return new ImageBatch(preprocessing.shape(), pixels, batchLabels);
        }
    }

    public static boolean isImage(Path file)
    {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /**
     * A folder of class folders: the support set of a task. Classes in folder-name order.
     *
     * @param role how messages name the folder ({@code Support folder})
     * @throws DataException naming the folder or file: missing folder, no class folder, fewer than 2
     *     classes, a class folder without images, an image that does not decode
     */
    public static Images classFolders(Path folder, String role, Preprocessing preprocessing)
    {
        Map<String, List<Path>> classes = listClasses(folder, role);
        if (classes.isEmpty()) {
            throw new DataException(role + " [" + folder + "] holds no class folder; expected " + folder + "/<class>/<image>");
        }
        if (classes.size() < 2) {
            throw new DataException(role + " [" + folder + "] holds 1 class folder (" + classes.keySet().iterator().next() + "); a task needs at least 2 classes");
        }
        return decode(classes, List.copyOf(classes.keySet()), preprocessing);
    }

    /**
     * The query set: either a folder of class folders (labelled with the support set's classes) or
     * a folder of images (no labels).
     *
     * @param classes the support set's classes, in label order
     * @throws DataException naming the folder or file: missing or empty folder, images next to class
     *     folders, a class the support set lacks, an image that does not decode
     */
    public static Images query(Path folder, List<String> classes, Preprocessing preprocessing)
    {
        String role = "Query folder";
        List<Path> images = listImages(folder, role);
        Map<String, List<Path>> byClass = listClasses(folder, role);
        if (!images.isEmpty() && !byClass.isEmpty()) {
            throw new DataException(role + " [" + folder + "] holds both images and class folders; expected either images or <class>/<image> folders");
        }
        if (images.isEmpty() && byClass.isEmpty()) {
            throw new DataException(role + " [" + folder + "] holds no image (" + String.join(", ", EXTENSIONS) + ") and no class folder");
        }
        if (byClass.isEmpty()) {
            return decode(Map.of("", images), List.of(), preprocessing);
        }
        for (String name : byClass.keySet()) {
            if (!classes.contains(name)) {
                throw new DataException("Query class [" + name + "] (" + folder.resolve(name) + ") is not a class of the support set; its classes: " + String.join(", ", classes));
            }
        }
        return decode(byClass, classes, preprocessing);
    }

    /**
     * Images without classes: files, or the images directly in folders.
     *
     * @throws DataException naming a path that does not exist, a folder without images, or a file that is not a decodable image
     */
    public static Images files(List<Path> paths, Preprocessing preprocessing)
    {
        List<Path> images = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                List<Path> inside = listImages(path, "Image folder");
                if (inside.isEmpty()) {
                    throw new DataException("Image folder [" + path + "] holds no image (" + String.join(", ", EXTENSIONS) + ")");
                }
                images.addAll(inside);
            }
            else if (Files.isRegularFile(path)) {
                images.add(path);
            }
            else {
                throw new DataException("Image [" + path + "] does not exist");
            }
        }
        if (images.isEmpty()) {
            throw new DataException("No image given");
        }
        return decode(Map.of("", images), List.of(), preprocessing);
    }

    private static Images decode(Map<String, List<Path>> byClass, List<String> classes, Preprocessing preprocessing)
    {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        byClass.forEach((name, paths) -> {
            files.addAll(paths);
            paths.forEach(path -> labels.add(classes.isEmpty() ? -1 : classes.indexOf(name)));
        });
        int size = preprocessing.channels() * preprocessing.height() * preprocessing.width();
        float[] pixels = new float[files.size() * size];
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            byte[] data;
            try {
                long length = Files.size(file);
                if (length > ImageFiles.MAX_FILE_BYTES) {
                    throw new DataException("Image file [" + file + "] is " + length + " bytes; expected at most " + ImageFiles.MAX_FILE_BYTES + " bytes");
                }
                data = Files.readAllBytes(file);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot read image [" + file + "]: " + e.getMessage(), e);
            }
            System.arraycopy(preprocessing.apply(data, file.toString()), 0, pixels, i * size, size);
        }
        return new Images(files, classes, labels.stream().mapToInt(Integer::intValue).toArray(), pixels);
    }

    /** The class folders of {@code folder} in name order, each with its images; a class folder without images is an error. */
    private static Map<String, List<Path>> listClasses(Path folder, String role)
    {
        Map<String, List<Path>> classes = new LinkedHashMap<>();
        for (Path child : children(folder, role)) {
            if (Files.isDirectory(child) && !child.getFileName().toString().startsWith(".")) {
                List<Path> images = listImages(child, "Class folder");
                if (images.isEmpty()) {
                    throw new DataException("Class folder [" + child + "] holds no image (" + String.join(", ", EXTENSIONS) + ")");
                }
                classes.put(child.getFileName().toString(), images);
            }
        }
        return classes;
    }

    private static List<Path> listImages(Path folder, String role)
    {
        return children(folder, role).stream().filter(Files::isRegularFile).filter(UserImages::isImage).toList();
    }

    private static List<Path> children(Path folder, String role)
    {
        if (!Files.isDirectory(folder)) {
            throw new DataException(role + " [" + folder + "] does not exist or is not a folder");
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children.sorted().toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + role.toLowerCase(Locale.ROOT) + " [" + folder + "]: " + e.getMessage(), e);
        }
    }
}
