package org.atnas.core.adapt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.BackendWorker;
import org.atnas.api.ImageBatch;
import org.atnas.api.ImageShape;
import org.atnas.api.InnerLoop;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.MetaUpdate;
import org.atnas.api.SearchSpace;
import org.atnas.api.Subnet;
import org.atnas.api.Supernet;
import org.atnas.api.SupernetState;
import org.atnas.api.Task;
import org.atnas.api.WeightBackend;
import org.atnas.api.Weights;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;

import static java.util.Objects.requireNonNull;

/**
 * Adapts a meta-trained architecture to a task of any number of classes and predicts its queries.
 *
 * <p>The network is described for the task's N classes ({@link SearchSpace#describe}), and the
 * backend creates a supernet of exactly that description; it is restored from the meta-trained
 * weights by name, with {@code classifier.weight} and {@code classifier.bias} replaced by a head of
 * N rows ({@link HeadInit}). So a 5-way run adapts to 20 classes through the API as it is: no
 * backend needs to know that a head was resized. The inner loop is plain SGD from those weights
 * ({@link MetaOptimizer#innerLoop}), what the meta-test of every first-order method runs; the
 * queries are predicted in one batch, as the meta-test scores them (batch norm uses the batch's
 * statistics).
 */
public final class FewShotAdapter
{
    private static final String WEIGHT = NetworkDescription.CLASSIFIER_PREFIX + ".weight";
    private static final String BIAS = NetworkDescription.CLASSIFIER_PREFIX + ".bias";
    /** A supernet needs outer-update settings; adapting never makes an outer update, so their values do not matter. */
    private static final MetaUpdate NO_OUTER_UPDATE = MetaUpdate.adam(1e-3);

    private final WeightBackend backend;
    private final SearchSpace space;
    private final SupernetState metaTrained;
    private final ImageShape input;
    private final long seed;

    /**
     * @param metaTrained the run's supernet weights (a checkpoint's)
     * @param input the shape of the network's input
     * @param seed seeds the backend's supernet (every value is then replaced by the restore)
     */
    public FewShotAdapter(WeightBackend backend, SearchSpace space, SupernetState metaTrained, ImageShape input, long seed)
    {
        this.backend = requireNonNull(backend, "backend is null");
        this.space = requireNonNull(space, "space is null");
        this.metaTrained = requireNonNull(metaTrained, "metaTrained is null");
        this.input = requireNonNull(input, "input is null");
        this.seed = seed;
    }

    /**
     * What adapting to a task gave.
     *
     * @param description the network, for the task's classes
     * @param probabilities each query's probability of each class, {@code [queries, classes]} row-major
     * @param weights the adapted weights by parameter name, if asked for
     */
    public record Adapted(NetworkDescription description, float[] probabilities, Optional<Map<String, float[]>> weights)
    {
        public Adapted
        {
            requireNonNull(description, "description is null");
            requireNonNull(probabilities, "probabilities is null");
            requireNonNull(weights, "weights is null");
        }

        public int classes()
        {
            return description.classes();
        }

        /** The class of the highest probability of query {@code index} (the first on ties). */
        public int predicted(int index)
        {
            return argMax(probabilities, index, description.classes());
        }

        /** The fraction of queries whose prediction is their label. */
        public double accuracy(int[] labels)
        {
            int correct = 0;
            for (int i = 0; i < labels.length; i++) {
                if (predicted(i) == labels[i]) {
                    correct++;
                }
            }
            return (double) correct / labels.length;
        }
    }

    /**
     * Adapts {@code code} to a support set of {@code classes} classes and predicts {@code query}.
     *
     * @param support labelled 0..classes-1
     * @param query its labels are ignored
     * @param keepWeights whether to read the adapted weights out of the backend (to save them)
     * @throws IllegalArgumentException if the run's weights lack a parameter of the architecture, or the head cannot be initialised so
     */
    public Adapted adapt(ArchitectureCode code, ImageBatch support, int classes, ImageBatch query, HeadInit headInit, InnerLoop innerLoop, boolean keepWeights)
    {
        NetworkDescription description = space.describe(code, input, classes);
        Map<String, float[]> start = new LinkedHashMap<>();
        float[] weight = require(WEIGHT, code);
        float[] bias = require(BIAS, code);
        float[][] head = headInit.initialise(weight, bias, classes);
        for (ParameterSpec spec : description.parameters()) {
            start.put(spec.name(), spec.name().equals(WEIGHT) ? head[0] : spec.name().equals(BIAS) ? head[1] : require(spec.name(), code));
        }
        Task task = new Task(classes, support, query, seed);
        try (Supernet supernet = backend.createSupernet(description, NO_OUTER_UPDATE, seed)) {
            supernet.restore(new SupernetState(start, Map.of(), Map.of(), Map.of()));
            try (BackendWorker worker = supernet.newWorker();
                    Subnet subnet = worker.compile(description);
                    Weights initial = worker.weights(subnet, false);
                    Weights adapted = MetaOptimizer.innerLoop(worker, subnet, initial, task, innerLoop, false)) {
                float[] probabilities = softmax(worker.logits(subnet, adapted, query), classes);
                return new Adapted(description, probabilities, keepWeights ? Optional.of(worker.values(adapted)) : Optional.empty());
            }
        }
    }

    /**
     * The class probabilities of {@code images} under a saved network: a supernet of exactly
     * {@code description}, restored from {@code weights}.
     *
     * @throws IllegalArgumentException naming the parameter when the weights do not fit the description
     */
    public static float[] predict(WeightBackend backend, NetworkDescription description, Map<String, float[]> weights, ImageBatch images, long seed)
    {
        try (Supernet supernet = backend.createSupernet(description, NO_OUTER_UPDATE, seed)) {
            supernet.restore(new SupernetState(weights, Map.of(), Map.of(), Map.of()));
            try (BackendWorker worker = supernet.newWorker();
                    Subnet subnet = worker.compile(description);
                    Weights values = worker.weights(subnet, false)) {
                return softmax(worker.logits(subnet, values, images), description.classes());
            }
        }
    }

    private float[] require(String name, ArchitectureCode code)
    {
        float[] values = metaTrained.parameters().get(name);
        if (values == null) {
            throw new IllegalArgumentException("The run's supernet has no parameter " + name + ", which architecture " + code.format() + " uses");
        }
        return values;
    }

    static int argMax(float[] rows, int row, int columns)
    {
        int best = 0;
        for (int c = 1; c < columns; c++) {
            if (rows[row * columns + c] > rows[row * columns + best]) {
                best = c;
            }
        }
        return best;
    }

    /** Row-wise softmax, with the row's maximum subtracted first so that no exponential overflows. */
    static float[] softmax(float[] logits, int columns)
    {
        float[] out = new float[logits.length];
        for (int row = 0; row < logits.length / columns; row++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < columns; c++) {
                max = Math.max(max, logits[row * columns + c]);
            }
            double sum = 0;
            for (int c = 0; c < columns; c++) {
                sum += Math.exp(logits[row * columns + c] - max);
            }
            for (int c = 0; c < columns; c++) {
                out[row * columns + c] = (float) (Math.exp(logits[row * columns + c] - max) / sum);
            }
        }
        return out;
    }
}
