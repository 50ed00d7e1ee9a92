package org.atnas.backend.nd4j;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.atnas.api.BackendWorker;
import org.atnas.api.Gradient;
import org.atnas.api.ImageBatch;
import org.atnas.api.Loss;
import org.atnas.api.Subnet;
import org.atnas.api.Weights;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;
import org.atnas.backend.nd4j.Nd4jHandles.Nd4jGradient;
import org.atnas.backend.nd4j.Nd4jHandles.Nd4jLoss;
import org.atnas.backend.nd4j.Nd4jHandles.Nd4jSubnet;
import org.atnas.backend.nd4j.Nd4jHandles.Nd4jWeights;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A worker: its compiled graphs, one per architecture (building a graph and its gradient function
 * costs milliseconds, so each is built once and fed new weights by reference each call).
 */
final class Nd4jWorker
        implements BackendWorker
{
    private final Nd4jSupernet supernet;
    private final Map<NetworkDescription, Executor> compiled = new HashMap<>();
    private boolean closed;

    Nd4jWorker(Nd4jSupernet supernet)
    {
        this.supernet = supernet;
    }

    Nd4jSupernet supernet()
    {
        return supernet;
    }

    boolean isClosed()
    {
        return closed;
    }

    @Override
    public Subnet compile(NetworkDescription subnet)
    {
        checkOpen();
        Executor network = compiled.get(subnet);
        if (network == null) {
            for (ParameterSpec parameter : subnet.parameters()) {
                supernet.checkParameter(parameter);
            }
            network = switch (supernet.executor()) {
                case EAGER -> new EagerNetwork(subnet, supernet.opTimes());
                case SAMEDIFF -> new Nd4jNetwork(subnet, supernet.dataType(), supernet.memory().pool(), supernet.opTimes());
            };
            compiled.put(subnet, network);
        }
        return new Nd4jSubnet(this, network);
    }

    @Override
    public Weights weights(Subnet subnet, boolean differentiable)
    {
        Nd4jSubnet own = own(subnet, Nd4jSubnet.class);
        own.checkOpen();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (String name : own.network.parameters()) {
            // a copy: the inner loop's steps must not reach the shared W
            arrays.put(name, supernet.copyOf(name));
        }
        return new Nd4jWeights(this, arrays);
    }

    @Override
    public Loss forward(Subnet subnet, Weights weights, ImageBatch batch)
    {
        Nd4jSubnet network = own(subnet, Nd4jSubnet.class);
        Nd4jWeights values = own(weights, Nd4jWeights.class);
        network.checkOpen();
        values.checkOpen();
        supernet.openMp().applyToCurrentThread();
        NetworkDescription description = network.network.description();
        for (int i = 0; i < batch.size(); i++) {
            int label = batch.labels()[i];
            if (label < 0 || label >= description.classes()) {
                throw new IllegalArgumentException("Label " + label + " of image " + i + " is outside the subnet's " + description.classes() + " classes");
            }
        }
        INDArray input = input(batch);
        try {
            Supplier<Executor.Result> pass = () -> network.network.gradients(values.arrays, input, batch.labels());
            Executor.Result result = supernet.opTimes().map(times -> times.pass(batch.size(), pass)).orElseGet(pass);
            int classes = description.classes();
            int correct = 0;
            for (int i = 0; i < batch.size(); i++) {
                int predicted = 0;
                for (int c = 1; c < classes; c++) {
                    if (result.logits()[i * classes + c] > result.logits()[i * classes + predicted]) {
                        predicted = c;
                    }
                }
                if (predicted == batch.labels()[i]) {
                    correct++;
                }
            }
            return new Nd4jLoss(this, values, result.gradients(), result.loss(), (double) correct / batch.size());
        }
        finally {
            Nd4jArrays.close(input);
            supernet.memory().afterPass();
        }
    }

    /** The batch's pixels as an NCHW array of the supernet's type. */
    private INDArray input(ImageBatch batch)
    {
        INDArray pixels = Nd4j.create(batch.pixels(), new long[] {batch.size(), batch.shape().channels(), batch.shape().height(), batch.shape().width()}, 'c');
        return Nd4jArrays.castTo(pixels, supernet.dataType());
    }

    @Override
    public float[] logits(Subnet subnet, Weights weights, ImageBatch batch)
    {
        Nd4jSubnet network = own(subnet, Nd4jSubnet.class);
        Nd4jWeights values = own(weights, Nd4jWeights.class);
        network.checkOpen();
        values.checkOpen();
        supernet.openMp().applyToCurrentThread();
        INDArray input = input(batch);
        try {
            return network.network.logits(values.arrays, input);
        }
        finally {
            Nd4jArrays.close(input);
        }
    }

    @Override
    public Map<String, float[]> values(Weights weights)
    {
        Nd4jWeights own = own(weights, Nd4jWeights.class);
        own.checkOpen();
        Map<String, float[]> values = new LinkedHashMap<>();
        own.arrays.forEach((name, array) -> values.put(name, Nd4jSupernet.floats(array)));
        return values;
    }

    @Override
    public Gradient gradient(Loss loss, Weights withRespectTo, boolean createGraph)
    {
        Nd4jLoss own = own(loss, Nd4jLoss.class);
        own.checkOpen();
        if (createGraph) {
            throw new UnsupportedOperationException("Backend [" + Nd4jBackend.NAME + "] computes first-order gradients only (no SECOND_ORDER capability): use first-order MAML or Reptile");
        }
        if (withRespectTo != own.weights) {
            throw new IllegalArgumentException("Backend [" + Nd4jBackend.NAME + "] takes gradients with respect to the weights the loss was computed with only (first order)");
        }
        return new Nd4jGradient(this, own.takeGradient());
    }

    @Override
    public Weights sgdStep(Weights weights, Gradient gradient, double learningRate)
    {
        Nd4jWeights current = own(weights, Nd4jWeights.class);
        Nd4jGradient step = own(gradient, Nd4jGradient.class);
        current.checkOpen();
        Map<String, INDArray> next = new LinkedHashMap<>();
        Map<String, INDArray> directions = step.arrays();
        current.arrays.forEach((name, array) -> {
            INDArray direction = directions.get(name);
            if (direction == null) {
                // a copy: each weights handle owns (and frees) its arrays
                next.put(name, array.dup());
            }
            else {
                INDArray scaled = direction.mul(learningRate);
                next.put(name, array.sub(scaled));
                Nd4jArrays.close(scaled);
            }
        });
        return new Nd4jWeights(this, next);
    }

    @Override
    public Gradient difference(Weights minuend, Weights subtrahend)
    {
        Nd4jWeights first = own(minuend, Nd4jWeights.class);
        Nd4jWeights second = own(subtrahend, Nd4jWeights.class);
        first.checkOpen();
        second.checkOpen();
        Map<String, INDArray> difference = new LinkedHashMap<>();
        first.arrays.forEach((name, array) -> {
            INDArray other = second.arrays.get(name);
            if (other == null) {
                throw new IllegalArgumentException("Parameter " + name + " is in the minuend but not in the subtrahend");
            }
            difference.put(name, array.sub(other));
        });
        return new Nd4jGradient(this, difference);
    }

    @Override
    public Gradient gradientOf(Map<String, double[]> values)
    {
        checkOpen();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        try {
            values.forEach((name, value) -> arrays.put(name, supernet.gradientArray(name, value)));
        }
        catch (RuntimeException e) {
            Nd4jArrays.close(arrays.values());
            throw e;
        }
        return new Nd4jGradient(this, arrays);
    }

    private <T> T own(Object handle, Class<T> type)
    {
        checkOpen();
        if (!type.isInstance(handle) || ((Nd4jHandles.Handle) handle).worker != this) {
            throw new IllegalArgumentException("The handle " + handle + " does not belong to this worker of backend [" + Nd4jBackend.NAME + "]");
        }
        return type.cast(handle);
    }

    private void checkOpen()
    {
        if (closed) {
            throw new IllegalStateException("The worker was closed");
        }
    }

    @Override
    public void close()
    {
        closed = true;
        compiled.clear();
    }
}
