package org.atnas.backend.nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.atnas.api.network.Cell;
import org.atnas.api.network.Edge;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.Node;
import org.atnas.api.network.Op;
import org.atnas.api.network.ParameterSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static java.util.Objects.requireNonNull;

/**
 * A network description run eagerly on libnd4j's ops ({@code nd4j.executor = eager}): each call
 * computes the ops in order, the gradient pass records for each op the step that takes its output's
 * gradient to its inputs' and runs those steps backwards. No graph, no session: SameDiff's session
 * took about half of a 5-image pass's time outside the ops (docs/benchmarks.md). Parameters keep
 * PyTorch's layout, which libnd4j's dense convolutions read directly (weights format 1, {@code [out,
 * in, kH, kW]}); depthwise weights are copied to libnd4j's layout. Each op kind is computed as the
 * {@link org.atnas.api.network.OpKind} Javadoc specifies it, with the ops {@link Nd4jNetwork}'s graph
 * uses where they are not slower run alone.
 * <p>
 * A pass frees what it computed as soon as nothing later reads it: an op's output and what it kept
 * for its backward step once that step has run, a gradient once the op that produced its value has
 * taken it to the op's inputs.
 */
final class EagerNetwork
        implements Executor
{
    private static final double BATCH_NORM_EPSILON = 1e-5;
    private static final int NCHW = 0;
    /** libnd4j's weight formats: {@code [kH, kW, in, out]} (depthwise: {@code [kH, kW, channels, 1]}), and PyTorch's {@code [out, in, kH, kW]}. */
    private static final int LIBND4J_WEIGHTS = 0;
    private static final int PYTORCH_WEIGHTS = 1;
    private static final int VALID = 0;
    private static final int SAME = 1;
    /** A 1x1 depthwise convolution's arguments: a per-channel scale (and shift). */
    private static final int[] CHANNEL_SCALE = {1, 1, 1, 1, 0, 0, 1, 1, VALID, NCHW, LIBND4J_WEIGHTS};

    private final NetworkDescription description;
    private final List<String> parameters;
    private final Optional<OpTimes> opTimes;

    /** @param opTimes what times the gradient passes' ops, if anything */
    EagerNetwork(NetworkDescription description, Optional<OpTimes> opTimes)
    {
        this.description = requireNonNull(description, "description is null");
        this.opTimes = requireNonNull(opTimes, "opTimes is null");
        this.parameters = description.parameters().stream().map(ParameterSpec::name).toList();
    }

    @Override
    public NetworkDescription description()
    {
        return description;
    }

    @Override
    public List<String> parameters()
    {
        return parameters;
    }

    @Override
    public Result gradients(Map<String, INDArray> weights, INDArray input, int[] labels)
    {
        try (Pass pass = new Pass(weights, true)) {
            Value logits = pass.logits(new Value(input, false, false));
            int n = labels.length;
            int classes = description.classes();
            double[] values = values(logits.array);
            // log-softmax and the loss in doubles: N × classes values, no op's worth
            double loss = 0;
            double[] dLogits = new double[values.length];
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, values[i * classes + c]);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(values[i * classes + c] - max);
                }
                double logSum = max + Math.log(sum);
                loss -= (values[i * classes + labels[i]] - logSum) / n;
                for (int c = 0; c < classes; c++) {
                    dLogits[i * classes + c] = (Math.exp(values[i * classes + c] - logSum) - (c == labels[i] ? 1 : 0)) / n;
                }
            }
            pass.backward(logits, Nd4j.create(dLogits, new long[] {n, classes}, input.dataType()));
            float[] logitValues = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                logitValues[i] = (float) values[i];
            }
            return new Result(loss, logitValues, pass.parameterGradients());
        }
    }

    @Override
    public float[] logits(Map<String, INDArray> weights, INDArray input)
    {
        try (Pass pass = new Pass(weights, false)) {
            return Nd4jSupernet.floats(pass.logits(new Value(input, false, false)).array);
        }
    }

    /** An array a pass reads or computed, and the gradient of the loss with respect to it. */
    private static final class Value
    {
        final INDArray array;
        /** Computed by the pass (and freed by it), not a weight or the input. */
        final boolean computed;
        final boolean needsGradient;
        INDArray gradient;

        Value(INDArray array, boolean computed, boolean needsGradient)
        {
            this.array = array;
            this.computed = computed;
            this.needsGradient = needsGradient;
        }
    }

    /** What an op computed and what takes its output's gradient to its inputs'. */
    private record Step(Value output, List<INDArray> kept, Consumer<INDArray> backward) {}

    /** One call: its values, its recorded steps, the gradients it accumulates. */
    private final class Pass
            implements AutoCloseable
    {
        private final Map<String, Value> weights = new LinkedHashMap<>();
        private final boolean recording;
        private final List<Step> steps = new ArrayList<>();
        /** How many values hold each gradient array (a gradient passed on unchanged is held by several). */
        private final Map<INDArray, Integer> holders = new IdentityHashMap<>();
        private final DataType dataType;

        Pass(Map<String, INDArray> weights, boolean recording)
        {
            this.recording = recording;
            for (String name : parameters) {
                INDArray array = weights.get(name);
                if (array == null) {
                    throw new IllegalArgumentException("Weight " + name + " is missing from the subnet's parameters");
                }
                this.weights.put(name, new Value(array, false, recording));
            }
            this.dataType = weights.get(parameters.get(0)).dataType();
        }

        Value logits(Value input)
        {
            Value stem = apply(description.stem(), input);
            List<Value> outputs = new ArrayList<>();
            for (int c = 0; c < description.cells().size(); c++) {
                Cell cell = description.cells().get(c);
                int mark = steps.size();
                List<Value> nodes = new ArrayList<>();
                for (int i = 0; i < cell.inputCount(); i++) {
                    int source = c + cell.inputOffsets().get(i);
                    nodes.add(apply(cell.preprocess().get(i), source < 0 ? stem : outputs.get(source)));
                }
                for (Node node : cell.nodes()) {
                    List<Value> terms = new ArrayList<>();
                    for (Edge edge : node.edges()) {
                        terms.add(apply(edge.op(), nodes.get(edge.from())));
                    }
                    nodes.add(terms.isEmpty() ? zerosLike(nodes.get(0), cell.reduction()) : sum(terms));
                }
                List<Value> concatenated = new ArrayList<>();
                for (int index : cell.outputNodes()) {
                    concatenated.add(nodes.get(index));
                }
                Value output = concatenated.size() == 1 ? concatenated.get(0) : concatenate(concatenated);
                if (!recording) {
                    // an inference pass has no backward steps to keep a cell's inner values for: only the cell's output is read later
                    freeStepsSince(mark, output);
                }
                outputs.add(output);
            }
            Value features = outputs.isEmpty() ? stem : outputs.get(outputs.size() - 1);
            if (description.head().isPresent()) {
                features = apply(description.head().get(), features);
            }
            return classifier(features);
        }

        private Value apply(Op op, Value x)
        {
            String p = op.prefix();
            int k = op.kernel();
            int s = op.stride();
            int d = op.dilation();
            return switch (op.kind()) {
                case CONV_BN -> norm(conv(x, weight(p + ".conv.weight"), k, s, d), p + ".bn");
                case RELU_CONV_BN -> norm(conv(relu(x), weight(p + ".conv.weight"), k, s, d), p + ".bn");
                case SEP_CONV -> {
                    Value half = norm(conv(depthwise(relu(x), weight(p + ".dw1.weight"), k, s, 1), weight(p + ".pw1.weight"), 1, 1, 1), p + ".bn1");
                    yield norm(conv(depthwise(relu(half), weight(p + ".dw2.weight"), k, 1, 1), weight(p + ".pw2.weight"), 1, 1, 1), p + ".bn2");
                }
                case DIL_CONV -> norm(conv(depthwise(relu(x), weight(p + ".dw.weight"), k, s, d), weight(p + ".pw.weight"), 1, 1, 1), p + ".bn");
                case MAX_POOL_BN -> norm(pool("maxpool2d", x, k, s, k / 2, VALID), p + ".bn");
                case AVG_POOL_BN -> norm(pool("avgpool2d", x, k, s, k / 2, VALID), p + ".bn");
                case AVG_POOL -> pool("avgpool2d", x, k, s, k / 2, VALID);
                case SKIP -> x;
                case FACTORIZED_REDUCE -> {
                    Value relu = relu(x);
                    // the second half reads the input shifted by one pixel, zero-padded at the bottom and right
                    yield norm(concatenate(List.of(conv(relu, weight(p + ".conv1.weight"), 1, 2, 1), conv(shifted(relu), weight(p + ".conv2.weight"), 1, 1, 1))), p + ".bn");
                }
                // the 2x2 pool of a residual shortcut keeps ceil(h / 2) on odd sizes: SAME padding, padded pixels not counted
                case POOLED_PROJECTION -> conv(pool("avgpool2d", x, 2, 2, 0, SAME), weight(p + ".conv.weight"), 1, 1, 1);
                case BN_RELU -> relu(norm(x, p + ".bn"));
            };
        }

        private Value weight(String name)
        {
            Value weight = weights.get(name);
            if (weight == null) {
                throw new IllegalStateException("Weight " + name + " is missing from the subnet's parameters");
            }
            return weight;
        }

        /**
         * ReLU. Its backward step multiplies by the mask y &gt; 0, as sign(y) (y is not negative) and a
         * multiply, computed into the mask: libnd4j's relu_bp, one op, calls a function per element and
         * took 4–5 times as long as the two.
         */
        private Value relu(Value x)
        {
            INDArray y = exec("relu", new INDArray[] {x.array}, new INDArray[] {like(x.array)}, new int[0], 0.0)[0];
            return record(y, x.needsGradient, List.of(), dy -> {
                INDArray mask = like(y);
                time("sign", () -> Nd4j.exec(new Sign(y, mask)));
                accumulate(x, exec("multiply", new INDArray[] {dy, mask}, new INDArray[] {mask})[0]);
            });
        }

        /** A convolution with PyTorch's weight {@code [out, in, k, k]} and padding {@code d (k − 1) / 2}. */
        private Value conv(Value x, Value weight, int kernel, int stride, int dilation)
        {
            int padding = dilation * (kernel - 1) / 2;
            int[] arguments = {kernel, kernel, stride, stride, padding, padding, dilation, dilation, VALID, NCHW, PYTORCH_WEIGHTS};
            long[] in = x.array.shape();
            long out = weight.array.size(0);
            INDArray y = exec("conv2d", new INDArray[] {x.array, weight.array},
                    new INDArray[] {allocate(in[0], out, size(in[2], kernel, stride, padding, dilation), size(in[3], kernel, stride, padding, dilation))}, arguments)[0];
            return record(y, true, List.of(), dy -> {
                INDArray[] gradients = exec("conv2d_bp", new INDArray[] {x.array, weight.array, dy}, new INDArray[] {like(x.array), like(weight.array)}, arguments);
                accumulate(x, gradients[0]);
                accumulate(weight, gradients[1]);
            });
        }

        /**
         * A depthwise convolution with PyTorch's weight {@code [channels, 1, k, k]}, copied to libnd4j's
         * {@code [k, k, channels, 1]}: in PyTorch's layout (weights format 1) libnd4j skips oneDNN and
         * took 25 times as long. A dilated one runs as an undilated one with the kernel spread out
         * (zeros between its taps, {@code d (k − 1) + 1} wide), because oneDNN refuses dilated
         * depthwise ones.
         */
        private Value depthwise(Value x, Value weight, int kernel, int stride, int dilation)
        {
            long channels = weight.array.size(0);
            int size = dilation * (kernel - 1) + 1;
            // only a spread kernel has gaps to clear; an undilated one is overwritten whole
            INDArray taps = dilation > 1 ? zeros(size, size, channels, 1) : allocate(size, size, channels, 1);
            INDArrayIndex spread = NDArrayIndex.interval(0, dilation, size);
            time("assign", () -> taps.get(spread, spread, NDArrayIndex.all(), NDArrayIndex.all()).assign(weight.array.permute(2, 3, 0, 1)));
            int padding = dilation * (kernel - 1) / 2;
            int[] arguments = {size, size, stride, stride, padding, padding, 1, 1, VALID, NCHW, LIBND4J_WEIGHTS};
            long[] in = x.array.shape();
            INDArray y = exec("depthwise_conv2d", new INDArray[] {x.array, taps},
                    new INDArray[] {allocate(in[0], channels, size(in[2], size, stride, padding, 1), size(in[3], size, stride, padding, 1))}, arguments)[0];
            return record(y, true, List.of(taps), dy -> {
                INDArray[] gradients = exec("depthwise_conv2d_bp", new INDArray[] {x.array, taps, dy}, new INDArray[] {like(x.array), like(taps)}, arguments);
                accumulate(x, gradients[0]);
                INDArray dWeight = copy(gradients[1].get(spread, spread, NDArrayIndex.all(), NDArrayIndex.all()).permute(2, 3, 0, 1));
                free(gradients[1]);
                accumulate(weight, dWeight);
            });
        }

        /**
         * Max or average pooling (the average not counting padded pixels: PyTorch's
         * {@code count_include_pad = False}), run on the NHWC transpose of x and turned back: ND4J hands
         * NCHW pooling to oneDNN's reference kernel, NHWC pooling to its vectorised one.
         */
        private Value pool(String op, Value x, int kernel, int stride, int padding, int mode)
        {
            int[] arguments = {kernel, kernel, stride, stride, padding, padding, 1, 1, mode, 0, 1};
            INDArray nhwc = permuted(x.array, 0, 2, 3, 1);
            long[] in = nhwc.shape();
            INDArray pooled = exec(op, new INDArray[] {nhwc}, new INDArray[] {allocate(in[0], poolSize(in[1], kernel, stride, padding, mode), poolSize(in[2], kernel, stride, padding, mode), in[3])}, arguments)[0];
            INDArray y = permuted(pooled, 0, 3, 1, 2);
            free(pooled);
            return record(y, x.needsGradient, List.of(nhwc), dy -> {
                INDArray dyNhwc = permuted(dy, 0, 2, 3, 1);
                INDArray dxNhwc = exec(op + "_bp", new INDArray[] {nhwc, dyNhwc}, new INDArray[] {like(nhwc)}, arguments)[0];
                free(dyNhwc);
                INDArray dx = permuted(dxNhwc, 0, 3, 1, 2);
                free(dxNhwc);
                accumulate(x, dx);
            });
        }

        /**
         * Batch norm with the batch's statistics (biased variance) and a learnable scale γ and shift β,
         * as x · s + (β − μ · s) with s = γ / √(σ² + ε): the per-channel scale and shift are a 1x1
         * depthwise convolution with a bias, one pass over x in oneDNN. Backward, with r = 1 / √(σ² + ε),
         * x̂ = (x − μ) r and M values a channel, the closed form that includes the paths through μ and
         * σ²: dβ = Σ dy, dγ = Σ dy · x̂ = r (Σ dy · x − μ Σ dy), and dx = s · dy + a · x + c with
         * a = −s r dγ / M and c = −a μ − s dβ / M. The convolution's backward op gives s · dy, Σ dy · x
         * and Σ dy in one pass; a · x + c is one more 1x1 convolution.
         */
        private Value norm(Value x, String prefix)
        {
            Value gamma = weight(prefix + ".weight");
            Value beta = weight(prefix + ".bias");
            int channels = (int) gamma.array.length();
            INDArray[] moments = exec("moments", new INDArray[] {x.array}, null, new int[] {0, 2, 3});
            double[] mean = values(moments[0]);
            double[] variance = values(moments[1]);
            free(moments[0]);
            free(moments[1]);
            double[] g = values(gamma.array);
            double[] b = values(beta.array);
            double[] inverse = new double[channels];
            double[] scale = new double[channels];
            double[] shift = new double[channels];
            for (int c = 0; c < channels; c++) {
                inverse[c] = 1 / Math.sqrt(variance[c] + BATCH_NORM_EPSILON);
                scale[c] = g[c] * inverse[c];
                shift[c] = b[c] - mean[c] * scale[c];
            }
            INDArray scaleWeight = channelWeight(scale);
            INDArray shiftBias = Nd4j.create(shift, new long[] {channels}, dataType);
            INDArray y = exec("depthwise_conv2d", new INDArray[] {x.array, scaleWeight, shiftBias}, new INDArray[] {like(x.array)}, CHANNEL_SCALE)[0];
            return record(y, true, List.of(scaleWeight, shiftBias), dy -> {
                INDArray[] gradients = exec("depthwise_conv2d_bp", new INDArray[] {x.array, scaleWeight, shiftBias, dy},
                        new INDArray[] {like(x.array), like(scaleWeight), like(shiftBias)}, CHANNEL_SCALE);
                double[] sumDyX = values(gradients[1]);
                double[] sumDy = values(gradients[2]);
                free(gradients[1]);
                double m = (double) x.array.length() / channels;
                double[] dGamma = new double[channels];
                double[] a = new double[channels];
                double[] c = new double[channels];
                for (int i = 0; i < channels; i++) {
                    dGamma[i] = inverse[i] * (sumDyX[i] - mean[i] * sumDy[i]);
                    a[i] = -scale[i] * inverse[i] * dGamma[i] / m;
                    c[i] = -a[i] * mean[i] - scale[i] * sumDy[i] / m;
                }
                INDArray dx = gradients[0];
                if (x.needsGradient) {
                    INDArray[] correction = {x.array, channelWeight(a), Nd4j.create(c, new long[] {channels}, dataType)};
                    INDArray linear = exec("depthwise_conv2d", correction, new INDArray[] {like(x.array)}, CHANNEL_SCALE)[0];
                    time("add", () -> dx.addi(linear));
                    free(linear);
                    free(correction[1]);
                    free(correction[2]);
                }
                accumulate(x, dx);
                accumulate(gamma, Nd4j.create(dGamma, new long[] {channels}, dataType));
                accumulate(beta, gradients[2]);
            });
        }

        /** Per-channel factors as the weight of a 1x1 depthwise convolution ({@code [1, 1, channels, 1]}). */
        private INDArray channelWeight(double[] factors)
        {
            return Nd4j.create(factors, new long[] {1, 1, factors.length, 1}, dataType);
        }

        /** x shifted by one pixel down and right, keeping every other row and column: {@code y[i, j] = x[2i + 1, 2j + 1]}, 0 past the edge. */
        private Value shifted(Value x)
        {
            long[] shape = x.array.shape();
            long height = (shape[2] + 1) / 2;
            long width = (shape[3] + 1) / 2;
            INDArrayIndex[] read = {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 2, shape[2]), NDArrayIndex.interval(1, 2, shape[3])};
            INDArrayIndex[] written = {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, shape[2] / 2), NDArrayIndex.interval(0, shape[3] / 2)};
            INDArray y = zeros(shape[0], shape[1], height, width);
            time("assign", () -> y.get(written).assign(x.array.get(read)));
            return record(y, x.needsGradient, List.of(), dy -> {
                INDArray dx = zeros(shape);
                time("assign", () -> dx.get(read).assign(dy.get(written)));
                accumulate(x, dx);
            });
        }

        /** Zeros of a cell's node shape (halved in a reduction cell): a node without edges. */
        private Value zerosLike(Value input, boolean reduction)
        {
            long[] shape = input.array.shape().clone();
            if (reduction) {
                shape[2] = (shape[2] + 1) / 2;
                shape[3] = (shape[3] + 1) / 2;
            }
            return record(zeros(shape), false, List.of(), dy -> {});
        }

        private Value sum(List<Value> terms)
        {
            if (terms.size() == 1) {
                return terms.get(0);
            }
            INDArray y = exec("add", new INDArray[] {terms.get(0).array, terms.get(1).array}, new INDArray[] {like(terms.get(0).array)})[0];
            for (Value term : terms.subList(2, terms.size())) {
                time("add", () -> y.addi(term.array));
            }
            return record(y, terms.stream().anyMatch(term -> term.needsGradient), List.of(), dy -> terms.forEach(term -> accumulate(term, dy)));
        }

        /** Along the channels. */
        private Value concatenate(List<Value> parts)
        {
            long[] shape = parts.get(0).array.shape().clone();
            shape[1] = parts.stream().mapToLong(part -> part.array.size(1)).sum();
            INDArray y = exec("concat", parts.stream().map(part -> part.array).toArray(INDArray[]::new), new INDArray[] {allocate(shape)}, 1)[0];
            return record(y, parts.stream().anyMatch(part -> part.needsGradient), List.of(), dy -> {
                long from = 0;
                for (Value part : parts) {
                    long to = from + part.array.size(1);
                    if (part.needsGradient) {
                        accumulate(part, copy(dy.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all())));
                    }
                    from = to;
                }
            });
        }

        /** Global average pooling, then the linear classifier: logits = mean(x) · Wᵀ + b. */
        private Value classifier(Value features)
        {
            Value weight = weight(NetworkDescription.CLASSIFIER_PREFIX + ".weight");
            Value bias = weight(NetworkDescription.CLASSIFIER_PREFIX + ".bias");
            long[] shape = features.array.shape();
            INDArray pooled = time("mean", () -> features.array.mean(2, 3));
            INDArray y = time("classifier", () -> pooled.mmul(weight.array.transpose()).addiRowVector(bias.array));
            return record(y, true, List.of(pooled), dy -> {
                accumulate(weight, time("classifier", () -> dy.transpose().mmul(pooled)));
                accumulate(bias, time("classifier", () -> dy.sum(0)));
                if (features.needsGradient) {
                    INDArray dPooled = time("classifier", () -> dy.mmul(weight.array).divi(shape[2] * shape[3]));
                    // a broadcast copy along the first two dimensions: INDArray.broadcast tiles element by element, about 20 ms a pass
                    INDArray dx = allocate(shape);
                    time("broadcast", () -> Nd4j.exec(new BroadcastCopyOp(dx, dPooled, dx, 0, 1)));
                    free(dPooled);
                    accumulate(features, dx);
                }
            });
        }

        /** The value an op computed; in a gradient pass, with the step that takes its gradient back. */
        private Value record(INDArray array, boolean needsGradient, List<INDArray> kept, Consumer<INDArray> backward)
        {
            Value value = new Value(array, true, recording && needsGradient);
            steps.add(new Step(value, kept, backward));
            return value;
        }

        /** Adds {@code gradient} to the value's; takes it over if the value had none, frees it otherwise unless another value holds it. */
        private void accumulate(Value value, INDArray gradient)
        {
            if (!value.needsGradient) {
                release(gradient);
                return;
            }
            if (value.gradient == null) {
                value.gradient = gradient;
                holders.merge(gradient, 1, Integer::sum);
                return;
            }
            if (holders.get(value.gradient) == 1) {
                INDArray sum = value.gradient;
                time("add", () -> sum.addi(gradient));
            }
            else {
                INDArray sum = exec("add", new INDArray[] {value.gradient, gradient}, new INDArray[] {like(gradient)})[0];
                drop(value.gradient);
                value.gradient = sum;
                holders.put(sum, 1);
            }
            release(gradient);
        }

        /** Frees a gradient array no value holds. */
        private void release(INDArray gradient)
        {
            if (!holders.containsKey(gradient)) {
                free(gradient);
            }
        }

        private void drop(INDArray gradient)
        {
            int left = holders.merge(gradient, -1, Integer::sum);
            if (left == 0) {
                holders.remove(gradient);
                free(gradient);
            }
        }

        /** Runs the recorded steps backwards from {@code output}'s gradient, freeing each op's arrays once its step has run. */
        void backward(Value output, INDArray gradient)
        {
            accumulate(output, gradient);
            for (int i = steps.size() - 1; i >= 0; i--) {
                Step step = steps.get(i);
                Value value = step.output();
                if (value.gradient != null) {
                    step.backward().accept(value.gradient);
                    drop(value.gradient);
                    value.gradient = null;
                }
                free(step);
            }
            steps.clear();
        }

        /** The weights' gradients, each an array of its own. */
        Map<String, INDArray> parameterGradients()
        {
            Map<String, INDArray> gradients = new LinkedHashMap<>();
            weights.forEach((name, weight) -> {
                if (weight.gradient != null) {
                    INDArray gradient = weight.gradient;
                    if (holders.get(gradient) == 1) {
                        holders.remove(gradient);
                    }
                    else {
                        drop(gradient);
                        gradient = gradient.dup();
                    }
                    gradients.put(name, gradient);
                    weight.gradient = null;
                }
            });
            return gradients;
        }

        /** Frees what the steps recorded from {@code mark} on computed, except {@code kept}'s array, and forgets the steps. */
        private void freeStepsSince(int mark, Value kept)
        {
            List<Step> since = steps.subList(mark, steps.size());
            Step keptStep = null;
            for (Step step : since) {
                if (step.output() == kept) {
                    step.kept().forEach(this::free);
                    keptStep = new Step(kept, List.of(), step.backward());
                }
                else {
                    free(step);
                }
            }
            since.clear();
            if (keptStep != null) {
                steps.add(keptStep);
            }
        }

        private void free(Step step)
        {
            if (step.output().computed) {
                free(step.output().array);
            }
            step.kept().forEach(this::free);
        }

        @Override
        public void close()
        {
            steps.forEach(this::free);
            steps.clear();
            holders.keySet().forEach(this::free);
            holders.clear();
        }

        private INDArray like(INDArray array)
        {
            return allocate(array.shape());
        }

        /**
         * An array for an op to compute into, not cleared. New each time: a pass frees its arrays as soon
         * as nothing reads them, so the allocator has their memory at hand for the next ones (keeping
         * them in an {@link ArrayPool} instead ran no faster and held 0.35 GB more).
         */
        private INDArray allocate(long... shape)
        {
            return Nd4j.createUninitialized(dataType, shape);
        }

        private INDArray zeros(long... shape)
        {
            INDArray zeros = allocate(shape);
            return time("assign", () -> zeros.assign(0));
        }

        /** A dense copy of a view. */
        private INDArray copy(INDArray view)
        {
            INDArray copy = allocate(view.shape());
            return time("assign", () -> copy.assign(view));
        }

        /** A dense copy of {@code x} with its dimensions in the order {@code dimensions}. */
        private INDArray permuted(INDArray x, int... dimensions)
        {
            long[] shape = new long[dimensions.length];
            for (int i = 0; i < dimensions.length; i++) {
                shape[i] = x.size(dimensions[i]);
            }
            return exec("permute", new INDArray[] {x}, new INDArray[] {allocate(shape)}, dimensions)[0];
        }

        /** Frees an array the pass computed and nothing reads any more. */
        private void free(INDArray array)
        {
            Nd4jArrays.close(array);
        }

        private INDArray[] exec(String op, INDArray[] inputs, INDArray[] outputs, int[] integers, double... floats)
        {
            DynamicCustomOp.DynamicCustomOpsBuilder builder = DynamicCustomOp.builder(op).addInputs(inputs).addIntegerArguments(integers);
            if (outputs != null) {
                builder.addOutputs(outputs);
            }
            if (floats.length > 0) {
                builder.addFloatingPointArguments(Arrays.stream(floats).boxed().toArray(Double[]::new));
            }
            DynamicCustomOp custom = builder.build();
            return time(op, () -> Nd4j.exec(custom));
        }

        /** Runs {@code op} and, if ops are timed and this is a gradient pass, counts its time under {@code name}. */
        private <T> T time(String name, Supplier<T> op)
        {
            if (opTimes.isEmpty() || !recording) {
                return op.get();
            }
            long start = System.nanoTime();
            T result = op.get();
            opTimes.get().op(name, System.nanoTime() - start);
            return result;
        }

        private INDArray[] exec(String op, INDArray[] inputs, INDArray[] outputs, int... integers)
        {
            return exec(op, inputs, outputs, integers, new double[0]);
        }
    }

    /** An array's values in its order, whatever its shape. */
    private static double[] values(INDArray array)
    {
        return array.reshape(array.length()).toDoubleVector();
    }

    /** An output size of a pooling: SAME keeps ceil(in / stride), VALID pads explicitly. */
    private static long poolSize(long in, int kernel, int stride, int padding, int mode)
    {
        return mode == SAME ? (in + stride - 1) / stride : size(in, kernel, stride, padding, 1);
    }

    /** An output size of a convolution or pooling with explicit padding. */
    private static long size(long in, int kernel, int stride, int padding, int dilation)
    {
        return (in + 2L * padding - dilation * (kernel - 1L) - 1) / stride + 1;
    }
}
