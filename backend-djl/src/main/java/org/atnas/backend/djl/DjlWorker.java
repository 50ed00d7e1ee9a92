package org.atnas.backend.djl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import org.atnas.api.BackendWorker;
import org.atnas.api.Gradient;
import org.atnas.api.ImageBatch;
import org.atnas.api.Loss;
import org.atnas.api.Subnet;
import org.atnas.api.Weights;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;
import org.atnas.backend.djl.DjlHandles.DjlGradient;
import org.atnas.backend.djl.DjlHandles.DjlLoss;
import org.atnas.backend.djl.DjlHandles.DjlSubnet;
import org.atnas.backend.djl.DjlHandles.DjlWeights;

/**
 * A worker: one NDManager for everything it makes, the batch-norm scratch arrays, compiled subnets.
 * Backward passes go through libtorch's per-thread autograd ({@code JniUtils.backward}), not DJL's
 * {@code GradientCollector}, of which only one may be active per JVM: workers on several threads
 * compute gradients at the same time.
 */
final class DjlWorker
        implements BackendWorker
{
    private final DjlSupernet supernet;
    private final NDManager manager;
    private final NormBuffers norms;
    /** Arrays whose names choose the gradient module's method (DJL passes a method name this way). */
    private final NDArray methodForward;
    private final NDArray methodCreateGraph;
    private final Map<NetworkDescription, DjlNetwork> compiled = new HashMap<>();
    /** Images this worker's open passes hold in the supernet's {@link PassGate}. */
    private int heldImages;
    private boolean closed;

    DjlWorker(DjlSupernet supernet, NDManager manager)
    {
        this.supernet = supernet;
        this.manager = manager;
        this.norms = new NormBuffers(manager);
        this.methodForward = manager.create(0f);
        methodForward.setName("module_method:forward");
        this.methodCreateGraph = manager.create(0f);
        methodCreateGraph.setName("module_method:create_graph");
    }

    DjlSupernet supernet()
    {
        return supernet;
    }

    NDManager manager()
    {
        checkOpen();
        return manager;
    }

    @Override
    public Subnet compile(NetworkDescription subnet)
    {
        DjlNetwork network = compiled.get(subnet);
        if (network == null) {
            for (ParameterSpec parameter : subnet.parameters()) {
                supernet.checkParameter(parameter);
            }
            network = new DjlNetwork(subnet, supernet.memoryFormat());
            compiled.put(subnet, network);
        }
        return new DjlSubnet(this, network);
    }

    @Override
    public Weights weights(Subnet subnet, boolean differentiable)
    {
        DjlSubnet own = own(subnet, DjlSubnet.class);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            for (ParameterSpec parameter : own.network.description().parameters()) {
                // a copy: the inner loop's gradients must not land on the shared W
                NDArray copy = supernet.parameter(parameter.name()).duplicate();
                copy.setRequiresGradient(true);
                NDScope.unregister(copy);
                tensors.put(parameter.name(), copy);
            }
        }
        return new DjlWeights(this, tensors, true, List.of());
    }

    @Override
    public Loss forward(Subnet subnet, Weights weights, ImageBatch batch)
    {
        DjlSubnet network = own(subnet, DjlSubnet.class);
        DjlWeights values = own(weights, DjlWeights.class);
        PassThreads.LIBTORCH.claim();
        JniUtils.setGradMode(true);
        int images = supernet.passGate().acquire(batch.size(), heldImages > 0);
        heldImages += images;
        NDArray loss;
        double value;
        double accuracy;
        try (NDScope scope = new NDScope()) {
            NDArray input = DjlSupernet.owned(manager, batch.pixels(), new Shape(batch.size(), batch.shape().channels(), batch.shape().height(), batch.shape().width()), supernet.dataType());
            NDArray logits = network.network.forward(input, values.tensors, norms);
            int classes = network.network.description().classes();
            NDArray oneHot = manager.create(batch.labels()).oneHot(classes, supernet.dataType());
            loss = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
            value = loss.toType(DataType.FLOAT64, false).getDouble();
            long[] predicted = logits.argMax(1).toLongArray();
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) {
                if (predicted[i] == batch.labels()[i]) {
                    correct++;
                }
            }
            accuracy = (double) correct / predicted.length;
            NDScope.unregister(loss);
        }
        catch (RuntimeException | Error e) {
            releaseImages(images);
            throw e;
        }
        return new DjlLoss(this, loss, values, value, accuracy, images);
    }

    /** Gives back images a pass took from the supernet's {@link PassGate} (all were given back when the worker closed). */
    void releaseImages(int images)
    {
        if (closed) {
            return;
        }
        heldImages -= images;
        supernet.passGate().release(images);
    }

    @Override
    public float[] logits(Subnet subnet, Weights weights, ImageBatch batch)
    {
        DjlSubnet network = own(subnet, DjlSubnet.class);
        DjlWeights values = own(weights, DjlWeights.class);
        PassThreads.LIBTORCH.claim();
        // a prediction is never differentiated: no graph is recorded
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope()) {
            NDArray input = DjlSupernet.owned(manager, batch.pixels(), new Shape(batch.size(), batch.shape().channels(), batch.shape().height(), batch.shape().width()), supernet.dataType());
            return DjlSupernet.floats(network.network.forward(input, values.tensors, norms));
        }
        finally {
            JniUtils.setGradMode(true);
        }
    }

    @Override
    public Map<String, float[]> values(Weights weights)
    {
        DjlWeights own = own(weights, DjlWeights.class);
        Map<String, float[]> values = new LinkedHashMap<>();
        own.tensors.forEach((name, tensor) -> values.put(name, DjlSupernet.floats(tensor)));
        return values;
    }

    @Override
    public Gradient gradient(Loss loss, Weights withRespectTo, boolean createGraph)
    {
        DjlLoss own = own(loss, DjlLoss.class);
        DjlWeights target = own(withRespectTo, DjlWeights.class);
        if (target != own.weights && !own.weights.ancestors.contains(target)) {
            throw new IllegalArgumentException("The loss was not computed from these weights, nor from weights made from them by differentiable steps");
        }
        JniUtils.setGradMode(true);
        try {
            if (createGraph || target != own.weights || !target.leaves) {
                return new DjlGradient(this, gradientValues(own, target, createGraph), createGraph);
            }
            return leafGradient(own, target);
        }
        finally {
            // the pass's activations are freed with its graph now (kept with createGraph, but then
            // the pass is a support pass of a second-order inner loop, which is small)
            own.releaseImages();
        }
    }

    /**
     * The gradient as values (libtorch's {@code autograd.grad}, through the supernet's TorchScript
     * module): nothing lands in the {@code .grad} of a leaf, so a gradient kept in the graph makes no
     * reference cycle parameter → gradient → graph → parameter, and the graph is freed when the
     * handles that reach it are closed. Without {@code createGraph} the loss's graph is released
     * at once: a meta-gradient frees the inner loop's graph as soon as it is taken.
     */
    private Map<String, NDArray> gradientValues(DjlLoss loss, DjlWeights target, boolean createGraph)
    {
        NDList arguments = new NDList(target.tensors.size() + 2);
        // the first argument's manager receives the results
        arguments.add(loss.loss);
        arguments.add(createGraph ? methodCreateGraph : methodForward);
        List<String> names = new ArrayList<>(target.tensors.size());
        target.tensors.forEach((name, tensor) -> {
            // DJL builds a TorchScript list argument from the arrays that share a name "name[]"
            tensor.setName("inputs[]");
            arguments.add(tensor);
            names.add(name);
        });
        NDList gradients;
        try {
            gradients = IValueUtils.forward(supernet.gradientModule(), arguments, true);
        }
        finally {
            target.tensors.values().forEach(tensor -> tensor.setName(null));
        }
        Map<String, NDArray> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), gradients.get(i));
        }
        return values;
    }

    /**
     * First order with respect to the leaves the loss was computed from (every inner step of
     * first-order MAML and Reptile): one {@code backward} into the leaves' {@code .grad}, read
     * without a copy. The gradient holds no graph, so no cycle forms.
     */
    private DjlGradient leafGradient(DjlLoss loss, DjlWeights target)
    {
        // this backward adds into the leaves' gradients: earlier gradients that share those arrays get copies first
        target.detachAliases();
        Map<String, NDArray> values = new LinkedHashMap<>();
        boolean aliased = false;
        try (NDScope scope = new NDScope()) {
            // gradients accumulate on leaves: what an earlier backward left there is subtracted
            Map<String, NDArray> before = new HashMap<>();
            if (target.touched) {
                target.tensors.forEach((name, leaf) -> before.put(name, leaf.getGradient().duplicate()));
            }
            NDArray seed = loss.loss.onesLike();
            JniUtils.backward((PtNDArray) loss.loss, (PtNDArray) seed, false, false);
            target.touched = true;
            for (Map.Entry<String, NDArray> leaf : target.tensors.entrySet()) {
                NDArray gradient = leaf.getValue().getGradient();
                NDArray previous = before.get(leaf.getKey());
                NDArray value;
                if (previous != null) {
                    value = gradient.sub(previous);
                }
                else {
                    // the first gradient of fresh leaves (every inner step): shared, not copied; a later backward into them copies it first
                    value = gradient;
                    aliased = true;
                }
                NDScope.unregister(value);
                values.put(leaf.getKey(), value);
            }
        }
        DjlGradient result = new DjlGradient(this, values, false);
        if (aliased) {
            target.aliases.add(result);
        }
        return result;
    }

    @Override
    public Weights sgdStep(Weights weights, Gradient gradient, double learningRate)
    {
        DjlWeights current = own(weights, DjlWeights.class);
        DjlGradient step = own(gradient, DjlGradient.class);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            // the graph keeps its factors: libtorch's, not DJL's arrays of a number (DjlSupernet.owned)
            NDArray rate = step.graph ? DjlSupernet.owned(manager, learningRate, supernet.dataType()) : null;
            NDArray one = step.graph ? DjlSupernet.owned(manager, 1, supernet.dataType()) : null;
            for (Map.Entry<String, NDArray> entry : current.tensors.entrySet()) {
                NDArray g = step.values.get(entry.getKey());
                NDArray next;
                if (step.graph) {
                    // differentiable step; an identity op gives a parameter without gradient an array of its own that stays in the graph (duplicate() would cut it)
                    next = g == null ? entry.getValue().mul(one) : entry.getValue().sub(g.mul(rate));
                }
                else {
                    // without grad mode the step builds no graph: the result is a fresh leaf
                    JniUtils.setGradMode(false);
                    try {
                        next = g == null ? entry.getValue().duplicate() : entry.getValue().sub(g.mul(learningRate));
                    }
                    finally {
                        JniUtils.setGradMode(true);
                    }
                    next.setRequiresGradient(true);
                }
                NDScope.unregister(next);
                tensors.put(entry.getKey(), next);
            }
        }
        List<DjlWeights> ancestors = new ArrayList<>();
        if (step.graph) {
            ancestors.add(current);
            ancestors.addAll(current.ancestors);
        }
        return new DjlWeights(this, tensors, !step.graph, ancestors);
    }

    @Override
    public Gradient difference(Weights minuend, Weights subtrahend)
    {
        DjlWeights first = own(minuend, DjlWeights.class);
        DjlWeights second = own(subtrahend, DjlWeights.class);
        Map<String, NDArray> values = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            for (Map.Entry<String, NDArray> entry : first.tensors.entrySet()) {
                NDArray other = second.tensors.get(entry.getKey());
                if (other != null) {
                    NDArray value = entry.getValue().stopGradient().sub(other.stopGradient());
                    NDScope.unregister(value);
                    values.put(entry.getKey(), value);
                }
            }
        }
        return new DjlGradient(this, values, false);
    }

    @Override
    public Gradient gradientOf(Map<String, double[]> values)
    {
        checkOpen();
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, double[]> entry : values.entrySet()) {
                NDArray parameter = supernet.parameter(entry.getKey());
                if (parameter == null) {
                    throw new IllegalArgumentException("The gradient names parameter " + entry.getKey() + ", which the supernet does not have");
                }
                double[] value = entry.getValue();
                if (value.length != parameter.size()) {
                    throw new IllegalArgumentException("Parameter " + entry.getKey() + " has " + value.length + " values in the gradient, the supernet " + parameter.size());
                }
                NDArray array;
                if (supernet.dataType() == DataType.FLOAT64) {
                    try (NDArray wrapped = manager.create(value, parameter.getShape())) {
                        array = wrapped.duplicate();
                    }
                }
                else {
                    // a float32 backend's values() widened each float exactly, so narrowing restores it
                    float[] narrowed = new float[value.length];
                    for (int i = 0; i < value.length; i++) {
                        narrowed[i] = (float) value[i];
                    }
                    array = DjlSupernet.owned(manager, narrowed, parameter.getShape(), supernet.dataType());
                }
                arrays.put(entry.getKey(), array);
            }
        }
        catch (RuntimeException e) {
            arrays.values().forEach(NDArray::close);
            throw e;
        }
        return new DjlGradient(this, arrays, false);
    }

    @Override
    public void close()
    {
        if (!closed) {
            closed = true;
            // passes left open end with their worker: other workers must not wait for them
            supernet.passGate().release(heldImages);
            heldImages = 0;
            manager.close();
            supernet.workerClosed(this);
        }
    }

    private <T> T own(Object handle, Class<T> type)
    {
        checkOpen();
        if (!type.isInstance(handle)) {
            throw new IllegalArgumentException("Expected a " + type.getSimpleName() + " of the DJL backend, got " + (handle == null ? "null" : handle.getClass().getName()));
        }
        DjlHandles.Handle own = (DjlHandles.Handle) handle;
        if (own.worker != this) {
            throw new IllegalArgumentException("This " + type.getSimpleName() + " belongs to another worker");
        }
        own.checkOpen();
        return type.cast(handle);
    }

    private void checkOpen()
    {
        if (closed) {
            throw new IllegalStateException("The worker was closed");
        }
    }
}
