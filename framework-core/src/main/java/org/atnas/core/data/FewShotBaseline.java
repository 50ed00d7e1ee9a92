package org.atnas.core.data;

import java.util.SplittableRandom;

import org.atnas.api.ImageBatch;
import org.atnas.api.Task;
import org.atnas.core.bench.Statistics;

/**
 * The floor every learned method must beat: classifiers that learn nothing, on the pixels.
 * 1-nearest-neighbour labels a query with its nearest support image's label (Euclidean); the
 * nearest class mean with the label of the nearest mean of a class's support images.
 */
public final class FewShotBaseline
{
    /**
     * Mean accuracy over tasks and its 95% confidence interval (1.96 standard errors).
     *
     * @param nearestNeighbour 1-NN's
     * @param nearestClassMean the nearest class mean's
     * @param tasks how many tasks
     */
    public record Result(Accuracy nearestNeighbour, Accuracy nearestClassMean, int tasks) {}

    /**
     * What {@code baseline.json} holds.
     *
     * @param task for example {@code 5-way 1-shot 15-query}
     */
    public record Summary(String dataset, String task, int tasks, int metaTestClasses, Accuracy nearestNeighbour, Accuracy nearestClassMean)
    {
        public Summary(String dataset, String task, int tasks, int metaTestClasses, Result result)
        {
            this(dataset, task, tasks, metaTestClasses, result.nearestNeighbour(), result.nearestClassMean());
        }
    }

    /**
     * @param mean mean accuracy over tasks, in [0, 1]
     * @param confidence95 half-width of the 95% confidence interval
     */
    public record Accuracy(double mean, double confidence95) {}

    private FewShotBaseline() {}

    /** Both classifiers on {@code tasks} tasks with seeds drawn from {@code seed}. */
    public static Result evaluate(TaskSampler sampler, int tasks, long seed)
    {
        if (tasks < 2) {
            throw new IllegalArgumentException("A confidence interval needs at least 2 tasks, got " + tasks);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] nearest = new double[tasks];
        double[] classMean = new double[tasks];
        for (int i = 0; i < tasks; i++) {
            Task task = sampler.sample(random.nextLong());
            nearest[i] = nearestNeighbourAccuracy(task);
            classMean[i] = nearestClassMeanAccuracy(task);
        }
        return new Result(accuracy(nearest), accuracy(classMean), tasks);
    }

    public static double nearestNeighbourAccuracy(Task task)
    {
        ImageBatch support = task.support();
        return accuracyAgainst(task.query(), support.pixels(), support.labels());
    }

    public static double nearestClassMeanAccuracy(Task task)
    {
        ImageBatch support = task.support();
        int size = support.shape().size();
        float[] means = new float[task.ways() * size];
        int[] counts = new int[task.ways()];
        for (int i = 0; i < support.size(); i++) {
            int label = support.labels()[i];
            counts[label]++;
            for (int p = 0; p < size; p++) {
                means[label * size + p] += support.pixels()[i * size + p];
            }
        }
        int[] labels = new int[task.ways()];
        for (int label = 0; label < task.ways(); label++) {
            labels[label] = label;
            for (int p = 0; p < size; p++) {
                means[label * size + p] /= counts[label];
            }
        }
        return accuracyAgainst(task.query(), means, labels);
    }

    /** The fraction of queries whose nearest reference (Euclidean) has their label. */
    private static double accuracyAgainst(ImageBatch query, float[] references, int[] referenceLabels)
    {
        int size = query.shape().size();
        int correct = 0;
        for (int q = 0; q < query.size(); q++) {
            double best = Double.POSITIVE_INFINITY;
            int predicted = -1;
            for (int r = 0; r < referenceLabels.length; r++) {
                double distance = 0;
                for (int p = 0; p < size; p++) {
                    double difference = query.pixels()[q * size + p] - references[r * size + p];
                    distance += difference * difference;
                }
                if (distance < best) {
                    best = distance;
                    predicted = referenceLabels[r];
                }
            }
            if (predicted == query.labels()[q]) {
                correct++;
            }
        }
        return (double) correct / query.size();
    }

    private static Accuracy accuracy(double[] perTask)
    {
        double mean = Statistics.mean(perTask);
        double standardError = Statistics.standardDeviation(perTask) / Math.sqrt(perTask.length);
        return new Accuracy(mean, 1.96 * standardError);
    }
}
