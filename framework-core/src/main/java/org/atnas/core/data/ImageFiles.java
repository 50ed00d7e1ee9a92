package org.atnas.core.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Image files under a folder or inside a zip, with the folder names above each file: what the
 * folder-per-class loaders (Omniglot, image folders) read. Zip entries are read in place, never
 * extracted; an entry whose path would leave the archive's root (zip-slip) is refused.
 */
final class ImageFiles
{
    static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");
    /** Every file is held in memory until decoded; no image of a few-shot data set comes near this. */
    static final int MAX_FILE_BYTES = 64 << 20;

    /**
     * An image file.
     *
     * @param folders the folder names from the root down to the file's folder
     * @param fileName the file's name
     * @param source where it is, for messages: {@code dir/a/b.png} or {@code file.zip!a/b.png}
     * @param data its bytes
     */
    record ImageFile(List<String> folders, String fileName, String source, byte[] data) {}

    private ImageFiles() {}

    /**
     * Every image file below {@code source} (a folder or a {@code .zip}), in path order.
     *
     * @throws DataException if the path does not exist, or a zip entry would escape the archive
     */
    static List<ImageFile> read(Path source)
    {
        if (!Files.exists(source)) {
            throw new DataException("Data path [" + source + "] does not exist");
        }
        return Files.isDirectory(source) ? readFolder(source) : readZip(source);
    }

    static boolean isImage(String fileName)
    {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    private static List<ImageFile> readFolder(Path root)
    {
        List<ImageFile> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).filter(path -> isImage(path.getFileName().toString())).sorted().toList()) {
                Path relative = root.relativize(path);
                List<String> folders = new ArrayList<>();
                for (int i = 0; i < relative.getNameCount() - 1; i++) {
                    folders.add(relative.getName(i).toString());
                }
                long size = Files.size(path);
                if (size > MAX_FILE_BYTES) {
                    throw tooLarge(path.toString(), size + " bytes");
                }
                files.add(new ImageFile(folders, path.getFileName().toString(), path.toString(), Files.readAllBytes(path)));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read data folder [" + root + "]: " + e.getMessage(), e);
        }
        return files;
    }

    private static List<ImageFile> readZip(Path zip)
    {
        List<ImageFile> files = new ArrayList<>();
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            List<ZipEntry> entries = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> all = archive.entries(); all.hasMoreElements(); ) {
                ZipEntry entry = all.nextElement();
                checkInside(zip, entry.getName());
                if (!entry.isDirectory() && isImage(entry.getName())) {
                    entries.add(entry);
                }
            }
            entries.sort((a, b) -> a.getName().compareTo(b.getName()));
            for (ZipEntry entry : entries) {
                String[] parts = entry.getName().split("/");
                String source = zip + "!" + entry.getName();
                if (entry.getSize() > MAX_FILE_BYTES) {
                    throw tooLarge(source, entry.getSize() + " bytes");
                }
                try (InputStream in = archive.getInputStream(entry)) {
                    // the declared size may lie: read one byte past the bound to know without reading on
                    byte[] data = in.readNBytes(MAX_FILE_BYTES + 1);
                    if (data.length > MAX_FILE_BYTES) {
                        throw tooLarge(source, "more than " + MAX_FILE_BYTES + " bytes");
                    }
                    files.add(new ImageFile(List.of(parts).subList(0, parts.length - 1), parts[parts.length - 1], source, data));
                }
                catch (ZipException | EOFException e) {
                    throw new DataException("Zip entry [" + source + "] is corrupt: " + (e.getMessage() == null ? "it ends early" : e.getMessage()), e);
                }
            }
        }
        catch (ZipException | EOFException e) {
            throw new DataException("Data file [" + zip + "] is not a readable zip archive: " + (e.getMessage() == null ? "it ends early" : e.getMessage()), e);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read data archive [" + zip + "]: " + e.getMessage(), e);
        }
        return files;
    }

    private static DataException tooLarge(String source, String size)
    {
        return new DataException("Image file [" + source + "] is " + size + "; expected at most " + MAX_FILE_BYTES + " bytes");
    }

    /** Refuses entries such as {@code ../x} or {@code /etc/x} that would land outside a folder they were extracted to. */
    static void checkInside(Path zip, String entryName)
    {
        Path path = Path.of(entryName.replace('\\', '/')).normalize();
        if (entryName.startsWith("/") || entryName.startsWith("\\") || path.isAbsolute() || path.startsWith("..")) {
            throw new DataException("Zip entry [" + entryName + "] in [" + zip + "] would escape the archive's folder; refusing the archive");
        }
    }
}
