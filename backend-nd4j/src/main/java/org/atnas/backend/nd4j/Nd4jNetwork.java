package org.atnas.backend.nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.atnas.api.network.Cell;
import org.atnas.api.network.Edge;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.Node;
import org.atnas.api.network.Op;
import org.atnas.api.network.ParameterSpec;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

import static java.util.Objects.requireNonNull;

/**
 * A network description as one SameDiff graph ({@code nd4j.executor = samediff}), built once per
 * architecture and worker: the input and the one-hot labels are placeholders, every parameter a
 * variable whose array is swapped for the weights of each call. Parameters keep PyTorch's layout
 * ({@code [out, in, kH, kW]}); the graph permutes conv weights to SameDiff's {@code [kH, kW, in,
 * out]}, so gradients come back in the layout of the description and of the safetensors files. Each op kind is written as the
 * {@link org.atnas.api.network.OpKind} Javadoc specifies it; batch norm is built from primitive ops
 * (SameDiff's own batch norm has no working backward pass in 1.0.0-M2.1).
 */
final class Nd4jNetwork
        implements Executor
{
    static final String INPUT = "input";
    static final String LABELS = "labels";
    static final String LOSS = "loss";
    static final String LOGITS = "logits";
    private static final double BATCH_NORM_EPSILON = 1e-5;

    private final NetworkDescription description;
    private final SameDiff graph;
    private final List<String> parameters;
    private final ArrayPool pool;
    private final PassArrays passArrays;
    /** The function graph SameDiff runs gradients in, and it with the graph. */
    private final SameDiff gradient;
    private final List<SameDiff> functions;

    /** @param pool what the gradient passes free into and allocate their op outputs from (see {@link ArrayPool}) */
    Nd4jNetwork(NetworkDescription description, DataType dataType, ArrayPool pool)
    {
        this(description, dataType, pool, Optional.empty());
    }

    /**
     * @param pool what the gradient passes free into and allocate their op outputs from (see {@link ArrayPool})
     * @param opTimes what times the gradient passes' ops, if anything
     */
    Nd4jNetwork(NetworkDescription description, DataType dataType, ArrayPool pool, Optional<OpTimes> opTimes)
    {
        this.description = requireNonNull(description, "description is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.graph = SameDiff.create();
        this.parameters = description.parameters().stream().map(ParameterSpec::name).toList();
        Map<String, SDVariable> weights = new LinkedHashMap<>();
        for (ParameterSpec parameter : description.parameters()) {
            weights.put(parameter.name(), graph.var(parameter.name(), Nd4j.zeros(dataType, Nd4jArrays.shape(parameter))));
        }
        SDVariable input = graph.placeHolder(INPUT, dataType, -1, description.input().channels(), description.input().height(), description.input().width());
        SDVariable labels = graph.placeHolder(LABELS, dataType, -1, description.classes());
        SDVariable stem = apply(description.stem(), input, weights);
        List<SDVariable> outputs = new ArrayList<>();
        for (int c = 0; c < description.cells().size(); c++) {
            Cell cell = description.cells().get(c);
            List<SDVariable> nodes = new ArrayList<>();
            for (int i = 0; i < cell.inputCount(); i++) {
                int source = c + cell.inputOffsets().get(i);
                nodes.add(apply(cell.preprocess().get(i), source < 0 ? stem : outputs.get(source), weights));
            }
            for (Node node : cell.nodes()) {
                SDVariable sum = null;
                for (Edge edge : node.edges()) {
                    SDVariable value = apply(edge.op(), nodes.get(edge.from()), weights);
                    sum = sum == null ? value : sum.add(value);
                }
                if (sum == null) {
                    // a node without edges is zeros of the cell's node shape (halved in a reduction cell)
                    SDVariable like = cell.reduction() ? averagePool(nodes.get(0), 1, 2, 0, PaddingMode.SAME) : nodes.get(0);
                    sum = like.mul(0.0);
                }
                nodes.add(sum);
            }
            List<SDVariable> concatenated = new ArrayList<>();
            for (int index : cell.outputNodes()) {
                concatenated.add(nodes.get(index));
            }
            outputs.add(concatenated.size() == 1 ? concatenated.get(0) : graph.concat(1, concatenated.toArray(SDVariable[]::new)));
        }
        SDVariable features = outputs.isEmpty() ? stem : outputs.get(outputs.size() - 1);
        if (description.head().isPresent()) {
            features = apply(description.head().get(), features, weights);
        }
        SDVariable pooled = features.mean(2, 3);
        String prefix = NetworkDescription.CLASSIFIER_PREFIX;
        SDVariable logits = pooled.mmul(weight(weights, prefix + ".weight").permute(1, 0)).add(weight(weights, prefix + ".bias"));
        graph.identity(LOGITS, logits);
        // log-softmax over the last dimension, the classes (the variant with an explicit dimension fails to set up its backward pass in 1.0.0-M2.1)
        SDVariable logProbabilities = graph.nn().logSoftmax(logits);
        graph.identity(LOSS, logProbabilities.mul(labels).sum(1).mean().neg());
        graph.setLossVariables(LOSS);
        Quiet.run(graph::createGradFunction);
        List<String> kept = new ArrayList<>(List.of(LOSS, LOGITS));
        for (String name : parameters) {
            kept.add(graph.getGradForVariable(name).name());
        }
        this.passArrays = new PassArrays(kept, pool);
        // the timer first: listeners run in order, so an op's time ends before PassArrays frees its inputs
        opTimes.ifPresent(graph::addListeners);
        graph.addListeners(passArrays);
        this.gradient = graph.getFunction("grad");
        this.functions = List.of(graph, gradient);
    }

    @Override
    public NetworkDescription description()
    {
        return description;
    }

    SameDiff graph()
    {
        return graph;
    }

    @Override
    public List<String> parameters()
    {
        return parameters;
    }

    @Override
    public Result gradients(Map<String, INDArray> weights, INDArray input, int[] labels)
    {
        INDArray oneHot = Nd4j.zeros(input.dataType(), labels.length, description.classes());
        OutAndGrad result = null;
        try {
            for (int i = 0; i < labels.length; i++) {
                oneHot.putScalar(i, labels[i], 1.0);
            }
            bind(weights);
            beginPass(input, oneHot);
            result = graph.calculateGradientsAndOutputs(Map.of(INPUT, input, LABELS, oneHot), List.of(LOSS, LOGITS), parameters);
            Map<String, INDArray> gradients = new LinkedHashMap<>();
            for (String name : parameters) {
                // the graph reuses its buffers in the next call: the gradient is copied out
                gradients.put(name, result.getGradients().get(name).dup());
            }
            return new Result(result.getOutputs().get(LOSS).getDouble(0), Nd4jSupernet.floats(result.getOutputs().get(LOGITS)), gradients);
        }
        finally {
            // what the pass returned and read is freed now, not when the collector finds it (the activations are the graph session's)
            Nd4jArrays.close(oneHot);
            if (result != null) {
                Nd4jArrays.close(result.getOutputs().values());
                Nd4jArrays.close(result.getGradients().values());
            }
            endPass();
        }
    }

    @Override
    public float[] logits(Map<String, INDArray> weights, INDArray input)
    {
        // the graph's loss needs labels to be fed; the logits do not depend on them
        INDArray labels = Nd4j.zeros(input.dataType(), input.size(0), description.classes());
        INDArray logits = null;
        try {
            bind(weights);
            // an inference pass frees its arrays itself (SameDiff's session releases them as it goes): no beginPass here
            logits = graph.output(Map.of(INPUT, input, LABELS, labels), LOGITS).get(LOGITS);
            return Nd4jSupernet.floats(logits);
        }
        finally {
            Nd4jArrays.close(labels);
            Nd4jArrays.close(logits);
        }
    }

    /** Makes the graph's variables read {@code weights} (no copy). */
    void bind(Map<String, INDArray> weights)
    {
        for (String name : parameters) {
            graph.setArrayForVariable(name, weights.get(name));
        }
    }

    /**
     * Starts a pass that reads the bound weights and the placeholders: from here on the arrays the pass
     * computes are freed into the pool as soon as no later op reads them, and its op outputs are
     * allocated from there. The caller must call {@link #endPass} after it has read the pass's
     * outputs, which frees them too.
     */
    void beginPass(INDArray... placeholders)
    {
        // the session allocates from the pool the listener frees into; it must not reuse arrays on its own rules (its array cache)
        InferenceSession session = gradient.getSessions().computeIfAbsent(Thread.currentThread().getId(), id -> new InferenceSession(gradient));
        if (session.getMmgr() != pool) {
            session.setMmgr(pool);
        }
        // the weights, the constants and the gradient's seed belong to the graphs, not to the pass
        List<INDArray> pinned = new ArrayList<>(List.of(placeholders));
        for (SameDiff function : functions) {
            for (SDVariable variable : function.variables()) {
                VariableType type = variable.getVariableType();
                if ((type == VariableType.VARIABLE || type == VariableType.CONSTANT) && variable.getArr() != null) {
                    pinned.add(variable.getArr());
                }
            }
        }
        passArrays.begin(pinned);
    }

    /** Frees what the pass begun by {@link #beginPass} computed, its outputs included. */
    void endPass()
    {
        passArrays.end();
    }

    private SDVariable apply(Op op, SDVariable x, Map<String, SDVariable> weights)
    {
        String p = op.prefix();
        int k = op.kernel();
        int s = op.stride();
        int d = op.dilation();
        return switch (op.kind()) {
            case CONV_BN -> norm(conv(x, weight(weights, p + ".conv.weight"), k, s, d), weights, p + ".bn");
            case RELU_CONV_BN -> norm(conv(relu(x), weight(weights, p + ".conv.weight"), k, s, d), weights, p + ".bn");
            case SEP_CONV -> {
                SDVariable half = norm(conv(depthwise(relu(x), weight(weights, p + ".dw1.weight"), k, s, 1), weight(weights, p + ".pw1.weight"), 1, 1, 1), weights, p + ".bn1");
                yield norm(conv(depthwise(relu(half), weight(weights, p + ".dw2.weight"), k, 1, 1), weight(weights, p + ".pw2.weight"), 1, 1, 1), weights, p + ".bn2");
            }
            case DIL_CONV -> norm(conv(depthwise(relu(x), weight(weights, p + ".dw.weight"), k, s, d), weight(weights, p + ".pw.weight"), 1, 1, 1), weights, p + ".bn");
            case MAX_POOL_BN -> norm(inChannelsLast(x, nhwc -> graph.cnn().maxPooling2d(nhwc, Pooling2DConfig.builder().kH(k).kW(k).sH(s).sW(s)
                    .pH(k / 2).pW(k / 2).paddingMode(PaddingMode.VALID).isNHWC(true).build())), weights, p + ".bn");
            case AVG_POOL_BN -> norm(averagePool(x, k, s, k / 2, PaddingMode.VALID), weights, p + ".bn");
            case AVG_POOL -> averagePool(x, k, s, k / 2, PaddingMode.VALID);
            case SKIP -> x;
            case FACTORIZED_REDUCE -> {
                SDVariable relu = relu(x);
                // the second half reads the input shifted by one pixel, zero-padded at the bottom and right: on the padded input,
                // a 2x2 kernel whose only non-zero tap is the bottom-right one (the 1x1 weight) reads exactly those pixels
                SDVariable padded = pad(relu, 0, 1);
                SDVariable shiftedWeight = pad(weight(weights, p + ".conv2.weight"), 1, 0);
                SDVariable halves = graph.concat(1, conv(relu, weight(weights, p + ".conv1.weight"), 1, 2, 1), conv(padded, shiftedWeight, 2, 2, 1));
                yield norm(halves, weights, p + ".bn");
            }
            // the 2x2 pool of a residual shortcut keeps ceil(h / 2) on odd sizes: SAME padding, padded pixels not counted
            case POOLED_PROJECTION -> conv(averagePool(x, 2, 2, 0, PaddingMode.SAME), weight(weights, p + ".conv.weight"), 1, 1, 1);
            case BN_RELU -> relu(norm(x, weights, p + ".bn"));
        };
    }

    /** Zeros before and after the last two dimensions. */
    private SDVariable pad(SDVariable x, int before, int after)
    {
        INDArray paddings = Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0}, {before, after}, {before, after}});
        return graph.nn().pad(x, graph.constant(paddings), PadMode.CONSTANT, 0.0);
    }

    /**
     * ReLU as max(x, 0), whose backward pass multiplies by the mask x &gt; 0: the same values and the
     * same gradient (0 at 0) as SameDiff's relu, whose backward op ({@code thresholdedrelu_bp}) took
     * 3.7 ms a call on a query pass's activations, 14% of a meta-step. One op forward, where x times
     * its mask took three and, backward, also computed the unused gradient of the mask.
     */
    private SDVariable relu(SDVariable x)
    {
        return graph.scalarMax(x, 0.0);
    }

    /** A convolution with PyTorch's weight {@code [out, in, k, k]} and padding {@code d (k − 1) / 2} (none for the 2x2 kernel of a factorized reduce). */
    private SDVariable conv(SDVariable x, SDVariable weight, int kernel, int stride, int dilation)
    {
        int padding = dilation * (kernel - 1) / 2;
        return graph.cnn().conv2d(x, weight.permute(2, 3, 1, 0), Conv2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(dilation).dW(dilation).paddingMode(PaddingMode.VALID).dataFormat("NCHW").build());
    }

    /**
     * A depthwise convolution with PyTorch's weight {@code [channels, 1, k, k]}. A dilated one runs
     * as an undilated one with the kernel spread out (zeros between its taps, {@code d (k − 1) + 1}
     * wide), because oneDNN, which makes ND4J's convolutions fast, refuses dilated depthwise ones.
     */
    private SDVariable depthwise(SDVariable x, SDVariable weight, int kernel, int stride, int dilation)
    {
        SDVariable taps = weight;
        int size = kernel;
        if (dilation > 1) {
            size = dilation * (kernel - 1) + 1;
            // S [size, kernel] puts tap i at row d·i; the spread kernel is S · W · Sᵀ per channel
            INDArray spread = Nd4j.zeros(weight.dataType(), size, kernel);
            for (int i = 0; i < kernel; i++) {
                spread.putScalar(dilation * i, i, 1.0);
            }
            SDVariable s = graph.constant(spread);
            SDVariable rows = weight.reshape(-1, kernel).mmul(s.permute(1, 0));
            SDVariable columns = rows.reshape(-1, kernel, size).permute(0, 2, 1).reshape(-1, kernel).mmul(s.permute(1, 0));
            taps = columns.reshape(-1, size, size).permute(0, 2, 1).reshape(-1, 1, size, size);
        }
        int padding = dilation * (kernel - 1) / 2;
        return graph.cnn().depthWiseConv2d(x, taps.permute(2, 3, 0, 1), Conv2DConfig.builder().kH(size).kW(size).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW").build());
    }

    /**
     * Average pooling that does not count padded pixels, nor in SAME mode pixels past the edge
     * (PyTorch's {@code count_include_pad = False}; the parity test with DJL holds it to that).
     */
    private SDVariable averagePool(SDVariable x, int kernel, int stride, int padding, PaddingMode mode)
    {
        return inChannelsLast(x, nhwc -> graph.cnn().avgPooling2d(nhwc, Pooling2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride)
                .pH(padding).pW(padding).paddingMode(mode).divisor(Pooling2D.Divisor.EXCLUDE_PADDING).isNHWC(true).build()));
    }

    /**
     * A pooling op run on the NHWC transpose of {@code x}, its result turned back to NCHW. ND4J hands
     * NCHW pooling to oneDNN's reference kernel ({@code nchw_pooling}: 12.7% of the benchmark's
     * meta-step samples for the reduction cell's max pools alone), NHWC pooling to its vectorised
     * one; the two transposes are plain copies, a small fraction of that.
     */
    private static SDVariable inChannelsLast(SDVariable x, UnaryOperator<SDVariable> pool)
    {
        return pool.apply(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2);
    }

    /**
     * Batch norm with the batch's statistics (biased variance) and a learnable scale and shift, as
     * x · s + (β − μ · s) with s = γ / √(σ² + ε): the mean and variance come from one op (moments),
     * the per-channel scale and shift are a 1x1 depthwise convolution with a bias. SameDiff's
     * broadcasting multiply has a slow backward pass, the convolution a fast one; centring x first, as
     * (x − μ) · s + β, took three more full-size ops forward and four more backward, and a separate
     * bias op one more each way.
     */
    private SDVariable norm(SDVariable x, Map<String, SDVariable> weights, String prefix)
    {
        long channels = weights.get(prefix + ".weight").getShape()[0];
        SDVariable[] moments = graph.math().moments(x, new int[] {0, 2, 3}, false);
        SDVariable scale = weight(weights, prefix + ".weight").mul(graph.math().rsqrt(moments[1].add(BATCH_NORM_EPSILON)));
        SDVariable shift = weight(weights, prefix + ".bias").sub(moments[0].mul(scale));
        return graph.cnn().depthWiseConv2d(x, scale.reshape(1, 1, channels, 1), shift, Conv2DConfig.builder().kH(1).kW(1).sH(1).sW(1).pH(0).pW(0)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW").build());
    }

    private static SDVariable weight(Map<String, SDVariable> weights, String name)
    {
        SDVariable weight = weights.get(name);
        if (weight == null) {
            throw new IllegalStateException("Weight " + name + " is missing from the subnet's parameters");
        }
        return weight;
    }
}
