package org.atnas.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import org.atnas.api.BackendWorker;
import org.atnas.api.Supernet;

import static java.util.Objects.requireNonNull;

/**
 * 𝒦 parallel workers (Sec. 3.4), each a thread of its own with its own backend worker: a backend
 * worker is used by one thread only, and batch-norm statistics stay per worker.
 */
final class WorkerPool
        implements AutoCloseable
{
    private final List<ExecutorService> threads = new ArrayList<>();
    private final List<BackendWorker> workers = new ArrayList<>();
    private final StopSignal stop;

    WorkerPool(Supernet supernet, int count, StopSignal stop)
    {
        this.stop = requireNonNull(stop, "stop is null");
        for (int k = 0; k < count; k++) {
            int index = k;
            ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
                Thread worker = new Thread(runnable, "atnas-worker-" + index);
                worker.setDaemon(true);
                return worker;
            });
            threads.add(thread);
            workers.add(await(thread.submit(supernet::newWorker)));
        }
    }

    int size()
    {
        return workers.size();
    }

    /**
     * Runs each worker's jobs in its own thread, all workers at once, and returns the results
     * worker by worker, each in job order.
     *
     * @throws StopSignal.WorkAbandonedException if a stop is requested: each worker ends after its running job
     */
    <T> List<List<T>> run(List<List<Function<BackendWorker, T>>> jobs)
    {
        return run(jobs, () -> {}, true);
    }

    /** As {@link #run(List)}, calling {@code jobDone} (from the workers' threads) after each job. */
    <T> List<List<T>> run(List<List<Function<BackendWorker, T>>> jobs, Runnable jobDone)
    {
        return run(jobs, jobDone, true);
    }

    private <T> List<List<T>> run(List<List<Function<BackendWorker, T>>> jobs, Runnable jobDone, boolean stoppable)
    {
        List<Future<List<T>>> futures = new ArrayList<>();
        for (int k = 0; k < jobs.size(); k++) {
            BackendWorker worker = workers.get(k);
            List<Function<BackendWorker, T>> own = jobs.get(k);
            futures.add(threads.get(k).submit(() -> {
                List<T> results = new ArrayList<>();
                for (Function<BackendWorker, T> job : own) {
                    if (stoppable) {
                        stop.check();
                    }
                    results.add(job.apply(worker));
                    jobDone.run();
                }
                return results;
            }));
        }
        List<List<T>> results = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<List<T>> future : futures) {
            try {
                results.add(await(future));
            }
            catch (RuntimeException e) {
                // wait for every worker before failing, so that none is still busy with this step
                failure = failure == null ? e : failure;
                results.add(List.of());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    /** One empty job list per worker, to fill and {@link #run}. */
    <T> List<List<T>> emptyJobs()
    {
        List<List<T>> jobs = new ArrayList<>();
        for (int k = 0; k < workers.size(); k++) {
            jobs.add(new ArrayList<>());
        }
        return jobs;
    }

    /** Runs {@code action} on each of a {@link #run}'s results, in the thread of the worker that made it. */
    <T> void runOnEach(List<List<T>> results, BiConsumer<BackendWorker, T> action)
    {
        List<List<Function<BackendWorker, Object>>> jobs = emptyJobs();
        for (int k = 0; k < results.size(); k++) {
            for (T result : results.get(k)) {
                jobs.get(k).add(worker -> {
                    action.accept(worker, result);
                    return null;
                });
            }
        }
        // releases what the jobs made: runs to the end even when a stop is requested
        run(jobs, () -> {}, false);
    }

    /** Runs one action on every worker in its thread, even when a stop is requested (closing them). */
    void forEach(Consumer<BackendWorker> action)
    {
        List<List<Function<BackendWorker, Object>>> jobs = new ArrayList<>();
        for (int k = 0; k < workers.size(); k++) {
            jobs.add(List.of(worker -> {
                action.accept(worker);
                return null;
            }));
        }
        run(jobs, () -> {}, false);
    }

    private static <T> T await(Future<T> future)
    {
        try {
            return future.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a worker", e);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close()
    {
        try {
            forEach(BackendWorker::close);
        }
        finally {
            for (ExecutorService thread : threads) {
                thread.shutdown();
                try {
                    thread.awaitTermination(1, TimeUnit.MINUTES);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
