package org.atnas.core.search;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import org.atnas.api.Adaptation;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.BackendWorker;
import org.atnas.api.InnerLoop;
import org.atnas.api.MetaOptimizer;
import org.atnas.core.Progress;
import org.atnas.api.Subnet;
import org.atnas.api.network.NetworkDescription;
import org.atnas.core.data.TaskSampler;

import static java.util.Objects.requireNonNull;

/**
 * Adapts architectures to tasks from the current supernet weights (the inner loop, then the query
 * set): the fitness of the search and the meta-test protocol. Task t runs on worker t mod 𝒦; W is
 * never changed.
 */
@Singleton
public final class TaskAdaptation
{
    private final WorkerPool workers;
    private final MetaOptimizer optimizer;
    private final SubnetDescriptions descriptions;
    private final StopSignal stop;

    @Inject
    TaskAdaptation(WorkerPool workers, MetaOptimizer optimizer, SubnetDescriptions descriptions, StopSignal stop)
    {
        this.stop = requireNonNull(stop, "stop is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.optimizer = requireNonNull(optimizer, "optimizer is null");
        this.descriptions = requireNonNull(descriptions, "descriptions is null");
    }

    /**
     * The query accuracy of each code (rows) adapted to each task (columns).
     *
     * @param taskSeeds the seeds of the tasks {@code sampler} makes, one per column
     * @throws org.atnas.api.NonFiniteLossException when a loss is NaN or infinite
     */
    public double[][] accuracies(List<ArchitectureCode> codes, TaskSampler sampler, long[] taskSeeds, InnerLoop innerLoop)
    {
        return accuracies(codes, sampler, taskSeeds, innerLoop, Progress.NONE);
    }

    /** As {@link #accuracies(List, TaskSampler, long[], InnerLoop)}, reporting each adapted (architecture, task) pair to {@code progress}. */
    public double[][] accuracies(List<ArchitectureCode> codes, TaskSampler sampler, long[] taskSeeds, InnerLoop innerLoop, Progress progress)
    {
        List<List<Function<BackendWorker, Adaptation>>> jobs = workers.emptyJobs();
        int[][][] slots = new int[codes.size()][taskSeeds.length][];
        for (int t = 0; t < taskSeeds.length; t++) {
            int worker = t % workers.size();
            long taskSeed = taskSeeds[t];
            for (int i = 0; i < codes.size(); i++) {
                // a million architectures or tasks take seconds to plan, before any worker checks the signal
                stop.check();
                NetworkDescription description = descriptions.of(codes.get(i));
                jobs.get(worker).add(backendWorker -> {
                    try (Subnet subnet = backendWorker.compile(description)) {
                        return optimizer.adapt(backendWorker, subnet, sampler.sample(taskSeed), innerLoop);
                    }
                });
                slots[i][t] = new int[] {worker, jobs.get(worker).size() - 1};
            }
        }
        long total = (long) codes.size() * taskSeeds.length;
        AtomicLong done = new AtomicLong();
        List<List<Adaptation>> results = workers.run(jobs, () -> progress.update(done.incrementAndGet(), total));
        double[][] accuracies = new double[codes.size()][taskSeeds.length];
        for (int i = 0; i < codes.size(); i++) {
            for (int t = 0; t < taskSeeds.length; t++) {
                accuracies[i][t] = results.get(slots[i][t][0]).get(slots[i][t][1]).queryAccuracy();
            }
        }
        return accuracies;
    }
}
