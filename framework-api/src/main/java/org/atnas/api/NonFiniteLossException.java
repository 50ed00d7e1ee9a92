package org.atnas.api;

/**
 * A loss was NaN or infinite: training diverged. The message names where (the set, the inner step,
 * the task's seed; the engine adds the meta-step and architecture). A subtype of {@link
 * ArithmeticException} so that code written against API 1.0 that caught that still catches it; the
 * engine stops a search on this type only, not on any arithmetic error.
 *
 * @since API 1.1
 */
public final class NonFiniteLossException
        extends ArithmeticException
{
    public NonFiniteLossException(String message)
    {
        super(message);
    }

    /** The same failure with {@code context} (where in the engine it happened) before the message. */
    public NonFiniteLossException within(String context)
    {
        NonFiniteLossException wrapped = new NonFiniteLossException(context + ": " + getMessage());
        wrapped.initCause(this);
        return wrapped;
    }
}
