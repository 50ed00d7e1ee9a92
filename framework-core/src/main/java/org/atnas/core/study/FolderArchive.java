package org.atnas.core.study;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** A folder as zip bytes and back: a study cell's folder travels from the member that ran it to the coordinator. */
public final class FolderArchive
{
    private FolderArchive() {}

    /** The folder's files, with paths relative to it, in name order. */
    public static byte[] zip(Path folder)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> walk = Files.walk(folder)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            for (Path file : files) {
                zip.putNextEntry(new ZipEntry(folder.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot archive [" + folder + "]: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /**
     * Unpacks an archive of {@link #zip} into {@code folder}, which must not exist.
     *
     * @throws IllegalArgumentException if an entry would land outside the folder
     */
    public static void unzip(byte[] archive, Path folder)
    {
        Path root = folder.toAbsolutePath().normalize();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            Files.createDirectories(root);
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path file = root.resolve(entry.getName()).normalize();
                if (!file.startsWith(root) || file.equals(root)) {
                    throw new IllegalArgumentException("Archive entry [" + entry.getName() + "] would land outside [" + folder + "]");
                }
                Files.createDirectories(file.getParent());
                Files.copy(zip, file);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack an archive into [" + folder + "]: " + e.getMessage(), e);
        }
    }
}
