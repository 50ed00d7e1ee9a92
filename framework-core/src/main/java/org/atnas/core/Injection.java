package org.atnas.core;

import java.util.function.Supplier;

import com.google.inject.CreationException;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;

/** Getting objects from a Guice injector with the engine's own exceptions. */
public final class Injection
{
    private Injection() {}

    /**
     * Creates an injector; what an eager singleton's provider threw while it was created is rethrown
     * as it is.
     */
    public static Injector create(Supplier<Injector> creation)
    {
        try {
            return creation.get();
        }
        catch (CreationException e) {
            for (Message message : e.getErrorMessages()) {
                rethrow(message.getCause());
            }
            throw e;
        }
    }

    /**
     * The instance of {@code type}; what a constructor or provider threw is rethrown as it is,
     * since a user wants the engine's message, not Guice's wrapping of it.
     */
    public static <T> T instance(Injector injector, Class<T> type)
    {
        try {
            return injector.getInstance(type);
        }
        catch (ProvisionException e) {
            rethrow(e.getCause());
            throw e;
        }
    }

    /** Throws {@code cause} (unwrapped from Guice's own exceptions) if it is unchecked; returns otherwise. */
    private static void rethrow(Throwable cause)
    {
        // Guice wraps what providers throw, and wraps again across injectors
        while (cause instanceof ProvisionException nested && nested.getCause() != null) {
            cause = nested.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
    }
}
