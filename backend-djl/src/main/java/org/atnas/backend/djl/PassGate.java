package org.atnas.backend.djl;

/**
 * Bounds the images whose passes the workers of a supernet hold at once. A pass holds its images
 * from its forward pass until its gradient is taken or its loss is closed: that is when its
 * activations (most of a meta-step's memory: a query pass of 75 images is most of the graph) can
 * be freed. Two workers' query passes at once double that memory; waiting for the other's pass
 * trades time for it (docs/benchmarks.md, "One query pass at a time").
 *
 * <p>A pass that does not fit waits until enough images are released. Two rules keep this free of
 * deadlock: a worker that already holds images never waits (a waiting worker holds nothing, so
 * whatever it waits for is released by workers that run on), and a pass larger than the bound runs
 * when nothing else is held.
 */
final class PassGate
{
    private final int limit;
    private int held;

    /**
     * @param limit the most images held at once; 0 for no bound
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    PassGate(int limit)
    {
        this.limit = checkLimit(limit);
    }

    /**
     * @return {@code limit}, checked: 0 (no bound) or positive
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    static int checkLimit(int limit)
    {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (no bound) or positive, not " + limit);
        }
        return limit;
    }

    /**
     * Takes {@code images} for a pass, first waiting until they fit unless {@code holding}.
     *
     * @param images the pass's batch size, positive
     * @param holding whether the calling worker already holds images of another pass
     * @return the images taken (0 when there is no bound), to give back with {@link #release}
     * @throws IllegalStateException if the thread is interrupted while it waits (its interrupt flag stays set)
     */
    int acquire(int images, boolean holding)
    {
        // without a bound every pass goes through here untouched: no lock on the workers' forward passes
        if (limit == 0) {
            return 0;
        }
        if (images <= 0) {
            throw new IllegalArgumentException("images must be positive, not " + images);
        }
        return take(images, holding);
    }

    private synchronized int take(int images, boolean holding)
    {
        while (!holding && held > 0 && held + images > limit) {
            try {
                wait();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while a pass of " + images + " images waited for "
                        + DjlPlugin.IMAGES_IN_FLIGHT.key() + " (" + limit + ", " + held + " held)", e);
            }
        }
        held += images;
        return images;
    }

    /** Gives back images taken by {@link #acquire}; 0 does nothing. */
    synchronized void release(int images)
    {
        if (images < 0 || images > held) {
            throw new IllegalArgumentException("Cannot release " + images + " images, " + held + " are held");
        }
        if (images > 0) {
            held -= images;
            notifyAll();
        }
    }

    /** The images held now. */
    synchronized int held()
    {
        return held;
    }
}
