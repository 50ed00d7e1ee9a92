package org.atnas.core.search;

import java.util.List;

import org.atnas.api.plugin.Setting;

/** The keys of the meta-search (Algorithm 1). Defaults are the paper's few-shot setting where it gives one. */
public final class SearchSettings
{
    public static final Setting<Integer> POPULATION = Setting.integer("search.population", 128, 2, 1_000_000,
            "K: architectures in the population (the paper: 128).");
    public static final Setting<Integer> EVOLVE_EVERY = Setting.integer("search.evolve-every", 4, 1, 1_000_000,
            "k: after warm-up, the population is evaluated and evolved every k meta-steps (the paper: 4).");
    public static final Setting<Integer> ARCH_BATCH = Setting.integer("search.arch-batch", 4, 1, 100_000,
            "B_arch: architectures drawn from the population for each meta-step.");
    public static final Setting<Integer> TASK_BATCH = Setting.integer("search.task-batch", 4, 1, 100_000,
            "B_task: tasks per worker and meta-step (Eq. 7: a meta-step averages over workers x B_task tasks); with search.task-batch-scope = step, tasks per meta-step shared out among the workers. Each (architecture, task) pair gives one meta-gradient.");
    public static final Setting<String> TASK_BATCH_SCOPE = Setting.oneOf("search.task-batch-scope", "worker", List.of("worker", "step"),
            "worker: each of the workers draws its own B_task tasks from its shard of the task pool, as in the paper's Eq. 7; step: B_task tasks per meta-step, shared out among the workers (then the number of workers does not change the result).");
    public static final Setting<String> ARCHITECTURE_SAMPLING = Setting.oneOf("search.architecture-sampling", "per-task", List.of("per-task", "per-step"),
            "per-task: B_arch architectures are drawn for each task of a meta-step, as in Algorithm 1 (lines 5-6); per-step: one draw of B_arch architectures serves every task of the meta-step.");
    public static final Setting<Long> MAX_MULTIPLY_ADDS = Setting.longInteger("search.max-multiply-adds", 0L,
            "The FLOPs constraint of Sec. 3.3: architectures with more multiply-adds per image are never sampled, bred or kept (initial population, warm-up, crossover, mutation, refill); 0: no constraint.");
    public static final Setting<Integer> INNER_STEPS = Setting.integer("search.inner-steps", 5, 1, 10_000,
            "M: SGD steps on a task's support set in meta-training and in the fitness evaluations of the search.");
    public static final Setting<Double> INNER_LR = Setting.decimal("search.inner-lr", 0.01, 1e-9, 100.0,
            "lambda_task: learning rate of the inner SGD steps (the paper: 0.01 during search).");
    public static final Setting<Double> META_LR = Setting.decimal("search.meta-lr", 0.001, 1e-9, 10.0,
            "eta_meta: Adam's learning rate for the outer update of the supernet (the paper: 0.001).");
    public static final Setting<Integer> WARMUP_STEPS = Setting.integer("search.warmup-steps", 200, 0, 100_000_000,
            "Meta-steps of warm-up, with subnets sampled uniformly from the space instead of the population.");
    public static final Setting<Integer> STEPS = Setting.integer("search.steps", 2000, 0, 100_000_000,
            "Meta-steps after warm-up, with architectures from the evolving population.");
    public static final Setting<Integer> WORKERS = Setting.integer("search.workers", 1, 1, 1024,
            "Parallel workers (Sec. 3.4): each owns a shard of the task pool and its own backend worker; meta-gradients and fitness are averaged across them.");
    public static final Setting<Integer> TASK_POOL = Setting.integer("search.task-pool", 1000, 1, 100_000_000,
            "T: tasks in the meta-train task pool of an epoch; a new pool is drawn each epoch and split into one shard per worker.");
    public static final Setting<Integer> VALIDATION_TASKS = Setting.integer("search.validation-tasks", 16, 1, 1_000_000,
            "Meta-val tasks each evaluation adapts every individual to; fitness is the mean query accuracy over them.");
    public static final Setting<Integer> CHECKPOINT_EVERY = Setting.integer("search.checkpoint-every", 200, 1, 100_000_000,
            "Meta-steps between checkpoints (one is also written at the end and on Ctrl-C).");

    public static final Setting<String> METHOD = Setting.oneOf("search.method", "atnas", List.of("atnas", "random", "fixed"),
            "atnas: the full algorithm; random: the population is sampled and never evolved, the best on meta-val is picked; fixed: meta-trains search.fixed-code alone (population and arch-batch are not used). The baselines of a study, in the same engine.");
    public static final Setting<String> FIXED_CODE = Setting.string("search.fixed-code", null,
            "The architecture that search.method = fixed meta-trains: a name the search space knows (darts-v2 in the DARTS space), a code, or the space's notation.");
    public static final Setting<Double> CPU_BUDGET = Setting.decimal("search.cpu-budget", 0.0, 0.0, 1e9,
            "CPU minutes (all threads of the process) the meta-steps may use; when spent, the search ends early as if its steps were done (final evaluation, checkpoint). 0: no budget, search.steps decides. Counted from the start of this process's search: a resumed search counts again.");
    public static final Setting<Integer> EVALUATE_INNER_STEPS = Setting.integer("evaluate.inner-steps", 5, 1, 10_000,
            "Inner SGD steps of the adaptation to each meta-test task in atnas evaluate (the paper's test protocol: 5 steps).");
    public static final Setting<Double> EVALUATE_INNER_LR = Setting.decimal("evaluate.inner-lr", 0.1, 1e-9, 100.0,
            "Learning rate of that adaptation to each meta-test task (the paper: lambda_task = 0.1).");

    public static final Setting<Integer> PREDICTOR_PAIRS = Setting.integer("predictor.min-pairs", 50, 3, 100_000_000,
            "p: (code, fitness) pairs evaluated for real before the configured predictor starts ranking candidates.");
    public static final Setting<Double> PREDICTOR_FRACTION = Setting.decimal("predictor.evaluate-fraction", 0.5, 0.01, 1.0,
            "Once the predictor is in use, the share of a generation's candidates evaluated for real (the predicted best); the others keep their predicted fitness.");

    private SearchSettings() {}

    public static List<Setting<?>> all()
    {
        return List.of(POPULATION, EVOLVE_EVERY, ARCH_BATCH, TASK_BATCH, TASK_BATCH_SCOPE, ARCHITECTURE_SAMPLING, MAX_MULTIPLY_ADDS, INNER_STEPS, INNER_LR, META_LR, WARMUP_STEPS, STEPS, WORKERS, TASK_POOL, VALIDATION_TASKS, CHECKPOINT_EVERY, METHOD, FIXED_CODE, CPU_BUDGET, EVALUATE_INNER_STEPS, EVALUATE_INNER_LR,
                PREDICTOR_PAIRS, PREDICTOR_FRACTION);
    }
}
