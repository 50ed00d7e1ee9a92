package org.atnas.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.Population;
import org.atnas.core.data.TaskPool;
import org.atnas.core.search.SearchPlan.ArchitectureSampling;
import org.atnas.core.search.SearchPlan.MetaStepPlan;
import org.atnas.core.search.SearchPlan.TaskBatchScope;

import static java.util.Objects.requireNonNull;

/**
 * Which pairs a meta-step trains (Algorithm 1, lines 4-6, and Eq. 7): its tasks from the epoch's
 * task pool, each owned by the worker whose shard holds it, and for each task B_arch distinct
 * architectures, from the space during warm-up and from the population after. Every choice comes
 * from a seed derived from the run's seed and the step, so a resumed run plans what an
 * uninterrupted one does.
 */
@Singleton
final class StepPlanner
{
    /** Task pools kept: a meta-step's tasks span at most two epochs. */
    private static final int POOLS = 2;

    private final SearchPlan plan;
    private final SearchData data;
    private final ConstrainedSpace space;
    private final Map<Integer, TaskPool> pools = new LruMap<>(POOLS);

    @Inject
    StepPlanner(SearchPlan plan, SearchData data, ConstrainedSpace space)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.data = requireNonNull(data, "data is null");
        this.space = requireNonNull(space, "space is null");
    }

    /**
     * The pairs of meta-step {@code step} (from 0), task by task, each task's architectures in the
     * order drawn.
     */
    List<MetaStep.Pair> pairs(int step, Population population)
    {
        MetaStepPlan metaStep = plan.metaStep();
        boolean warmup = step < plan.schedule().warmupSteps();
        SplittableRandom random = new SplittableRandom(Seeds.derive(plan.seed(), Seeds.ARCHITECTURES, step));
        List<ArchitectureCode> shared = metaStep.sampling() == ArchitectureSampling.PER_STEP ? architectures(warmup, population, random) : null;
        List<MetaStep.Pair> pairs = new ArrayList<>();
        for (TaskSlot slot : tasks(step)) {
            List<ArchitectureCode> codes = shared != null ? shared : architectures(warmup, population, random);
            for (ArchitectureCode code : codes) {
                pairs.add(new MetaStep.Pair(code, () -> slot.pool().task(slot.index()), slot.worker(), OptionalLong.of(slot.pool().seed(slot.index()))));
            }
        }
        return pairs;
    }

    private record TaskSlot(TaskPool pool, int index, int worker) {}

    /**
     * The step's tasks. Task i of a pool belongs to worker i mod 𝒦. Per worker (Eq. 7): worker k
     * takes the next B_task tasks of its own shard. Per step: the step takes the next B_task tasks
     * of the pool, each on the worker that owns it.
     */
    private List<TaskSlot> tasks(int step)
    {
        MetaStepPlan metaStep = plan.metaStep();
        int workers = metaStep.workers();
        int poolSize = metaStep.taskPool();
        List<TaskSlot> slots = new ArrayList<>();
        if (metaStep.taskBatchScope() == TaskBatchScope.STEP) {
            for (int j = 0; j < metaStep.taskBatch(); j++) {
                long position = (long) step * metaStep.taskBatch() + j;
                int index = (int) (position % poolSize);
                slots.add(new TaskSlot(pool((int) (position / poolSize)), index, index % workers));
            }
            return slots;
        }
        // every shard is read as T / 𝒦 tasks long, so the workers start a new pool together
        int shardSize = poolSize / workers;
        for (int k = 0; k < workers; k++) {
            for (int j = 0; j < metaStep.taskBatch(); j++) {
                long position = (long) step * metaStep.taskBatch() + j;
                int index = (int) (position % shardSize) * workers + k;
                slots.add(new TaskSlot(pool((int) (position / shardSize)), index, k));
            }
        }
        return slots;
    }

    /** B_arch distinct architectures: sampled from the space in warm-up, drawn from the population after. */
    private List<ArchitectureCode> architectures(boolean warmup, Population population, SplittableRandom random)
    {
        List<ArchitectureCode> codes = new ArrayList<>();
        if (plan.method() == SearchMethod.FIXED) {
            // warm-up included: the baseline trains its one architecture from the first step
            return List.of(plan.fixedCode().orElseThrow());
        }
        int batch = plan.metaStep().architectureBatch();
        if (warmup) {
            for (int i = 0; i < batch; i++) {
                codes.add(space.sample(random));
            }
            return codes;
        }
        // a partial Fisher-Yates shuffle: B_arch distinct members
        int[] indices = new int[population.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        for (int i = 0; i < batch; i++) {
            int j = i + random.nextInt(indices.length - i);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
            codes.add(population.individuals().get(indices[i]).code());
        }
        return codes;
    }

    private TaskPool pool(int epoch)
    {
        return pools.computeIfAbsent(epoch, key -> new TaskPool(data.training(), plan.metaStep().taskPool(), Seeds.derive(plan.seed(), Seeds.TASK_POOL, key)));
    }
}
