package org.atnas.core.search;

import com.google.inject.Singleton;

/**
 * A request to stop an engine's work, set from any thread (a shutdown hook) and checked by the
 * {@link WorkerPool} between jobs: a meta-step or an evaluation then ends after the tasks that are
 * running, not after all of them, which at paper scale is minutes.
 */
@Singleton
public final class StopSignal
{
    private volatile boolean requested;

    public void request()
    {
        requested = true;
    }

    public boolean isRequested()
    {
        return requested;
    }

    /**
     * @throws WorkAbandonedException if a stop was requested
     */
    void check()
    {
        if (requested) {
            throw new WorkAbandonedException();
        }
    }

    /** The work in progress was abandoned because a stop was requested; the state it would have changed is untouched. */
    static final class WorkAbandonedException
            extends RuntimeException
    {
        WorkAbandonedException()
        {
            super("Stopped on request", null, false, false);
        }
    }
}
