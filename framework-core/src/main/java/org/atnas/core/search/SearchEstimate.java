package org.atnas.core.search;

import java.util.Locale;
import java.util.Optional;

import org.atnas.api.SearchSpace;

import static java.util.Objects.requireNonNull;

/**
 * What a search will need, from its configuration before it starts: the Java heap its largest
 * structures take (the population, a generation's evaluation jobs, the checkpoint's copy of W and
 * Adam's moments) and the number of task adaptations of a meta-step and of an evaluation, which
 * the first meta-step's time turns into a time. A rough bound, to catch configurations that cannot
 * fit (a population of a million) before hours are spent, not a measurement.
 *
 * @param supernetParameters floats of W
 * @param population K
 * @param pairsPerStep (architecture, task) pairs of a meta-step
 * @param adaptationsPerEvaluation task adaptations of one evaluation of the population (K × meta-val tasks)
 * @param heapBytes the estimated Java heap the search needs at its peak
 */
public record SearchEstimate(long supernetParameters, int population, long pairsPerStep, long adaptationsPerEvaluation, long heapBytes)
{
    /** Heap of one individual: its code (an int per position) and the objects around it (Individual, fitness, lists, maps). */
    private static final long INDIVIDUAL_OVERHEAD_BYTES = 160;
    /** Heap of one evaluation job while a generation is measured: its closure, slot, result and accuracy. */
    private static final long EVALUATION_JOB_BYTES = 160;
    /** What the engine, the data and the plugins take besides the search's own structures. */
    private static final long BASE_BYTES = 256L << 20;
    /** Share of the heap limit the estimate may use before it warns: the collector needs room too. */
    private static final double HEAP_SHARE = 0.8;

    public SearchEstimate
    {
        if (supernetParameters < 0 || population < 0 || pairsPerStep < 0 || adaptationsPerEvaluation < 0 || heapBytes < 0) {
            throw new IllegalArgumentException("An estimate counts non-negative amounts");
        }
    }

    /** The estimate of a plan on a space's supernet for the run's data. */
    public static SearchEstimate of(SearchPlan plan, SearchSpace space, SearchData data)
    {
        requireNonNull(plan, "plan is null");
        long parameters = space.describeSupernet(data.input(), data.classes()).parameterCount();
        int population = plan.population().size();
        long adaptations = (long) population * plan.fitness().validationTasks();
        long pairs = (long) plan.metaStep().architectureBatch() * plan.metaStep().tasksPerStep();
        long heap = BASE_BYTES
                // W, Adam's m and v as heap arrays while a checkpoint is written
                + 3 * 4 * parameters
                + population * (INDIVIDUAL_OVERHEAD_BYTES + 4L * space.codeLength())
                + adaptations * EVALUATION_JOB_BYTES;
        return new SearchEstimate(parameters, population, pairs, adaptations, heap);
    }

    /** One line for the start of a run. */
    public String describe(long heapLimitBytes)
    {
        return String.format(Locale.ROOT, "Estimate: about %s of Java heap of %s available; W has %,d parameters; a meta-step adapts %,d (architecture, task) pairs, an evaluation %,d",
                size(heapBytes), size(heapLimitBytes), supernetParameters, pairsPerStep, adaptationsPerEvaluation);
    }

    /** A warning when the estimate does not fit the heap limit, saying which keys drive it. */
    public Optional<String> warning(long heapLimitBytes)
    {
        if (heapBytes <= HEAP_SHARE * heapLimitBytes) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "warning: this configuration needs about %s of Java heap, more than this machine gives it (%s): "
                + "lower search.population (%,d) or search.validation-tasks (an evaluation adapts %,d tasks), or raise -Xmx in ATNAS_JAVA_OPTS", size(heapBytes), size(heapLimitBytes), population,
                adaptationsPerEvaluation));
    }

    /** The time of one evaluation, from the time of a meta-step: an adaptation costs about as much as a pair (whose meta-gradient is the inner loop, too). */
    public double evaluationSeconds(double metaStepSeconds)
    {
        return pairsPerStep == 0 ? 0 : metaStepSeconds / pairsPerStep * adaptationsPerEvaluation;
    }

    static String size(long bytes)
    {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%,d MB", bytes >> 20);
    }
}
