package org.atnas.backend.nd4j;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import static java.util.Objects.requireNonNull;

/**
 * Frees each array a gradient pass computes as soon as the last op that reads it has run, and the
 * rest when the pass ends. SameDiff 1.0.0-M2.1 keeps every array of a gradient pass in its session
 * until the next pass replaces it and then leaves it to the garbage collector: a query pass of the
 * protocol's workload (75 images, C = 16) computes 1.7 GB of arrays, all resident at the end of
 * the pass and freed only by a later collection. (An inference pass releases its arrays as it
 * goes and is not tracked.)
 *
 * <p>An array is freed only if a pass's op produced it and it owns its buffer: views, arrays that
 * share the buffer of a weight, a placeholder or a constant ({@link #begin pinned}), and values
 * computed from constants only, are never closed; an op output that aliases another (same native
 * address) keeps that buffer alive until both are dead. The outputs the caller asks for
 * ({@code kept}) live until {@link #end}, which the caller calls after it has copied what it needs
 * out of them.
 *
 * <p>"Freed" means given to the {@link ArrayPool}, which keeps it for a later op output of
 * the same shape or closes it. The pool is also the gradient session's memory manager
 * ({@link Nd4jNetwork#beginPass}): SameDiff's default one caches the arrays the session considers
 * dead on its own rules and would hand out, or compare, an array this listener has freed.
 *
 * <p>One instance serves one graph, used by one worker thread at a time.
 */
final class PassArrays
        extends BaseListener
{
    private final Set<String> kept;
    /** Each graph instance's structure (SameDiff runs gradients in a function graph of its own). */
    private final Map<SameDiff, Structure> structures = new IdentityHashMap<>();
    private final Set<Long> pinned = new HashSet<>();
    private final Map<String, Integer> pending = new HashMap<>();
    private final Map<String, Long> bufferOf = new HashMap<>();
    private final Map<Long, Owner> owners = new HashMap<>();
    private final ArrayPool pool;
    private boolean active;

    /**
     * @param kept names of the variables the caller reads after the pass (never freed before {@link #end})
     * @param pool where the arrays a pass frees go, to be handed out again as later op outputs
     */
    PassArrays(Collection<String> kept, ArrayPool pool)
    {
        this.kept = Set.copyOf(requireNonNull(kept, "kept is null"));
        this.pool = requireNonNull(pool, "pool is null");
    }

    @Override
    public boolean isActive(Operation operation)
    {
        return active;
    }

    /**
     * Starts tracking a pass.
     *
     * @param pinned arrays the pass reads but does not own (weights, placeholders, constants): never freed
     */
    void begin(Collection<INDArray> pinned)
    {
        if (active) {
            throw new IllegalStateException("A pass is already being tracked");
        }
        this.pinned.clear();
        for (INDArray array : pinned) {
            this.pinned.add(address(array));
        }
        active = true;
    }

    /** Ends the pass: frees every array it produced that is still open, the caller's outputs included (nothing if no pass was begun). */
    void end()
    {
        active = false;
        owners.values().forEach(owner -> pool.give(owner.array));
        owners.clear();
        bufferOf.clear();
        pending.clear();
        pinned.clear();
    }

    @Override
    public void opExecution(SameDiff graph, At at, MultiDataSet batch, SameDiffOp op, OpContext context, INDArray[] outputs)
    {
        if (!active) {
            return;
        }
        Structure structure = structures.computeIfAbsent(graph, Structure::new);
        List<String> names = op.getOutputsOfOp();
        for (int i = 0; i < outputs.length && i < names.size(); i++) {
            if (!structure.constant.contains(names.get(i))) {
                track(names.get(i), outputs[i], structure.readers);
            }
        }
        // the inputs last: an output that aliases an input keeps its buffer alive
        List<String> inputs = op.getInputsToOp();
        if (inputs != null) {
            for (String input : inputs) {
                Integer left = pending.computeIfPresent(input, (name, count) -> count - 1);
                if (left != null && left <= 0) {
                    release(input);
                }
            }
        }
    }

    private void track(String name, INDArray array, Map<String, Integer> reads)
    {
        if (array == null || array.wasClosed() || array.isEmpty()) {
            return;
        }
        long address = address(array);
        if (pinned.contains(address)) {
            return;
        }
        Owner owner = owners.get(address);
        if (owner == null) {
            if (!array.closeable()) {
                // a view or an array ND4J does not let us close: the buffer belongs to something else
                return;
            }
            owner = new Owner(array);
            owners.put(address, owner);
        }
        owner.live.add(name);
        bufferOf.put(name, address);
        pending.put(name, reads.getOrDefault(name, 0));
    }

    private void release(String name)
    {
        pending.remove(name);
        if (kept.contains(name)) {
            return;
        }
        Long address = bufferOf.remove(name);
        if (address == null) {
            return;
        }
        Owner owner = owners.get(address);
        owner.live.remove(name);
        if (owner.live.isEmpty()) {
            owners.remove(address);
            pool.give(owner.array);
        }
    }

    /**
     * How many ops read each variable, and which variables depend on constants only (or on no
     * input): those have the same value in every pass and are left to the graph, as its constants are.
     */
    private static final class Structure
    {
        final Map<String, Integer> readers = new HashMap<>();
        final Set<String> constant = new HashSet<>();

        Structure(SameDiff graph)
        {
            for (SameDiffOp op : graph.getOps().values()) {
                List<String> inputs = op.getInputsToOp();
                if (inputs != null) {
                    inputs.forEach(input -> readers.merge(input, 1, Integer::sum));
                }
            }
            for (SDVariable variable : graph.variables()) {
                if (variable.getVariableType() == VariableType.CONSTANT) {
                    constant.add(variable.name());
                }
            }
            boolean grew = true;
            while (grew) {
                grew = false;
                for (SameDiffOp op : graph.getOps().values()) {
                    List<String> inputs = op.getInputsToOp() == null ? List.of() : op.getInputsToOp();
                    if (constant.containsAll(inputs) && !constant.containsAll(op.getOutputsOfOp())) {
                        constant.addAll(op.getOutputsOfOp());
                        grew = true;
                    }
                }
            }
        }
    }

    /** The native address of the buffer the array's memory belongs to (a view's is its base's). */
    private static long address(INDArray array)
    {
        DataBuffer buffer = array.data();
        while (buffer.originalDataBuffer() != null && buffer.originalDataBuffer() != buffer) {
            buffer = buffer.originalDataBuffer();
        }
        return buffer.address();
    }

    /** A buffer a pass allocated, and the variables whose values live in it. */
    private static final class Owner
    {
        final INDArray array;
        final Set<String> live = new HashSet<>();

        Owner(INDArray array)
        {
            this.array = array;
        }
    }
}
