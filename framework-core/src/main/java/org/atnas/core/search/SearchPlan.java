package org.atnas.core.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.InnerLoop;
import org.atnas.api.SearchSpace;
import org.atnas.core.config.CoreSettings;
import org.atnas.core.config.SettingValues;

import static java.util.Objects.requireNonNull;

/**
 * The settings of a search, read from their {@link SearchSettings} and grouped by the part of the
 * engine that uses them; settings that cannot work together fail here, before any work starts.
 *
 * @param method the full algorithm or a baseline
 * @param fixedCode the architecture {@link SearchMethod#FIXED} meta-trains
 * @param seed the run's seed; every random choice derives from it ({@link Seeds})
 * @param population the population and its evolution
 * @param metaStep the meta-step (Eq. 6 and 7)
 * @param fitness the fitness evaluation
 * @param schedule how long the search runs
 */
public record SearchPlan(SearchMethod method, Optional<ArchitectureCode> fixedCode, long seed, PopulationPlan population, MetaStepPlan metaStep, FitnessPlan fitness,
        Schedule schedule)
{
    /**
     * The population (Algorithm 2).
     *
     * @param size K
     * @param evolveEvery k: meta-steps between evaluations and evolutions
     * @param maxMultiplyAdds the FLOPs constraint of Sec. 3.3 (multiply-adds per image), 0 for none
     */
    public record PopulationPlan(int size, int evolveEvery, long maxMultiplyAdds)
    {
        public PopulationPlan
        {
            if (maxMultiplyAdds < 0) {
                throw new IllegalArgumentException("search.max-multiply-adds must not be negative, got " + maxMultiplyAdds);
            }
        }
    }

    /**
     * The meta-step.
     *
     * @param architectureBatch B_arch
     * @param taskBatch B_task, per worker or per step as {@code taskBatchScope} says
     * @param taskBatchScope whether each worker draws B_task tasks (Eq. 7) or the step does
     * @param sampling whether each task gets its own draw of architectures (Algorithm 1) or the step one
     * @param innerLoop M and λ_task
     * @param metaLearningRate η_meta
     * @param workers 𝒦
     * @param taskPool T
     */
    public record MetaStepPlan(int architectureBatch, int taskBatch, TaskBatchScope taskBatchScope, ArchitectureSampling sampling, InnerLoop innerLoop, double metaLearningRate,
            int workers, int taskPool)
    {
        public MetaStepPlan
        {
            requireNonNull(taskBatchScope, "taskBatchScope is null");
            requireNonNull(sampling, "sampling is null");
            requireNonNull(innerLoop, "innerLoop is null");
            if (workers > taskPool) {
                throw new IllegalArgumentException("search.workers (" + workers + ") is larger than search.task-pool (" + taskPool + "): every worker needs a shard of the pool");
            }
        }

        /** Tasks in one meta-step. */
        public int tasksPerStep()
        {
            return taskBatchScope == TaskBatchScope.WORKER ? workers * taskBatch : taskBatch;
        }
    }

    /**
     * The fitness evaluation (Algorithm 2, line 1) and the predictor in the loop (Sec. 3.4).
     *
     * @param validationTasks meta-val tasks per evaluation
     * @param predictorPairs p: real evaluations before a configured predictor ranks candidates
     * @param predictorFraction share of candidates evaluated for real once it does
     */
    public record FitnessPlan(int validationTasks, int predictorPairs, double predictorFraction) {}

    /**
     * How long a search runs.
     *
     * @param warmupSteps warm-up meta-steps
     * @param steps meta-steps after warm-up
     * @param checkpointEvery meta-steps between checkpoints
     * @param cpuBudgetMinutes CPU minutes the meta-steps may use; 0 for no budget
     */
    public record Schedule(int warmupSteps, int steps, int checkpointEvery, double cpuBudgetMinutes)
    {
        public Schedule
        {
            if (cpuBudgetMinutes < 0) {
                throw new IllegalArgumentException("search.cpu-budget must not be negative, got " + cpuBudgetMinutes);
            }
        }

        public int totalSteps()
        {
            return warmupSteps + steps;
        }
    }

    /** Where a meta-step's tasks come from (Sec. 3.4). */
    public enum TaskBatchScope
    {
        /** Each worker draws B_task tasks of its own shard: 𝒦 · B_task tasks per meta-step (Eq. 7). */
        WORKER,
        /** B_task tasks per meta-step, shared out among the workers: 𝒦 does not change the result. */
        STEP
    }

    /** How a meta-step draws its architectures. */
    public enum ArchitectureSampling
    {
        /** B_arch architectures for each task (Algorithm 1, lines 5-6). */
        PER_TASK,
        /** One draw of B_arch architectures for all tasks of the meta-step. */
        PER_STEP
    }

    public SearchPlan
    {
        requireNonNull(method, "method is null");
        requireNonNull(fixedCode, "fixedCode is null");
        requireNonNull(population, "population is null");
        requireNonNull(metaStep, "metaStep is null");
        requireNonNull(fitness, "fitness is null");
        requireNonNull(schedule, "schedule is null");
        if (method == SearchMethod.FIXED && fixedCode.isEmpty()) {
            throw new IllegalArgumentException("search.method = fixed needs search.fixed-code, the architecture to meta-train");
        }
        if (method != SearchMethod.FIXED && metaStep.architectureBatch() > population.size()) {
            throw new IllegalArgumentException("search.arch-batch (" + metaStep.architectureBatch() + ") is larger than search.population (" + population.size()
                    + "): a meta-step draws distinct architectures from the population");
        }
    }

    /**
     * Reads the plan of a search in {@code space}.
     *
     * @throws IllegalArgumentException naming the key when settings do not work together or
     *     {@code search.fixed-code} is not an architecture of the space
     */
    public static SearchPlan read(SettingValues settings, SearchSpace space)
    {
        SearchMethod method = SearchMethod.fromKey(settings.get(SearchSettings.METHOD));
        return new SearchPlan(
                method,
                settings.find(SearchSettings.FIXED_CODE).map(text -> architecture(space, "search.fixed-code", text)),
                settings.get(CoreSettings.SEED),
                new PopulationPlan(settings.get(SearchSettings.POPULATION), settings.get(SearchSettings.EVOLVE_EVERY), settings.get(SearchSettings.MAX_MULTIPLY_ADDS)),
                new MetaStepPlan(
                        settings.get(SearchSettings.ARCH_BATCH),
                        settings.get(SearchSettings.TASK_BATCH),
                        choice(TaskBatchScope.class, SearchSettings.TASK_BATCH_SCOPE.key(), settings.get(SearchSettings.TASK_BATCH_SCOPE)),
                        choice(ArchitectureSampling.class, SearchSettings.ARCHITECTURE_SAMPLING.key(), settings.get(SearchSettings.ARCHITECTURE_SAMPLING)),
                        new InnerLoop(settings.get(SearchSettings.INNER_STEPS), settings.get(SearchSettings.INNER_LR)),
                        settings.get(SearchSettings.META_LR),
                        settings.get(SearchSettings.WORKERS),
                        settings.get(SearchSettings.TASK_POOL)),
                new FitnessPlan(settings.get(SearchSettings.VALIDATION_TASKS), settings.get(SearchSettings.PREDICTOR_PAIRS), settings.get(SearchSettings.PREDICTOR_FRACTION)),
                new Schedule(settings.get(SearchSettings.WARMUP_STEPS), settings.get(SearchSettings.STEPS), settings.get(SearchSettings.CHECKPOINT_EVERY),
                        settings.get(SearchSettings.CPU_BUDGET)));
    }

    /**
     * An architecture as a user may give it: a name the space knows ({@code darts-v2}), a code
     * ({@code 4,4,0,...}), or the space's notation.
     *
     * @throws IllegalArgumentException starting with {@code key} when it is none of them or not valid in the space
     */
    public static ArchitectureCode architecture(SearchSpace space, String key, String text)
    {
        String given = text.strip();
        try {
            if (given.matches("[0-9,\\s]+")) {
                ArchitectureCode code = ArchitectureCode.parse(given);
                space.validate(code);
                return code;
            }
            ArchitectureCode named = space.namedArchitectures().get(given);
            return named != null ? named : space.fromNotation(given);
        }
        catch (IllegalArgumentException e) {
            String names = given.matches("[0-9,\\s]+") || space.namedArchitectures().isEmpty() ? "" : "; or a name: " + String.join(", ", space.namedArchitectures().keySet().stream().sorted().toList());
            throw new IllegalArgumentException(key + ": " + e.getMessage() + names, e);
        }
    }

    /** The enum constant whose lower-case, dashed name is {@code value}. */
    static <E extends Enum<E>> E choice(Class<E> type, String key, String value)
    {
        for (E constant : type.getEnumConstants()) {
            if (keyOf(constant).equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException(key + ": unknown value [" + value + "], expected one of "
                + Arrays.stream(type.getEnumConstants()).map(SearchPlan::keyOf).collect(Collectors.joining(", ")));
    }

    /** {@code PER_TASK} as configured: {@code per-task}. */
    static String keyOf(Enum<?> constant)
    {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The same plan with another schedule (a benchmark's, a final training's). */
    public SearchPlan withSchedule(Schedule other)
    {
        return new SearchPlan(method, fixedCode, seed, population, metaStep, fitness, other);
    }
}
