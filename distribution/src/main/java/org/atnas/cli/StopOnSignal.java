package org.atnas.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.atnas.core.search.MetaSearch;
import org.atnas.core.search.SearchListener;

/**
 * Runs a search (or a transfer) so that Ctrl-C or SIGTERM stops it within seconds: the workers end after their
 * running task, a checkpoint is written (or the last complete one kept), and the user is told.
 */
final class StopOnSignal
{
    /** How long the JVM's exit waits for the search to stop: a user, or a scheduler's grace period, waits seconds, not a step. */
    private static final int STOP_WAIT_SECONDS = 5;

    private StopOnSignal() {}

    /**
     * Runs the search, then {@code report} of its outcome, both before a signal's shutdown may
     * proceed: what a stopped run prints must be printed before the JVM exits.
     */
    static MetaSearch.Outcome run(MetaSearch search, SearchListener listener, PrintWriter err, Consumer<MetaSearch.Outcome> report)
    {
        return run(search::requestStop, () -> search.run(listener), err, report);
    }

    /** As for a search, for any work that stops when {@code requestStop} asks it to (a transfer). */
    static <T> T run(Runnable requestStop, Supplier<T> work, PrintWriter err, Consumer<T> report)
    {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            err.println();
            err.println("Stopping: the running tasks finish, then a checkpoint is written (or the last complete one kept) ...");
            err.flush();
            requestStop.run();
            try {
                if (!finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    err.println("Still busy after " + STOP_WAIT_SECONDS + " s; exiting. Checkpoints are written atomically: resume continues from the last complete one.");
                    err.flush();
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "atnas-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            T outcome = work.get();
            report.accept(outcome);
            return outcome;
        }
        finally {
            err.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running and waits for the latch above
            }
        }
    }
}
