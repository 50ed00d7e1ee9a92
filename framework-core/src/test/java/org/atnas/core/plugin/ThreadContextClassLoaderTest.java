package org.atnas.core.plugin;

import java.net.URL;
import java.net.URLClassLoader;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// "try": each resource only scopes the context class loader, it is never referenced
@SuppressWarnings("try")
class ThreadContextClassLoaderTest
{
    private static final ClassLoader FIRST = new URLClassLoader("plugin-first", new URL[0], null);
    private static final ClassLoader SECOND = new URLClassLoader("plugin-second", new URL[0], null);

    private ClassLoader original;

    @BeforeEach
    void remember()
    {
        original = Thread.currentThread().getContextClassLoader();
    }

    @AfterEach
    void restore()
    {
        // a failing assertion must not leave a fake loader on the test runner's thread
        Thread.currentThread().setContextClassLoader(original);
    }

    @Test
    void setsTheLoaderForTheBlockAndRestoresIt()
    {
        try (var ignored = new ThreadContextClassLoader(FIRST)) {
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(FIRST);
        }
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(original);
    }

    @Test
    void restoresWhenTheBlockThrows()
    {
        assertThatThrownBy(() -> {
            try (var ignored = new ThreadContextClassLoader(FIRST)) {
                throw new IllegalStateException("plugin failed");
            }
        }).isInstanceOf(IllegalStateException.class).hasMessage("plugin failed").hasNoSuppressedExceptions();
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(original);
    }

    @Test
    void nestedBlocksRestoreTheirOwnPrevious()
    {
        try (var outer = new ThreadContextClassLoader(FIRST)) {
            try (var inner = new ThreadContextClassLoader(SECOND)) {
                assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(SECOND);
            }
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(FIRST);
        }
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(original);
    }

    @Test
    void restoresANullLoader()
    {
        Thread.currentThread().setContextClassLoader(null);
        try (var ignored = new ThreadContextClassLoader(FIRST)) {
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(FIRST);
        }
        assertThat(Thread.currentThread().getContextClassLoader()).isNull();
    }

    @Test
    void nullLoaderIsRefused()
    {
        assertThatThrownBy(() -> new ThreadContextClassLoader(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("loader is null");
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(original);
    }
}
