package org.atnas.backend.djl;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import org.atnas.api.BackendWorker;
import org.atnas.api.Gradient;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Supernet;
import org.atnas.api.SupernetState;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;
import org.atnas.backend.djl.DjlHandles.DjlGradient;

/** The supernet weights W as DJL arrays by name, and Adam's state per name. */
final class DjlSupernet
        implements Supernet
{
    private static final String GRADIENT_MODULE = "autograd-grad.pt";

    private final NetworkDescription description;
    private final MetaUpdate metaUpdate;
    private final DataType dataType;
    private final NDManager manager;
    private final Map<String, ParameterSpec> specs = new LinkedHashMap<>();
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final Map<String, NDArray> firstMoments = new HashMap<>();
    private final Map<String, NDArray> secondMoments = new HashMap<>();
    private final Map<String, Long> steps = new HashMap<>();
    private final Set<DjlWorker> workers = ConcurrentHashMap.newKeySet();
    private final PassGate passGate;
    private final MemoryFormat memoryFormat;
    private PtSymbolBlock gradientModule;

    DjlSupernet(NetworkDescription description, MetaUpdate metaUpdate, DataType dataType, int imagesInFlight, MemoryFormat memoryFormat, long seed)
    {
        this.passGate = new PassGate(imagesInFlight);
        this.memoryFormat = memoryFormat;
        this.description = description;
        this.metaUpdate = metaUpdate;
        this.dataType = dataType;
        this.manager = NDManager.newBaseManager();
        for (ParameterSpec spec : description.parameters()) {
            specs.put(spec.name(), spec);
            parameters.put(spec.name(), array(spec.initialValues(seed), spec.shape()));
        }
    }

    /** Bounds the images the workers' passes hold at once ({@code djl.images-in-flight}). */
    PassGate passGate()
    {
        return passGate;
    }

    /** The layout of the workers' passes ({@code djl.memory-format}). */
    MemoryFormat memoryFormat()
    {
        return memoryFormat;
    }

    DataType dataType()
    {
        return dataType;
    }

    NDArray parameter(String name)
    {
        return parameters.get(name);
    }

    /**
     * The TorchScript module that takes gradients as values ({@code autograd.grad}; made by
     * {@code src/main/python/autograd_grad.py}), loaded on first use: first-order work never needs it.
     * Its methods hold no state, so the workers share it across threads.
     *
     * @throws IllegalStateException if the module cannot be read or loaded
     */
    synchronized PtSymbolBlock gradientModule()
    {
        if (gradientModule == null) {
            try (InputStream module = DjlSupernet.class.getResourceAsStream(GRADIENT_MODULE)) {
                if (module == null) {
                    throw new IllegalStateException("The DJL backend's jar lacks " + GRADIENT_MODULE);
                }
                gradientModule = JniUtils.loadModule((PtNDManager) manager, module, true, false);
            }
            catch (IOException e) {
                throw new IllegalStateException("Cannot read " + GRADIENT_MODULE + " from the DJL backend's jar", e);
            }
        }
        return gradientModule;
    }

    void checkParameter(ParameterSpec parameter)
    {
        ParameterSpec own = specs.get(parameter.name());
        if (own == null) {
            throw new IllegalArgumentException("The subnet uses parameter " + parameter.name() + ", which the supernet does not have");
        }
        if (!Arrays.equals(own.shape(), parameter.shape())) {
            throw new IllegalArgumentException("The subnet uses parameter " + parameter.name() + " with shape " + Arrays.toString(parameter.shape()) + ", the supernet has " + Arrays.toString(own.shape()));
        }
    }

    @Override
    public NetworkDescription description()
    {
        return description;
    }

    @Override
    public BackendWorker newWorker()
    {
        DjlWorker worker = new DjlWorker(this, NDManager.newBaseManager());
        workers.add(worker);
        return worker;
    }

    void workerClosed(DjlWorker worker)
    {
        workers.remove(worker);
    }

    @Override
    public void applyMetaGradient(List<Gradient> gradients)
    {
        applyGradient(gradients, metaUpdate.learningRate(), 0);
    }

    @Override
    public synchronized void applyGradient(List<Gradient> gradients, double learningRate, double weightDecay)
    {
        MetaUpdate.checkStep(gradients, learningRate, weightDecay);
        Set<String> names = new LinkedHashSet<>();
        for (Gradient gradient : gradients) {
            if (!(gradient instanceof DjlGradient own) || own.supernet != this) {
                throw new IllegalArgumentException("A meta-gradient comes from another supernet or backend: " + gradient);
            }
            names.addAll(own.values.keySet());
        }
        double beta1 = metaUpdate.beta1();
        double beta2 = metaUpdate.beta2();
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope()) {
            for (String name : names) {
                NDArray sum = null;
                for (Gradient gradient : gradients) {
                    NDArray value = ((DjlGradient) gradient).values.get(name);
                    if (value != null) {
                        NDArray detached = value.stopGradient();
                        sum = sum == null ? detached : sum.add(detached);
                    }
                }
                NDArray mean = sum.div(gradients.size());
                NDArray weight = parameters.get(name);
                NDArray first = firstMoments.computeIfAbsent(name, key -> unscoped(weight.zerosLike()));
                NDArray second = secondMoments.computeIfAbsent(name, key -> unscoped(weight.zerosLike()));
                long step = steps.merge(name, 1L, Long::sum);
                // PyTorch's Adam: m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²; w ← w − lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
                first.muli(beta1).addi(mean.mul(1 - beta1));
                second.muli(beta2).addi(mean.square().mul(1 - beta2));
                double correction1 = 1 - Math.pow(beta1, step);
                double correction2 = 1 - Math.pow(beta2, step);
                NDArray denominator = second.sqrt().div(Math.sqrt(correction2)).add(metaUpdate.epsilon());
                if (weightDecay > 0) {
                    weight.muli(1 - learningRate * weightDecay);
                }
                weight.subi(first.div(denominator).mul(learningRate / correction1));
            }
        }
        finally {
            JniUtils.setGradMode(true);
        }
    }

    private NDArray unscoped(NDArray array)
    {
        NDScope.unregister(array);
        array.attach(manager);
        return array;
    }

    @Override
    public synchronized SupernetState state()
    {
        Map<String, float[]> values = new LinkedHashMap<>();
        parameters.forEach((name, array) -> values.put(name, floats(array)));
        Map<String, float[]> first = new LinkedHashMap<>();
        Map<String, float[]> second = new LinkedHashMap<>();
        firstMoments.forEach((name, array) -> first.put(name, floats(array)));
        secondMoments.forEach((name, array) -> second.put(name, floats(array)));
        return new SupernetState(values, first, second, steps);
    }

    @Override
    public synchronized void restore(SupernetState state)
    {
        state.requireFits(specs.values());
        replace(parameters, state.parameters());
        firstMoments.values().forEach(NDArray::close);
        secondMoments.values().forEach(NDArray::close);
        firstMoments.clear();
        secondMoments.clear();
        replace(firstMoments, state.firstMoments());
        replace(secondMoments, state.secondMoments());
        steps.clear();
        steps.putAll(state.steps());
    }

    private void replace(Map<String, NDArray> target, Map<String, float[]> values)
    {
        for (Map.Entry<String, float[]> entry : values.entrySet()) {
            NDArray previous = target.put(entry.getKey(), array(entry.getValue(), specs.get(entry.getKey()).shape()));
            if (previous != null) {
                previous.close();
            }
        }
    }

    private NDArray array(float[] values, int[] shape)
    {
        return owned(manager, values, new Shape(Arrays.stream(shape).asLongStream().toArray()), dataType);
    }

    /**
     * An array of {@code dataType} in memory libtorch owns. DJL wraps a Java direct buffer without
     * copying it, and the buffer lives only as long as that wrapper: autograd keeps what a
     * convolution read for the backward pass, after the wrapper may have been collected, so every
     * array made from Java values is copied once.
     */
    static NDArray owned(NDManager manager, float[] values, Shape shape, DataType dataType)
    {
        try (NDArray wrapped = manager.create(values, shape)) {
            return dataType == DataType.FLOAT32 ? wrapped.duplicate() : wrapped.toType(dataType, true);
        }
    }

    /**
     * A number as a 0-dimensional array of {@code dataType} in memory libtorch owns, for a factor in
     * a graph: DJL makes the array of an {@code NDArray.mul(Number)} over a Java buffer too, and
     * autograd keeps the factor for the backward pass.
     */
    static NDArray owned(NDManager manager, double value, DataType dataType)
    {
        try (NDArray wrapped = manager.create(value)) {
            return wrapped.toType(dataType, true);
        }
    }

    static float[] floats(NDArray array)
    {
        if (array.getDataType() == DataType.FLOAT32) {
            return array.toFloatArray();
        }
        try (NDArray converted = array.toType(DataType.FLOAT32, true)) {
            return converted.toFloatArray();
        }
    }

    @Override
    public void close()
    {
        if (!workers.isEmpty()) {
            throw new IllegalStateException("Close the supernet's " + workers.size() + " workers first");
        }
        manager.close();
    }
}
