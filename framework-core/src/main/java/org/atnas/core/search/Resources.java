package org.atnas.core.search;

import java.util.ArrayDeque;
import java.util.Deque;

import com.google.inject.Singleton;

/** What an engine opened and must close: closed in the reverse order of opening, all of them even if one fails. */
@Singleton
final class Resources
        implements AutoCloseable
{
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    synchronized <T extends AutoCloseable> T register(T resource)
    {
        opened.push(resource);
        return resource;
    }

    @Override
    public synchronized void close()
    {
        RuntimeException failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            }
            catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException runtime ? runtime : new IllegalStateException("Cannot close an engine resource: " + e.getMessage(), e);
                if (failure == null) {
                    failure = wrapped;
                }
                else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
