package org.atnas.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.atnas.core.search.MetaSearch;
import org.atnas.core.search.SearchListener;

/** Runs a search so that Ctrl-C or SIGTERM lets the current meta-step finish and a checkpoint be written before the JVM exits. */
final class StopOnSignal
{
    private StopOnSignal() {}

    static MetaSearch.Outcome run(MetaSearch search, SearchListener listener)
    {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            search.requestStop();
            try {
                finished.await(10, TimeUnit.MINUTES);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "atnas-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return search.run(listener);
        }
        finally {
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
