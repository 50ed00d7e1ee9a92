package org.atnas.core.search;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.InnerLoop;
import org.atnas.api.SearchSpace;
import org.atnas.core.Progress;
import org.atnas.core.bench.Statistics;
import org.atnas.core.data.TaskSampler;
import org.atnas.core.run.RunDirectory;

import static java.util.Objects.requireNonNull;

/**
 * The few-shot test protocol: each architecture, from the meta-trained supernet, is adapted to
 * the support set of each of N meta-test tasks ({@code evaluate.*}: 5 SGD steps, λ = 0.1) and scored
 * on its queries; the mean query accuracy and its 95% confidence interval (1.96 standard errors of
 * the mean over tasks) are reported. The tasks depend on the run's seed only, so every method of a
 * study meets the same tasks.
 */
@Singleton
public final class MetaTest
{
    /**
     * One architecture's result.
     *
     * @param code the architecture
     * @param genotype the space's notation of it
     * @param meanAccuracy mean query accuracy over the tasks
     * @param confidence95 half-width of the 95% confidence interval of the mean
     * @param tasks meta-test tasks
     * @param innerSteps SGD steps of the adaptation to each task
     * @param innerLearningRate their learning rate
     */
    public record Result(String code, String genotype, double meanAccuracy, double confidence95, int tasks, int innerSteps, double innerLearningRate)
    {
        public Result
        {
            requireNonNull(code, "code is null");
            requireNonNull(genotype, "genotype is null");
        }
    }

    private final TaskAdaptation adaptation;
    private final SearchSpace space;
    private final SearchPlan plan;

    @Inject
    MetaTest(TaskAdaptation adaptation, SearchSpace space, SearchPlan plan)
    {
        this.adaptation = requireNonNull(adaptation, "adaptation is null");
        this.space = requireNonNull(space, "space is null");
        this.plan = requireNonNull(plan, "plan is null");
    }

    /**
     * Evaluates {@code codes} on {@code tasks} tasks of {@code sampler}.
     *
     * @throws IllegalArgumentException if there are fewer than 2 tasks or no codes, or a code is not of the space
     */
    public List<Result> evaluate(List<ArchitectureCode> codes, TaskSampler sampler, int tasks, InnerLoop innerLoop)
    {
        return evaluate(codes, sampler, tasks, innerLoop, Progress.NONE);
    }

    /** As {@link #evaluate(List, TaskSampler, int, InnerLoop)}, reporting each adapted (architecture, task) pair to {@code progress}. */
    public List<Result> evaluate(List<ArchitectureCode> codes, TaskSampler sampler, int tasks, InnerLoop innerLoop, Progress progress)
    {
        if (tasks < 2) {
            throw new IllegalArgumentException("A meta-test needs at least 2 tasks for a confidence interval, got " + tasks);
        }
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("A meta-test needs at least one architecture");
        }
        codes.forEach(space::validate);
        SplittableRandom random = new SplittableRandom(plan.seed() ^ 0x7E57L);
        long[] seeds = new long[tasks];
        for (int i = 0; i < tasks; i++) {
            seeds[i] = random.nextLong();
        }
        double[][] accuracies = adaptation.accuracies(codes, sampler, seeds, innerLoop, progress);
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            double mean = Statistics.mean(accuracies[i]);
            double interval = 1.96 * Statistics.standardDeviation(accuracies[i]) / Math.sqrt(tasks);
            results.add(new Result(codes.get(i).format(), space.toNotation(codes.get(i)), mean, interval, tasks, innerLoop.steps(), innerLoop.learningRate()));
        }
        return results;
    }

    /** Writes {@code evaluation-<time>.json} into a run directory; returns its path. */
    public static Path write(Path runDirectory, List<Result> results, Clock clock)
    {
        String name = "evaluation-" + LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json";
        RunDirectory.open(runDirectory).writeJson(name, results);
        return runDirectory.resolve(name);
    }
}
