package org.atnas.core.data;

import java.util.List;
import java.util.SplittableRandom;

import org.atnas.api.ImageBatch;
import org.atnas.api.ImageShape;
import org.atnas.api.Task;

import static java.util.Objects.requireNonNull;

/**
 * Samples N-way K-shot Q-query tasks from a list of classes: N distinct classes, K + Q distinct
 * images of each, labels 0..N−1 assigned to the classes in a fresh random order per task. A task
 * is a function of its seed.
 */
public final class TaskSampler
{
    private final String splitName;
    private final List<ImageClass> classes;
    private final ImageShape shape;
    private final Normalization normalization;
    private final int ways;
    private final int shots;
    private final int queries;

    /**
     * @param splitName the split's name for messages ({@code meta-test})
     * @throws DataException if the split has fewer classes than ways, or a class fewer images than shots + queries
     */
    public TaskSampler(String splitName, List<ImageClass> classes, Normalization normalization, int ways, int shots, int queries)
    {
        this.splitName = requireNonNull(splitName, "splitName is null");
        this.classes = List.copyOf(requireNonNull(classes, "classes is null"));
        this.normalization = requireNonNull(normalization, "normalization is null");
        if (ways < 2 || shots < 1 || queries < 1) {
            throw new DataException("A task needs at least 2 ways, 1 shot and 1 query, got " + ways + "-way " + shots + "-shot " + queries + "-query");
        }
        if (this.classes.size() < ways) {
            throw new DataException("The " + splitName + " split has " + this.classes.size() + " classes, fewer than the " + ways + " ways of a task");
        }
        for (ImageClass imageClass : this.classes) {
            if (imageClass.size() < shots + queries) {
                throw new DataException("Class " + imageClass.name() + " has " + imageClass.size() + " images, but a " + shots + "-shot " + queries + "-query task needs " + (shots + queries) + " per class");
            }
        }
        this.shape = this.classes.get(0).shape();
        this.ways = ways;
        this.shots = shots;
        this.queries = queries;
    }

    public String splitName()
    {
        return splitName;
    }

    public List<ImageClass> classes()
    {
        return classes;
    }

    public int ways()
    {
        return ways;
    }

    public int shots()
    {
        return shots;
    }

    public ImageShape shape()
    {
        return shape;
    }

    /** The task of a seed: the same seed gives the same classes, images and labels. */
    public Task sample(long seed)
    {
        return sampleWithClasses(seed).task();
    }

    /**
     * A task and which class got which label.
     *
     * @param task the task
     * @param classOfLabel the class behind each label
     */
    public record LabelledTask(Task task, List<ImageClass> classOfLabel) {}

    public LabelledTask sampleWithClasses(long seed)
    {
        SplittableRandom random = new SplittableRandom(seed);
        int[] chosen = distinct(random, classes.size(), ways);
        int[] label = distinct(random, ways, ways);
        int imageSize = shape.size();
        float[] supportPixels = new float[ways * shots * imageSize];
        int[] supportLabels = new int[ways * shots];
        float[] queryPixels = new float[ways * queries * imageSize];
        int[] queryLabels = new int[ways * queries];
        ImageClass[] classOfLabel = new ImageClass[ways];
        for (int way = 0; way < ways; way++) {
            ImageClass imageClass = classes.get(chosen[way]);
            classOfLabel[label[way]] = imageClass;
            int[] images = distinct(random, imageClass.size(), shots + queries);
            for (int i = 0; i < shots; i++) {
                int slot = way * shots + i;
                imageClass.read(images[i], normalization, supportPixels, slot * imageSize);
                supportLabels[slot] = label[way];
            }
            for (int i = 0; i < queries; i++) {
                int slot = way * queries + i;
                imageClass.read(images[shots + i], normalization, queryPixels, slot * imageSize);
                queryLabels[slot] = label[way];
            }
        }
        Task task = new Task(ways, new ImageBatch(shape, supportPixels, supportLabels), new ImageBatch(shape, queryPixels, queryLabels), seed);
        return new LabelledTask(task, List.of(classOfLabel));
    }

    /** {@code count} distinct values from {@code 0..bound-1} in random order (a partial Fisher–Yates shuffle). */
    private static int[] distinct(SplittableRandom random, int bound, int count)
    {
        if (count * 8 < bound) {
            // few of many (5 of 4,000 classes): rejection is cheaper than an index array
            int[] values = new int[count];
            for (int i = 0; i < count; i++) {
                int value;
                boolean repeated;
                do {
                    value = random.nextInt(bound);
                    repeated = false;
                    for (int j = 0; j < i; j++) {
                        repeated |= values[j] == value;
                    }
                }
                while (repeated);
                values[i] = value;
            }
            return values;
        }
        int[] all = new int[bound];
        for (int i = 0; i < bound; i++) {
            all[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(bound - i);
            int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        int[] values = new int[count];
        System.arraycopy(all, 0, values, 0, count);
        return values;
    }

    /** Mean wall time of sampling and assembling one task, in microseconds, over {@code tasks} after a warm-up of as many. */
    public double microsecondsPerTask(int tasks)
    {
        long checksum = 0;
        for (int i = 0; i < tasks; i++) {
            checksum += sample(i).support().labels()[0];
        }
        long start = System.nanoTime();
        for (int i = 0; i < tasks; i++) {
            checksum += sample(tasks + i).support().labels()[0];
        }
        long elapsed = System.nanoTime() - start;
        // the checksum keeps the JIT from dropping the work
        return checksum < 0 ? -1 : elapsed / 1e3 / tasks;
    }
}
