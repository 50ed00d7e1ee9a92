package org.atnas.core;

/**
 * How far a long piece of work is (a meta-test, a data set being read, a benchmark, an export), for
 * a progress bar. Called from any thread, possibly from several at once; {@code done} never
 * decreases.
 */
@FunctionalInterface
public interface Progress
{
    /** Reports nothing. */
    Progress NONE = (done, total) -> {};

    /**
     * @param done units finished
     * @param total units in all
     */
    void update(long done, long total);
}
