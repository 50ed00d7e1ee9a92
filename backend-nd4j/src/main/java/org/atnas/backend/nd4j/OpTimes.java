package org.atnas.backend.nd4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Where the gradient passes' time goes ({@code nd4j.op-times}): each op's wall time from just before
 * it runs to just after, summed by op name, and each pass's, by batch size. A pass's time outside
 * its ops is, with SameDiff, its session (dependency tracking, shape functions, output allocation);
 * eagerly, Java, allocating and freeing arrays, and reading batch norm's per-channel sums. Shared
 * by the graphs of all workers of a backend; each thread times its own ops.
 */
final class OpTimes
        extends BaseListener
{
    private final Map<String, Total> ops = new ConcurrentHashMap<>();
    private final Map<Integer, Total> passes = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> opsInPasses = new ConcurrentHashMap<>();
    /** This thread's op start and the batch size of its pass (0 outside {@link #pass}). */
    private final ThreadLocal<long[]> current = ThreadLocal.withInitial(() -> new long[2]);

    /** A sum of nanoseconds and the number of calls it came from. */
    private static final class Total
    {
        final LongAdder nanos = new LongAdder();
        final LongAdder calls = new LongAdder();

        void add(long elapsed)
        {
            nanos.add(elapsed);
            calls.increment();
        }
    }

    @Override
    public boolean isActive(Operation operation)
    {
        // gradient passes only: inference passes (logits) are not timed as passes either
        return operation == Operation.TRAINING;
    }

    @Override
    public void preOpExecution(SameDiff graph, At at, SameDiffOp op, OpContext context)
    {
        current.get()[0] = System.nanoTime();
    }

    @Override
    public void opExecution(SameDiff graph, At at, MultiDataSet batch, SameDiffOp op, OpContext context, INDArray[] outputs)
    {
        op(op.getOp().opName(), System.nanoTime() - current.get()[0]);
    }

    /** Counts {@code elapsed} nanoseconds of op {@code name}, run by this thread in its current pass. */
    void op(String name, long elapsed)
    {
        ops.computeIfAbsent(name, key -> new Total()).add(elapsed);
        opsInPasses.computeIfAbsent((int) current.get()[1], size -> new LongAdder()).add(elapsed);
    }

    /** Runs {@code pass}, a gradient pass over {@code batchSize} images, and times it. */
    <T> T pass(int batchSize, Supplier<T> pass)
    {
        long[] state = current.get();
        state[1] = batchSize;
        long start = System.nanoTime();
        try {
            return pass.get();
        }
        finally {
            passes.computeIfAbsent(batchSize, size -> new Total()).add(System.nanoTime() - start);
            state[1] = 0;
        }
    }

    /**
     * The report: per batch size, the passes, their mean time and how much of it the ops took;
     * then the {@code top} ops by total time, with their share of all op time, calls and mean time a
     * call. Empty if no gradient pass ran.
     */
    String report(int top)
    {
        if (passes.isEmpty()) {
            return "";
        }
        StringBuilder report = new StringBuilder("ND4J gradient passes (nd4j.op-times):\n");
        report.append(String.format(Locale.ROOT, "%10s %8s %12s %12s %16s%n", "images", "passes", "ms a pass", "in ops", "outside ops"));
        new TreeMap<>(passes).forEach((size, total) -> {
            long calls = total.calls.sum();
            double perPass = total.nanos.sum() / 1e6 / calls;
            LongAdder inOps = opsInPasses.get(size);
            double opsPerPass = inOps == null ? 0 : inOps.sum() / 1e6 / calls;
            report.append(String.format(Locale.ROOT, "%10d %8d %12.1f %12.1f %10.1f (%2.0f%%)%n", size, calls, perPass, opsPerPass, perPass - opsPerPass,
                    100 * (perPass - opsPerPass) / perPass));
        });
        long all = ops.values().stream().mapToLong(total -> total.nanos.sum()).sum();
        List<Map.Entry<String, Total>> byTime = new ArrayList<>(ops.entrySet());
        byTime.sort(Comparator.comparingLong((Map.Entry<String, Total> entry) -> entry.getValue().nanos.sum()).reversed());
        report.append(String.format(Locale.ROOT, "%-28s %10s %8s %10s %10s%n", "op", "ms", "share", "calls", "ms a call"));
        for (Map.Entry<String, Total> entry : byTime.subList(0, Math.min(top, byTime.size()))) {
            long nanos = entry.getValue().nanos.sum();
            long calls = entry.getValue().calls.sum();
            report.append(String.format(Locale.ROOT, "%-28s %10.1f %7.1f%% %10d %10.3f%n", entry.getKey(), nanos / 1e6, 100.0 * nanos / all, calls, nanos / 1e6 / calls));
        }
        return report.toString();
    }
}
