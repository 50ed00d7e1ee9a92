package org.atnas.backend.nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

import org.atnas.api.Gradient;
import org.atnas.api.Loss;
import org.atnas.api.Subnet;
import org.atnas.api.Weights;
import org.atnas.api.network.NetworkDescription;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The handles of the ND4J backend, owned by one worker. Each handle owns its arrays and frees their
 * native memory when it is closed: ND4J would otherwise free it only once a garbage collection
 * has found the Java objects dead (see {@link NativeMemory}).
 */
final class Nd4jHandles
{
    private Nd4jHandles() {}

    /** What every handle has: its worker, and whether it was closed. */
    abstract static class Handle
    {
        final Nd4jWorker worker;
        private boolean closed;

        Handle(Nd4jWorker worker)
        {
            this.worker = worker;
        }

        public final void close()
        {
            if (!closed) {
                closed = true;
                release();
            }
        }

        /** Frees the arrays the handle owns; called once, by the first {@link #close}. */
        void release()
        {
            // a subnet owns no arrays: its graph belongs to the worker
        }

        final void checkOpen()
        {
            if (closed || worker.isClosed()) {
                throw new IllegalStateException(getClass().getSimpleName() + " was closed");
            }
        }
    }

    static final class Nd4jSubnet
            extends Handle
            implements Subnet
    {
        final Executor network;

        Nd4jSubnet(Nd4jWorker worker, Executor network)
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

    /** Weights by parameter name; never changed after creation (steps make new ones). */
    static final class Nd4jWeights
            extends Handle
            implements Weights
    {
        final Map<String, INDArray> arrays;

        Nd4jWeights(Nd4jWorker worker, Map<String, INDArray> arrays)
        {
            super(worker);
            this.arrays = arrays;
        }

        @Override
        void release()
        {
            Nd4jArrays.close(arrays.values());
        }
    }

    static final class Nd4jGradient
            extends Handle
            implements Gradient
    {
        private final Map<String, INDArray> arrays;

        Nd4jGradient(Nd4jWorker worker, Map<String, INDArray> arrays)
        {
            super(worker);
            this.arrays = arrays;
        }

        @Override
        void release()
        {
            Nd4jArrays.close(arrays.values());
        }

        Map<String, INDArray> arrays()
        {
            checkOpen();
            return arrays;
        }

        Nd4jSupernet supernet()
        {
            return worker.supernet();
        }

        @Override
        public Map<String, double[]> values()
        {
            checkOpen();
            Map<String, double[]> copy = new LinkedHashMap<>();
            arrays.forEach((name, array) -> copy.put(name, array.castTo(DataType.DOUBLE).dup('c').data().asDouble()));
            return copy;
        }
    }

    /**
     * A forward pass: the loss, the accuracy, and the gradient with respect to the weights it
     * was computed with, computed in the same pass (a first-order backend is asked for nothing else).
     * The first gradient taken hands the arrays over ({@link #takeGradient}); until then the loss owns them.
     */
    static final class Nd4jLoss
            extends Handle
            implements Loss
    {
        final Nd4jWeights weights;
        private final Map<String, INDArray> gradient;
        private boolean handedOver;
        private final double value;
        private final double accuracy;

        Nd4jLoss(Nd4jWorker worker, Nd4jWeights weights, Map<String, INDArray> gradient, double value, double accuracy)
        {
            super(worker);
            this.weights = weights;
            this.gradient = gradient;
            this.value = value;
            this.accuracy = accuracy;
        }

        /** The gradient's arrays: the first call takes them over (a gradient usually outlives its loss), later calls get copies. */
        Map<String, INDArray> takeGradient()
        {
            checkOpen();
            if (!handedOver) {
                handedOver = true;
                return gradient;
            }
            Map<String, INDArray> copy = new LinkedHashMap<>();
            gradient.forEach((name, array) -> copy.put(name, array.dup()));
            return copy;
        }

        @Override
        void release()
        {
            if (!handedOver) {
                Nd4jArrays.close(gradient.values());
            }
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
