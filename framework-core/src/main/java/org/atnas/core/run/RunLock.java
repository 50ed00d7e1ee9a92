package org.atnas.core.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.util.Objects.requireNonNull;

/**
 * The lock of the process that owns a run directory ({@code .lock}, holding its process id): two
 * processes writing checkpoints and {@code metrics.jsonl} of one run would corrupt both. The
 * operating system releases the lock when the process dies, so a killed run leaves no stale lock.
 */
public final class RunLock
        implements AutoCloseable
{
    static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code directory}.
     *
     * @throws IllegalArgumentException naming the run and the process that holds it
     */
    static RunLock acquire(Path directory)
    {
        requireNonNull(directory, "directory is null");
        Path file = directory.resolve(FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot open the lock file [" + file + "]: " + e.getMessage(), e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            }
            catch (OverlappingFileLockException e) {
                // this JVM holds it already (a second command of the same process)
                lock = null;
            }
            if (lock == null) {
                throw new IllegalArgumentException("Run [" + directory + "] is in use by process " + holder(file) + "; wait for it to finish or stop it first");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new RunLock(channel, lock);
        }
        catch (IOException | RuntimeException e) {
            try {
                channel.close();
            }
            catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot lock [" + file + "]: " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private static String holder(Path file)
    {
        try {
            String pid = Files.readString(file, StandardCharsets.UTF_8).strip();
            return pid.matches("\\d{1,19}") ? pid : "(unknown: [" + file + "] holds no process id yet)";
        }
        catch (IOException e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close()
    {
        try {
            lock.release();
            channel.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot release a run lock: " + e.getMessage(), e);
        }
    }
}
