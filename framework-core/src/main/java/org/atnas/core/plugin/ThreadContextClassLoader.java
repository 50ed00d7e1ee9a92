package org.atnas.core.plugin;

import static java.util.Objects.requireNonNull;

/**
 * Sets the current thread's context class loader for the length of a {@code try} block and puts
 * the previous one back when the block ends, also when it throws:
 * {@code try (var ignored = new ThreadContextClassLoader(loader)) { ... }} (Trino's
 * {@code ThreadContextClassLoader}). Every call into a plugin runs inside one, because libraries
 * such as DJL find their engine through the context class loader.
 *
 * <p>Create and close it on the same thread, as a try-with-resources does. Blocks nest; each
 * restores what was in force when it was opened. The previous loader may be {@code null} (a thread
 * that never had one) and is restored as such.
 */
public final class ThreadContextClassLoader
        implements AutoCloseable
{
    private final ClassLoader previous;

    /** Makes {@code loader} the current thread's context class loader until {@link #close}. */
    public ThreadContextClassLoader(ClassLoader loader)
    {
        requireNonNull(loader, "loader is null");
        Thread thread = Thread.currentThread();
        this.previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
    }

    /** Restores the context class loader that was in force when this was created. */
    @Override
    public void close()
    {
        Thread.currentThread().setContextClassLoader(previous);
    }
}
