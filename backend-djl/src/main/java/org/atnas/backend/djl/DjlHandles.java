package org.atnas.backend.djl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.atnas.api.Gradient;
import org.atnas.api.Loss;
import org.atnas.api.Subnet;
import org.atnas.api.Weights;
import org.atnas.api.network.NetworkDescription;

/** The backend-owned handles of a {@link DjlWorker}; each owns a sub-manager that closing releases. */
final class DjlHandles
{
    private DjlHandles() {}

    /** Common part: the owning worker, the native arrays' manager, and the closed flag. */
    abstract static class Handle
    {
        final DjlWorker worker;
        final NDManager manager;
        private boolean closed;

        Handle(DjlWorker worker)
        {
            this.worker = worker;
            this.manager = worker.manager().newSubManager();
        }

        public void close()
        {
            if (!closed) {
                closed = true;
                manager.close();
            }
        }

        final boolean isClosed()
        {
            return closed;
        }

        final void checkOpen()
        {
            if (closed) {
                throw new IllegalStateException(getClass().getSimpleName() + " was closed");
            }
        }
    }

    static final class DjlSubnet
            extends Handle
            implements Subnet
    {
        final DjlNetwork network;

        DjlSubnet(DjlWorker worker, DjlNetwork network)
        {
            super(worker);
            this.network = network;
        }

        @Override
        public NetworkDescription description()
        {
            return network.description();
        }
    }

    /**
     * Weights of a subnet: {@code tensors} by parameter name. They are autograd leaves ({@code leaves})
     * when made from W or by a first-order step; results of differentiable steps otherwise, with the
     * weights they were made from as {@code ancestors}.
     */
    static final class DjlWeights
            extends Handle
            implements Weights
    {
        final Map<String, NDArray> tensors;
        final boolean leaves;
        /** The weights these were made from by differentiable steps: a gradient may be taken with respect to them too. */
        final List<DjlWeights> ancestors;
        /** Whether a backward pass has reached these leaves (their gradients then hold something to subtract). */
        boolean touched;
        /** Gradients handed out that share their arrays with these leaves' gradients (no copy was made). */
        final List<DjlGradient> aliases = new ArrayList<>();

        DjlWeights(DjlWorker worker, Map<String, NDArray> tensors, boolean leaves, List<DjlWeights> ancestors)
        {
            super(worker);
            this.tensors = tensors;
            this.leaves = leaves;
            this.ancestors = List.copyOf(ancestors);
            tensors.values().forEach(array -> array.attach(manager));
        }

        /**
         * Gives every handed-out alias of these leaves' gradients a copy of its own, before a
         * backward pass adds into the leaves' gradients in place.
         */
        void detachAliases()
        {
            for (DjlGradient alias : aliases) {
                alias.ownCopies();
            }
            aliases.clear();
        }
    }

    static final class DjlGradient
            extends Handle
            implements Gradient
    {
        final Map<String, NDArray> values;
        /** Still part of the autograd graph (made with createGraph), so steps made with it are differentiable. */
        final boolean graph;
        /** The supernet the gradient is over, to refuse mixing supernets. */
        final DjlSupernet supernet;

        DjlGradient(DjlWorker worker, Map<String, NDArray> values, boolean graph)
        {
            super(worker);
            this.values = values;
            this.graph = graph;
            this.supernet = worker.supernet();
            values.values().forEach(array -> array.attach(manager));
        }

        @Override
        public Map<String, double[]> values()
        {
            checkOpen();
            Map<String, double[]> copy = new LinkedHashMap<>();
            values.forEach((name, array) -> copy.put(name, array.getDataType() == DataType.FLOAT64 ? array.toDoubleArray() : toDoubles(array.toFloatArray())));
            return copy;
        }

        private static double[] toDoubles(float[] values)
        {
            double[] doubles = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                doubles[i] = values[i];
            }
            return doubles;
        }

        /** Replaces shared arrays by copies (see {@link DjlWeights#detachAliases}). */
        void ownCopies()
        {
            if (isClosed()) {
                return;
            }
            values.replaceAll((name, shared) -> {
                NDArray copy = shared.duplicate();
                copy.attach(manager);
                shared.close();
                return copy;
            });
        }
    }

    static final class DjlLoss
            extends Handle
            implements Loss
    {
        final NDArray loss;
        final DjlWeights weights;
        private final double value;
        private final double accuracy;
        /** Images taken from the supernet's {@link PassGate}, until the gradient is taken or the loss closed. */
        private int images;

        DjlLoss(DjlWorker worker, NDArray loss, DjlWeights weights, double value, double accuracy, int images)
        {
            super(worker);
            this.loss = loss;
            this.weights = weights;
            this.value = value;
            this.accuracy = accuracy;
            this.images = images;
            loss.attach(manager);
        }

        /** Gives back the pass's images (once). */
        void releaseImages()
        {
            if (images > 0) {
                worker.releaseImages(images);
                images = 0;
            }
        }

        @Override
        public void close()
        {
            releaseImages();
            super.close();
        }

        @Override
        public double value()
        {
            return value;
        }

        @Override
        public double accuracy()
        {
            return accuracy;
        }
    }
}
