package org.atnas.backend.nd4j;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.atnas.api.BackendWorker;
import org.atnas.api.Gradient;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Supernet;
import org.atnas.api.SupernetState;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;
import org.atnas.backend.nd4j.Nd4jHandles.Nd4jGradient;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supernet weights W as ND4J arrays by name, in PyTorch's layout, and Adam's state per name.
 * Workers read W (their weights are copies); only {@link #applyMetaGradient} writes it, in place.
 */
final class Nd4jSupernet
        implements Supernet
{
    private static final Logger log = LoggerFactory.getLogger(Nd4jSupernet.class);

    private final NetworkDescription description;
    private final MetaUpdate metaUpdate;
    private final DataType dataType;
    private final NativeMemory memory;
    private final OpenMpThreads openMp;
    private final Optional<OpTimes> opTimes;
    private final Executor.Kind executor;
    private final Map<String, ParameterSpec> specs = new LinkedHashMap<>();
    private final Map<String, INDArray> parameters = new LinkedHashMap<>();
    private final Map<String, INDArray> firstMoments = new HashMap<>();
    private final Map<String, INDArray> secondMoments = new HashMap<>();
    private final Map<String, Long> steps = new HashMap<>();

    Nd4jSupernet(NetworkDescription description, MetaUpdate metaUpdate, DataType dataType, NativeMemory memory, OpenMpThreads openMp, Optional<OpTimes> opTimes, Executor.Kind executor, long seed)
    {
        this.executor = executor;
        this.description = description;
        this.metaUpdate = metaUpdate;
        this.dataType = dataType;
        this.memory = memory;
        this.openMp = openMp;
        this.opTimes = opTimes;
        for (ParameterSpec spec : description.parameters()) {
            specs.put(spec.name(), spec);
            parameters.put(spec.name(), array(spec.initialValues(seed), spec));
        }
    }

    DataType dataType()
    {
        return dataType;
    }

    NativeMemory memory()
    {
        return memory;
    }

    OpenMpThreads openMp()
    {
        return openMp;
    }

    /** How the workers compute their subnets ({@code nd4j.executor}). */
    Executor.Kind executor()
    {
        return executor;
    }

    /** What times the gradient passes' ops, if {@code nd4j.op-times} is on. */
    Optional<OpTimes> opTimes()
    {
        return opTimes;
    }

    /** A worker's own copy of a parameter. */
    INDArray copyOf(String name)
    {
        return parameters.get(name).dup();
    }

    /**
     * A gradient's values for one parameter as an array of the supernet's type and the parameter's
     * shape. A float32 supernet's gradients were widened to doubles exactly, so narrowing restores
     * them bit for bit.
     */
    INDArray gradientArray(String name, double[] values)
    {
        ParameterSpec spec = specs.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("The gradient names parameter " + name + ", which the supernet does not have");
        }
        if (values.length != spec.size()) {
            throw new IllegalArgumentException("Parameter " + name + " has " + values.length + " values in the gradient, the supernet " + spec.size());
        }
        return Nd4jArrays.castTo(Nd4j.create(values, Nd4jArrays.shape(spec), 'c'), dataType);
    }

    void checkParameter(ParameterSpec parameter)
    {
        ParameterSpec own = specs.get(parameter.name());
        if (own == null) {
            throw new IllegalArgumentException("The subnet uses parameter " + parameter.name() + ", which the supernet does not have");
        }
        if (!java.util.Arrays.equals(own.shape(), parameter.shape())) {
            throw new IllegalArgumentException("The subnet uses parameter " + parameter.name() + " with shape " + java.util.Arrays.toString(parameter.shape()) + ", the supernet has "
                    + java.util.Arrays.toString(own.shape()));
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
        return new Nd4jWorker(this);
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
            if (!(gradient instanceof Nd4jGradient own) || own.supernet() != this) {
                throw new IllegalArgumentException("A meta-gradient comes from another supernet or backend: " + gradient);
            }
            names.addAll(own.arrays().keySet());
        }
        double beta1 = metaUpdate.beta1();
        double beta2 = metaUpdate.beta2();
        for (String name : names) {
            INDArray sum = null;
            for (Gradient gradient : gradients) {
                INDArray value = ((Nd4jGradient) gradient).arrays().get(name);
                if (value != null) {
                    sum = sum == null ? value.dup() : sum.addi(value);
                }
            }
            INDArray mean = sum.divi(gradients.size());
            INDArray weight = parameters.get(name);
            INDArray first = firstMoments.computeIfAbsent(name, key -> Nd4j.zerosLike(weight));
            INDArray second = secondMoments.computeIfAbsent(name, key -> Nd4j.zerosLike(weight));
            long step = steps.merge(name, 1L, Long::sum);
            // PyTorch's Adam: m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²; w ← w − lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
            first.muli(beta1).addi(mean.mul(1 - beta1));
            second.muli(beta2).addi(mean.mul(mean).muli(1 - beta2));
            double correction1 = 1 - Math.pow(beta1, step);
            double correction2 = 1 - Math.pow(beta2, step);
            INDArray denominator = Transforms.sqrt(second, true).divi(Math.sqrt(correction2)).addi(metaUpdate.epsilon());
            if (weightDecay > 0) {
                weight.muli(1 - learningRate * weightDecay);
            }
            weight.subi(first.div(denominator).muli(learningRate / correction1));
        }
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
        state.parameters().forEach((name, values) -> parameters.put(name, array(values, specs.get(name))));
        firstMoments.clear();
        secondMoments.clear();
        state.firstMoments().forEach((name, values) -> firstMoments.put(name, array(values, specs.get(name))));
        state.secondMoments().forEach((name, values) -> secondMoments.put(name, array(values, specs.get(name))));
        steps.clear();
        steps.putAll(state.steps());
    }

    private INDArray array(float[] values, ParameterSpec spec)
    {
        return Nd4jArrays.castTo(Nd4j.create(values, Nd4jArrays.shape(spec), 'c'), dataType);
    }

    static float[] floats(INDArray array)
    {
        return array.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    @Override
    public void close()
    {
        // ND4J frees arrays when they are collected; nothing is held outside the heap's reach
        opTimes.map(times -> times.report(20)).filter(report -> !report.isEmpty()).ifPresent(report -> log.info("{}", report.stripTrailing()));
    }
}
