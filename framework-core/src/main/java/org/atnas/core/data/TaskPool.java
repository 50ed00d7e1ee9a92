package org.atnas.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.atnas.api.Task;

import static java.util.Objects.requireNonNull;

/**
 * A fixed pool of T tasks (the paper's task pool), held as seeds and assembled on demand, and its
 * split into 𝒦 disjoint shards, one per parallel worker (Sec. 3.4).
 */
public final class TaskPool
{
    private final TaskSampler sampler;
    private final long[] seeds;

    /** T tasks whose seeds are drawn from {@code seed}. */
    public TaskPool(TaskSampler sampler, int size, long seed)
    {
        this.sampler = requireNonNull(sampler, "sampler is null");
        if (size < 1) {
            throw new IllegalArgumentException("A task pool needs at least 1 task, got " + size);
        }
        SplittableRandom random = new SplittableRandom(seed);
        this.seeds = new long[size];
        for (int i = 0; i < size; i++) {
            seeds[i] = random.nextLong();
        }
    }

    public int size()
    {
        return seeds.length;
    }

    public long seed(int index)
    {
        return seeds[index];
    }

    public Task task(int index)
    {
        return sampler.sample(seeds[index]);
    }

    /**
     * The indices of shard {@code worker} of {@code workers}: tasks {@code worker, worker + workers, ...}.
     * The shards are disjoint and together hold the pool.
     *
     * @throws IllegalArgumentException if there are more workers than tasks
     */
    public List<Integer> shard(int worker, int workers)
    {
        if (workers < 1 || worker < 0 || worker >= workers) {
            throw new IllegalArgumentException("Worker " + worker + " of " + workers + " does not exist");
        }
        if (workers > seeds.length) {
            throw new IllegalArgumentException("A pool of " + seeds.length + " tasks cannot feed " + workers + " workers");
        }
        List<Integer> shard = new ArrayList<>();
        for (int i = worker; i < seeds.length; i += workers) {
            shard.add(i);
        }
        return shard;
    }
}
