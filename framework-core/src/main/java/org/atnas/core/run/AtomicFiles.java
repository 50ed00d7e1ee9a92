package org.atnas.core.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                // on disk before the rename: after a power loss the target is the old content or the new, never an empty file
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(directory);
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

    /** Forces a file's content to disk, so that a rename that follows publishes complete data. */
    public static void sync(Path file)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Forces a folder's entries (a rename into it) to disk. Where folders cannot be opened (Windows)
     * the rename is durable by the file system's own journal, and this does nothing.
     */
    public static void syncDirectory(Path directory)
            throws IOException
    {
        FileChannel channel;
        try {
            channel = FileChannel.open(directory, StandardOpenOption.READ);
        }
        catch (AccessDeniedException | UnsupportedOperationException e) {
            return;
        }
        try (channel) {
            channel.force(true);
        }
    }

    public static void writeString(Path target, String content)
    {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }
}
