package org.atnas.core.search;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.InnerLoop;
import org.atnas.core.bench.Statistics;

import static java.util.Objects.requireNonNull;

/**
 * The few-shot evaluation protocol: each architecture, from the meta-trained supernet of a
 * checkpoint, is trained on the support set of each of N meta-test tasks ({@code evaluate.*}: the
 * paper's final training) and scored on its queries; the mean query accuracy and its 95% confidence
 * interval (1.96 standard errors) are reported. The tasks depend on the run's seed only, so every
 * method of a study meets the same tasks.
 */
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
     * @param innerLoop the final training on each task
     */
    public record Result(ArchitectureCode code, String genotype, double meanAccuracy, double confidence95, int tasks, InnerLoop innerLoop)
    {
        public Result
        {
            requireNonNull(code, "code is null");
            requireNonNull(genotype, "genotype is null");
            requireNonNull(innerLoop, "innerLoop is null");
        }

        /** The fields as a JSON object. */
        public Map<String, Object> toJson()
        {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("code", code.format());
            entry.put("genotype", genotype);
            entry.put("meanAccuracy", meanAccuracy);
            entry.put("confidence95", confidence95);
            entry.put("tasks", tasks);
            entry.put("innerSteps", innerLoop.steps());
            entry.put("innerLearningRate", innerLoop.learningRate());
            return entry;
        }
    }

    private MetaTest() {}

    /**
     * Evaluates {@code codes} on {@code tasks} meta-test tasks from the weights of {@code checkpoint}.
     *
     * @throws IllegalArgumentException if there are fewer than 2 tasks or no codes
     */
    public static List<Result> evaluate(SearchRun run, Path runDirectory, Checkpoint checkpoint, List<ArchitectureCode> codes, int tasks, InnerLoop innerLoop)
    {
        if (tasks < 2) {
            throw new IllegalArgumentException("A meta-test needs at least 2 tasks for a confidence interval, got " + tasks);
        }
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("A meta-test needs at least one architecture");
        }
        codes.forEach(run.components().space()::validate);
        SplittableRandom random = new SplittableRandom(run.parameters().seed() ^ 0x7E57L);
        long[] seeds = new long[tasks];
        for (int i = 0; i < tasks; i++) {
            seeds[i] = random.nextLong();
        }
        double[][] accuracies;
        try (MetaSearch search = new MetaSearch(run.parameters().withInnerLoop(innerLoop), run.components(), runDirectory, Optional.of(checkpoint))) {
            accuracies = search.adaptAll(codes, run.metaTest(), seeds);
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            double mean = Statistics.mean(accuracies[i]);
            double interval = 1.96 * Statistics.standardDeviation(accuracies[i]) / Math.sqrt(tasks);
            results.add(new Result(codes.get(i), run.components().space().toNotation(codes.get(i)), mean, interval, tasks, innerLoop));
        }
        return results;
    }
}
