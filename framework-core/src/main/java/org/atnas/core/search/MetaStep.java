package org.atnas.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.BackendWorker;
import org.atnas.api.Gradient;
import org.atnas.api.MetaGradient;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.NonFiniteLossException;
import org.atnas.api.Subnet;
import org.atnas.api.Supernet;
import org.atnas.api.Task;
import org.atnas.api.network.NetworkDescription;

import static java.util.Objects.requireNonNull;

/**
 * One meta-step (Eq. 6 and 7): every (architecture, task) pair's meta-gradient from the
 * meta-optimizer, on the worker that owns the task's shard; their mean goes to the supernet's outer
 * update (Adam). The mean is taken in the pairs' order, whatever worker computed them, so the
 * number of workers does not change it.
 */
@Singleton
public final class MetaStep
{
    /**
     * One (architecture, task) pair of a meta-step.
     *
     * @param architecture the subnet's code
     * @param task made on the worker's thread when the pair runs
     * @param worker the worker that owns the task's shard
     * @param taskSeed the seed the task is sampled with from the meta-train sampler, if it is: what
     *     a pair needs to run on a cluster member, which makes the task itself
     */
    public record Pair(ArchitectureCode architecture, Supplier<Task> task, int worker, OptionalLong taskSeed)
    {
        public Pair
        {
            requireNonNull(architecture, "architecture is null");
            requireNonNull(task, "task is null");
            requireNonNull(taskSeed, "taskSeed is null");
        }

        /** A pair whose task is made some other way: it runs in this JVM only. */
        public Pair(ArchitectureCode architecture, Supplier<Task> task, int worker)
        {
            this(architecture, task, worker, OptionalLong.empty());
        }
    }

    /**
     * What a meta-step's pairs scored after their inner loops.
     *
     * @param queryLoss mean query loss of the pairs
     * @param queryAccuracy mean query accuracy of the pairs
     * @param pairs how many pairs the mean is over
     */
    public record Result(double queryLoss, double queryAccuracy, int pairs) {}

    private final Supernet supernet;
    private final WorkerPool workers;
    private final MetaOptimizer optimizer;
    private final SubnetDescriptions descriptions;
    private final SearchPlan plan;
    private final Optional<ClusterCoordinator> cluster;
    private boolean backendTakesGradients;
    private long totalNanos;
    private long computeNanos;

    @Inject
    MetaStep(Supernet supernet, WorkerPool workers, MetaOptimizer optimizer, SubnetDescriptions descriptions, SearchPlan plan, Optional<ClusterCoordinator> cluster)
    {
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.supernet = requireNonNull(supernet, "supernet is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.optimizer = requireNonNull(optimizer, "optimizer is null");
        this.descriptions = requireNonNull(descriptions, "descriptions is null");
        this.plan = requireNonNull(plan, "plan is null");
    }

    /**
     * Runs the pairs, applies their mean meta-gradient to W and returns their mean scores.
     *
     * @param stepNumber the meta-step's number (from 1), for messages
     * @throws NonFiniteLossException naming the meta-step and architecture when a loss is NaN or infinite
     */
    public Result run(int stepNumber, List<Pair> pairs)
    {
        if (cluster.isPresent()) {
            return runOnCluster(cluster.get(), stepNumber, pairs);
        }
        long start = System.nanoTime();
        List<List<Function<BackendWorker, MetaGradient>>> jobs = workers.emptyJobs();
        // where each pair's result will be: (worker, index in the worker's jobs)
        int[][] slots = new int[pairs.size()][];
        for (int p = 0; p < pairs.size(); p++) {
            Pair pair = pairs.get(p);
            NetworkDescription description = descriptions.of(pair.architecture());
            List<Function<BackendWorker, MetaGradient>> own = jobs.get(pair.worker());
            own.add(worker -> {
                try (Subnet subnet = worker.compile(description)) {
                    return optimizer.metaGradient(worker, subnet, pair.task().get(), plan.metaStep().innerLoop());
                }
                catch (NonFiniteLossException e) {
                    throw e.within("Meta-step " + stepNumber + ", architecture " + pair.architecture());
                }
            });
            slots[p] = new int[] {pair.worker(), own.size() - 1};
        }
        long computeStart = System.nanoTime();
        List<List<MetaGradient>> results = workers.run(jobs);
        List<Gradient> gradients = new ArrayList<>();
        double loss = 0;
        double accuracy = 0;
        for (int[] slot : slots) {
            MetaGradient result = results.get(slot[0]).get(slot[1]);
            gradients.add(result.gradient());
            loss += result.adaptation().queryLoss() / slots.length;
            accuracy += result.adaptation().queryAccuracy() / slots.length;
        }
        supernet.applyMetaGradient(gradients);
        computeNanos += System.nanoTime() - computeStart;
        // each worker closes its own handles, in its own thread
        workers.runOnEach(results, (worker, result) -> result.gradient().close());
        totalNanos += System.nanoTime() - start;
        return new Result(loss, accuracy, slots.length);
    }

    /**
     * The pairs on the cluster's members; their meta-gradients, taken into this JVM's backend by its
     * first worker, go to the same outer update in the same order as local ones would.
     */
    private Result runOnCluster(ClusterCoordinator coordinator, int stepNumber, List<Pair> pairs)
    {
        if (!backendTakesGradients) {
            // before any worker joins: a backend that cannot take other JVMs' gradients fails the search at once
            List<List<Function<BackendWorker, Gradient>>> probe = workers.emptyJobs();
            probe.get(0).add(worker -> worker.gradientOf(Map.of()));
            try {
                workers.runOnEach(workers.run(probe), (worker, gradient) -> gradient.close());
            }
            catch (UnsupportedOperationException e) {
                throw new IllegalArgumentException("A search on a cluster needs a weight backend that takes meta-gradients from other JVMs (BackendWorker.gradientOf); this one cannot: "
                        + e.getMessage(), e);
            }
            backendTakesGradients = true;
        }
        long start = System.nanoTime();
        ClusterCoordinator.Outcome outcome;
        try {
            outcome = coordinator.run(stepNumber, pairs, supernet.state().parameters());
        }
        catch (NonFiniteLossException e) {
            throw e.within("Meta-step " + stepNumber);
        }
        long applyStart = System.nanoTime();
        List<List<Function<BackendWorker, Gradient>>> imports = workers.emptyJobs();
        double loss = 0;
        double accuracy = 0;
        for (ClusterWire.PairResult result : outcome.results()) {
            imports.get(0).add(worker -> worker.gradientOf(result.gradient()));
            loss += result.queryLoss() / pairs.size();
            accuracy += result.queryAccuracy() / pairs.size();
        }
        List<List<Gradient>> gradients = workers.run(imports);
        try {
            supernet.applyMetaGradient(gradients.get(0));
        }
        finally {
            workers.runOnEach(gradients, (worker, gradient) -> gradient.close());
        }
        coordinator.record(outcome.times(), (System.nanoTime() - applyStart) / 1e6);
        long elapsed = System.nanoTime() - start;
        totalNanos += elapsed;
        computeNanos += elapsed;
        return new Result(loss, accuracy, pairs.size());
    }

    /** The share of the meta-steps' wall time spent outside backend work (the pairs and the outer update). */
    public double engineOverhead()
    {
        return totalNanos == 0 ? 0 : (double) (totalNanos - computeNanos) / totalNanos;
    }
}
