package org.atnas.backend.nd4j;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.nd4j.autodiff.samediff.api.OutAndGrad;
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
    private final Map<NetworkDescription, Nd4jNetwork> compiled = new HashMap<>();
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
        Nd4jNetwork network = compiled.get(subnet);
        if (network == null) {
            for (ParameterSpec parameter : subnet.parameters()) {
                supernet.checkParameter(parameter);
            }
            network = new Nd4jNetwork(subnet, supernet.dataType(), supernet.memory().pool(), supernet.opTimes());
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
        INDArray input = input(batch);
        INDArray labels = Nd4j.zeros(supernet.dataType(), batch.size(), description.classes());
        OutAndGrad result = null;
        INDArray predicted = null;
        try {
            for (int i = 0; i < batch.size(); i++) {
                int label = batch.labels()[i];
                if (label < 0 || label >= description.classes()) {
                    throw new IllegalArgumentException("Label " + label + " of image " + i + " is outside the subnet's " + description.classes() + " classes");
                }
                labels.putScalar(i, label, 1.0);
            }
            network.network.bind(values.arrays);
            network.network.beginPass(input, labels);
            Map<String, INDArray> placeholders = Map.of(Nd4jNetwork.INPUT, input, Nd4jNetwork.LABELS, labels);
            Supplier<OutAndGrad> pass = () -> network.network.graph().calculateGradientsAndOutputs(placeholders, List.of(Nd4jNetwork.LOSS, Nd4jNetwork.LOGITS),
                    network.network.parameters());
            result = supernet.opTimes().map(times -> times.pass(batch.size(), pass)).orElseGet(pass);
            double value = result.getOutputs().get(Nd4jNetwork.LOSS).getDouble(0);
            predicted = result.getOutputs().get(Nd4jNetwork.LOGITS).argMax(1);
            int correct = 0;
            for (int i = 0; i < batch.size(); i++) {
                if (predicted.getInt(i) == batch.labels()[i]) {
                    correct++;
                }
            }
            Map<String, INDArray> gradient = new LinkedHashMap<>();
            for (String name : network.network.parameters()) {
                // the graph reuses its buffers in the next call: the gradient is copied out
                gradient.put(name, result.getGradients().get(name).dup());
            }
            return new Nd4jLoss(this, values, gradient, value, (double) correct / batch.size());
        }
        finally {
            // what the pass returned and read is freed now, not when the collector finds it (the activations are the graph session's)
            Nd4jArrays.close(input);
            Nd4jArrays.close(labels);
            Nd4jArrays.close(predicted);
            if (result != null) {
                Nd4jArrays.close(result.getOutputs().values());
                Nd4jArrays.close(result.getGradients().values());
            }
            network.network.endPass();
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
        NetworkDescription description = network.network.description();
        INDArray input = input(batch);
        // the graph's loss needs labels to be fed; the logits do not depend on them
        INDArray labels = Nd4j.zeros(supernet.dataType(), batch.size(), description.classes());
        INDArray logits = null;
        try {
            network.network.bind(values.arrays);
            // an inference pass frees its arrays itself (SameDiff's session releases them as it goes): no beginPass here
            logits = network.network.graph().output(Map.of(Nd4jNetwork.INPUT, input, Nd4jNetwork.LABELS, labels), Nd4jNetwork.LOGITS).get(Nd4jNetwork.LOGITS);
            return Nd4jSupernet.floats(logits);
        }
        finally {
            Nd4jArrays.close(input);
            Nd4jArrays.close(labels);
            Nd4jArrays.close(logits);
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
