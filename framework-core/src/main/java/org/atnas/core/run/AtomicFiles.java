package org.atnas.core.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes files so that a reader sees the old content or the new one, never half of it. */
public final class AtomicFiles
{
    private AtomicFiles() {}

    /**
     * Writes {@code content} to a temporary file beside {@code target}, then renames it over
     * {@code target}, creating missing parent folders. On failure the temporary file is removed and
     * {@code target} is untouched.
     *
     * @throws UncheckedIOException naming the target
     */
    public static void write(Path target, byte[] content)
    {
        Path directory = target.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            // a temporary file is private (rw-------); what it becomes is an ordinary file (rw-r--r--, less the umask)
            FileAttribute<?>[] ordinary = directory.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"))}
                    : new FileAttribute<?>[0];
            temporary = Files.createTempFile(directory, "." + target.getFileName(), ".tmp", ordinary);
            Files.write(temporary, content);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException e) {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                }
                catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw new UncheckedIOException("Cannot write [" + target + "]: " + e.getMessage(), e);
        }
    }

    public static void writeString(Path target, String content)
    {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }
}
