package org.atnas.conformance;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.atnas.api.BackendCapability;
import org.atnas.api.BackendWorker;
import org.atnas.api.Gradient;
import org.atnas.api.ImageBatch;
import org.atnas.api.Loss;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Subnet;
import org.atnas.api.Supernet;
import org.atnas.api.SupernetState;
import org.atnas.api.WeightBackend;
import org.atnas.api.Weights;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;

/**
 * A weight backend for tests whose results can be computed by hand: the loss of a subnet on a batch
 * is {@code ½ Σ (w_i − c)²} over every value of every parameter the subnet uses, with {@code c} the
 * mean pixel of the batch. So the gradient is {@code w − c}, M SGD steps give
 * {@code c + (1 − lr)^M (w − c)}, and through differentiable steps the gradient with respect to
 * the starting weights carries a factor {@code (1 − lr)} per step. Accuracy is {@code 1 / (1 + loss)}.
 * The outer update is Adam, as the contract says; the last mean meta-gradient is kept for tests.
 * The supernet counts the weights, gradients and losses its workers made and nobody closed yet
 * ({@link QuadraticSupernet#openHandles()}), so that tests can check who closes what.
 */
public final class QuadraticBackend
        implements WeightBackend
{
    private final boolean secondOrder;

    /** @param secondOrder whether to offer {@link BackendCapability#SECOND_ORDER} */
    public QuadraticBackend(boolean secondOrder)
    {
        this.secondOrder = secondOrder;
    }

    @Override
    public String name()
    {
        return "quadratic";
    }

    @Override
    public Set<BackendCapability> capabilities()
    {
        return secondOrder ? EnumSet.of(BackendCapability.SECOND_ORDER) : EnumSet.noneOf(BackendCapability.class);
    }

    @Override
    public QuadraticSupernet createSupernet(NetworkDescription supernet, MetaUpdate metaUpdate, long seed)
    {
        return new QuadraticSupernet(supernet, metaUpdate, seed, secondOrder);
    }

    @Override
    public void close() {}

    public static final class QuadraticSupernet
            implements Supernet
    {
        private final NetworkDescription description;
        private final MetaUpdate metaUpdate;
        private final Map<String, double[]> values = new LinkedHashMap<>();
        private final Map<String, double[]> first = new HashMap<>();
        private final Map<String, double[]> second = new HashMap<>();
        private final Map<String, Long> steps = new HashMap<>();
        private Map<String, double[]> lastMean = Map.of();
        private int applied;
        private final AtomicInteger open = new AtomicInteger();

        private final boolean secondOrder;

        QuadraticSupernet(NetworkDescription description, MetaUpdate metaUpdate, long seed, boolean secondOrder)
        {
            this.secondOrder = secondOrder;
            this.description = description;
            this.metaUpdate = metaUpdate;
            for (ParameterSpec spec : description.parameters()) {
                float[] initial = spec.initialValues(seed);
                double[] converted = new double[initial.length];
                for (int i = 0; i < initial.length; i++) {
                    converted[i] = initial[i];
                }
                values.put(spec.name(), converted);
            }
        }

        /** The mean meta-gradient of the last outer update, by parameter name. */
        public synchronized Map<String, double[]> lastMeanGradient()
        {
            return lastMean;
        }

        /** How many weights, gradients and losses this supernet's workers made that are not closed yet. */
        public int openHandles()
        {
            return open.get();
        }

        /** How many outer updates were applied. */
        public synchronized int updates()
        {
            return applied;
        }

        public synchronized double[] value(String name)
        {
            return values.get(name).clone();
        }

        @Override
        public NetworkDescription description()
        {
            return description;
        }

        @Override
        public BackendWorker newWorker()
        {
            return new QuadraticWorker(this);
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
            Map<String, double[]> mean = new LinkedHashMap<>();
            for (Gradient gradient : gradients) {
                ((Vectors) gradient).values.forEach((name, vector) -> {
                    double[] sum = mean.computeIfAbsent(name, key -> new double[vector.length]);
                    for (int i = 0; i < vector.length; i++) {
                        sum[i] += vector[i] / gradients.size();
                    }
                });
            }
            mean.forEach((name, g) -> {
                double[] w = values.get(name);
                double[] m = first.computeIfAbsent(name, key -> new double[g.length]);
                double[] v = second.computeIfAbsent(name, key -> new double[g.length]);
                long t = steps.merge(name, 1L, Long::sum);
                double b1 = metaUpdate.beta1();
                double b2 = metaUpdate.beta2();
                for (int i = 0; i < g.length; i++) {
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                    double denominator = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + metaUpdate.epsilon();
                    w[i] = w[i] * (1 - learningRate * weightDecay) - learningRate / (1 - Math.pow(b1, t)) * m[i] / denominator;
                }
            });
            lastMean = mean;
            applied++;
        }

        @Override
        public synchronized SupernetState state()
        {
            return new SupernetState(floats(values), floats(first), floats(second), steps);
        }

        @Override
        public synchronized void restore(SupernetState state)
        {
            if (!state.parameters().keySet().equals(values.keySet())) {
                throw new IllegalArgumentException("The state does not match this supernet");
            }
            values.clear();
            values.putAll(doubles(state.parameters()));
            first.clear();
            first.putAll(doubles(state.firstMoments()));
            second.clear();
            second.putAll(doubles(state.secondMoments()));
            steps.clear();
            steps.putAll(state.steps());
        }

        @Override
        public void close() {}

        private static Map<String, float[]> floats(Map<String, double[]> source)
        {
            Map<String, float[]> out = new LinkedHashMap<>();
            source.forEach((name, vector) -> {
                float[] copy = new float[vector.length];
                for (int i = 0; i < vector.length; i++) {
                    copy[i] = (float) vector[i];
                }
                out.put(name, copy);
            });
            return out;
        }

        private static Map<String, double[]> doubles(Map<String, float[]> source)
        {
            Map<String, double[]> out = new LinkedHashMap<>();
            source.forEach((name, vector) -> {
                double[] copy = new double[vector.length];
                for (int i = 0; i < vector.length; i++) {
                    copy[i] = vector[i];
                }
                out.put(name, copy);
            });
            return out;
        }
    }

    /** Weights and gradients alike: vectors by name. */
    private static class Vectors
            implements Weights, Gradient
    {
        final Map<String, double[]> values;
        private final Handle handle;

        Vectors(Map<String, double[]> values, AtomicInteger open)
        {
            this.values = values;
            this.handle = new Handle(open);
        }

        @Override
        public Map<String, double[]> values()
        {
            Map<String, double[]> copy = new java.util.LinkedHashMap<>();
            values.forEach((name, array) -> copy.put(name, array.clone()));
            return copy;
        }

        @Override
        public void close()
        {
            handle.close();
        }
    }

    /** One open handle in a supernet's count until it is closed; closing twice counts once. */
    private static final class Handle
    {
        private final AtomicInteger open;
        private final AtomicBoolean closed = new AtomicBoolean();

        Handle(AtomicInteger open)
        {
            this.open = open;
            open.incrementAndGet();
        }

        void close()
        {
            if (closed.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        }
    }

    private static final class QuadraticWeights
            extends Vectors
    {
        /** The weights these were made from by differentiable steps, with d(these) / d(those) per element. */
        final Map<QuadraticWeights, Double> derivatives;

        QuadraticWeights(Map<String, double[]> values, Map<QuadraticWeights, Double> derivatives, AtomicInteger open)
        {
            super(values, open);
            this.derivatives = derivatives;
        }
    }

    private static final class GraphGradient
            extends Vectors
    {
        /** d(gradient) / d(weights) = 1 for this loss: a step with it multiplies derivatives by (1 − lr). */
        GraphGradient(Map<String, double[]> values, AtomicInteger open)
        {
            super(values, open);
        }
    }

    private record QuadraticSubnet(NetworkDescription description)
            implements Subnet
    {
        @Override
        public void close() {}
    }

    private record QuadraticLoss(QuadraticWeights weights, double center, double value, Handle handle)
            implements Loss
    {
        @Override
        public double accuracy()
        {
            return 1 / (1 + value);
        }

        @Override
        public void close()
        {
            handle.close();
        }
    }

    private static final class QuadraticWorker
            implements BackendWorker
    {
        private final QuadraticSupernet supernet;

        QuadraticWorker(QuadraticSupernet supernet)
        {
            this.supernet = supernet;
        }

        @Override
        public Subnet compile(NetworkDescription subnet)
        {
            for (ParameterSpec spec : subnet.parameters()) {
                if (!supernet.values.containsKey(spec.name())) {
                    throw new IllegalArgumentException("The subnet uses parameter " + spec.name() + ", which the supernet does not have");
                }
            }
            return new QuadraticSubnet(subnet);
        }

        @Override
        public Weights weights(Subnet subnet, boolean differentiable)
        {
            Map<String, double[]> copy = new LinkedHashMap<>();
            for (ParameterSpec spec : ((QuadraticSubnet) subnet).description().parameters()) {
                copy.put(spec.name(), supernet.value(spec.name()));
            }
            return new QuadraticWeights(copy, Map.of(), supernet.open);
        }

        @Override
        public Loss forward(Subnet subnet, Weights weights, ImageBatch batch)
        {
            double center = 0;
            for (float pixel : batch.pixels()) {
                center += pixel;
            }
            center /= batch.pixels().length;
            double loss = 0;
            for (double[] vector : ((QuadraticWeights) weights).values.values()) {
                for (double value : vector) {
                    loss += 0.5 * (value - center) * (value - center);
                }
            }
            return new QuadraticLoss((QuadraticWeights) weights, center, loss, new Handle(supernet.open));
        }

        @Override
        public Gradient gradient(Loss loss, Weights withRespectTo, boolean createGraph)
        {
            if (createGraph && !supernet.secondOrder) {
                throw new UnsupportedOperationException("Backend [quadratic] has no second-order gradients");
            }
            QuadraticLoss own = (QuadraticLoss) loss;
            double factor;
            if (withRespectTo == own.weights()) {
                factor = 1;
            }
            else if (own.weights().derivatives.containsKey(withRespectTo)) {
                factor = own.weights().derivatives.get(withRespectTo);
            }
            else {
                throw new IllegalArgumentException("The loss was not computed from these weights, nor from weights made from them by differentiable steps");
            }
            Map<String, double[]> gradient = new LinkedHashMap<>();
            own.weights().values.forEach((name, vector) -> {
                double[] g = new double[vector.length];
                for (int i = 0; i < vector.length; i++) {
                    g[i] = factor * (vector[i] - own.center());
                }
                gradient.put(name, g);
            });
            return createGraph ? new GraphGradient(gradient, supernet.open) : new Vectors(gradient, supernet.open);
        }

        @Override
        public Weights sgdStep(Weights weights, Gradient gradient, double learningRate)
        {
            QuadraticWeights current = (QuadraticWeights) weights;
            Map<String, double[]> next = new LinkedHashMap<>();
            current.values.forEach((name, vector) -> {
                double[] g = ((Vectors) gradient).values.get(name);
                double[] moved = vector.clone();
                for (int i = 0; g != null && i < moved.length; i++) {
                    moved[i] -= learningRate * g[i];
                }
                next.put(name, moved);
            });
            Map<QuadraticWeights, Double> derivatives = new HashMap<>();
            if (gradient instanceof GraphGradient) {
                double step = 1 - learningRate;
                derivatives.put(current, step);
                current.derivatives.forEach((ancestor, derivative) -> derivatives.put(ancestor, derivative * step));
            }
            return new QuadraticWeights(next, derivatives, supernet.open);
        }

        @Override
        public Gradient difference(Weights minuend, Weights subtrahend)
        {
            Map<String, double[]> difference = new LinkedHashMap<>();
            ((Vectors) minuend).values.forEach((name, vector) -> {
                double[] other = ((Vectors) subtrahend).values.get(name);
                double[] d = new double[vector.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = vector[i] - other[i];
                }
                difference.put(name, d);
            });
            return new Vectors(difference, supernet.open);
        }

        @Override
        public void close() {}
    }

    /** The values of a gradient made by this backend. */
    public static Map<String, double[]> values(Gradient gradient)
    {
        return ((Vectors) gradient).values;
    }

    /** A network with one stem op and the classifier: two small parameters to compute by hand. */
    public static NetworkDescription tinyNetwork()
    {
        org.atnas.api.network.Op stem = new org.atnas.api.network.Op("stem", org.atnas.api.network.OpKind.CONV_BN, 1, 2, 1, 1, 1);
        return new NetworkDescription(new org.atnas.api.ImageShape(1, 2, 2), 2, stem, List.of(), java.util.Optional.empty());
    }

    /** A task whose support pixels all equal {@code support} and query pixels {@code query}: the loss centres. */
    public static org.atnas.api.Task task(double support, double query, long seed)
    {
        org.atnas.api.ImageShape shape = new org.atnas.api.ImageShape(1, 2, 2);
        float[] supportPixels = new float[2 * 4];
        java.util.Arrays.fill(supportPixels, (float) support);
        float[] queryPixels = new float[4 * 4];
        java.util.Arrays.fill(queryPixels, (float) query);
        return new org.atnas.api.Task(2, new ImageBatch(shape, supportPixels, new int[] {0, 1}), new ImageBatch(shape, queryPixels, new int[] {0, 1, 0, 1}), seed);
    }
}
