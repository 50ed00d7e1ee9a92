package org.atnas.core.transfer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.BackendWorker;
import org.atnas.api.Evolver;
import org.atnas.api.Gradient;
import org.atnas.api.ImageBatch;
import org.atnas.api.Individual;
import org.atnas.api.Loss;
import org.atnas.api.NonFiniteLossException;
import org.atnas.api.Population;
import org.atnas.api.SearchSpace;
import org.atnas.api.Subnet;
import org.atnas.api.Supernet;
import org.atnas.api.Weights;
import org.atnas.api.network.NetworkDescription;
import org.atnas.core.data.Augmentation;
import org.atnas.core.data.LabelledImages;
import org.atnas.core.run.MetricsLog;
import org.atnas.core.run.ProcessCpu;
import org.atnas.core.run.RunDirectory;
import org.atnas.core.search.Checkpoint;
import org.atnas.core.search.Seeds;

import static java.util.Objects.requireNonNull;

/**
 * Algorithm 3 of AT-NAS, fast architecture transfer, and the final training of its answer: the
 * population's P subnets train the supernet together on a labelled data set — each mini-batch goes
 * through all of them and W takes the mean of their gradients, dW = 1/P Σᵢ ∂Lᵢ/∂W ⊙ Aᵢ
 * ({@link Supernet#applyGradient}) — and every E_param epochs the population is evaluated on the
 * validation set and evolved with population halving ({@link Evolver#halve}) until one architecture
 * is left; that one trains on with a cosine learning rate and is tested once on the test set.
 *
 * <p>Every random choice comes from seeds derived from the run's seed and the epoch or evolution
 * ({@link Seeds}), and a checkpoint is written after every epoch, so a resumed transfer makes the
 * choices of an uninterrupted one.
 */
public final class ArchitectureTransfer
{
    /** How a transfer ended. */
    public enum Outcome
    {
        FINISHED, STOPPED
    }

    /** What a transfer reports while it runs; called on the transfer's thread. */
    public interface Listener
    {
        /** After each mini-batch. */
        void batch(BatchProgress progress);

        /** After an evaluation of the population on the validation set, before it is halved. */
        void evolution(int evolution, Population evaluated);

        /** After each checkpoint. */
        void checkpoint(Path folder);
    }

    /**
     * One mini-batch done.
     *
     * @param epoch the epoch (1-based) and {@code epochs} in all
     * @param population subnets training in this epoch
     * @param loss the mean of the subnets' losses on this batch
     * @param imagesPerSecond subnet-images per second of wall time in this epoch so far
     * @param workDone share of the plan's work done (each epoch weighs its population size), for an ETA
     */
    public record BatchProgress(int epoch, int epochs, int batch, int batches, int population, double loss, double accuracy, double imagesPerSecond, double workDone) {}

    /** A {@code metrics.jsonl} line of one epoch. */
    record EpochLine(String type, int step, String phase, int population, double loss, double accuracy, double learningRate, int images, double imagesPerSecond, double seconds,
            double cpuMinutes) {}

    /** A {@code metrics.jsonl} line of one evaluated population: each individual's validation accuracy (the paper's Fig. 9). */
    record EvolutionLine(String type, int step, int evolution, int population, double bestAccuracy, double meanAccuracy, String best, List<Member> individuals) {}

    /** An individual and its validation accuracy. */
    record Member(String code, double accuracy) {}

    /** A {@code metrics.jsonl} line of the final training's validation accuracy after an epoch (its learning curve). */
    record ValidationLine(String type, int step, String code, double accuracy) {}

    /** The {@code metrics.jsonl} line of the test. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TestLine(String type, int step, String code, double accuracy, double low, double high, long images, long parameters, long multiplyAdds, double cpuMinutes) {}

    /**
     * The answer: the architecture left, its test accuracy, size and cost.
     *
     * @param parameters parameters of the trained network (W ⊙ A with its head)
     * @param multiplyAdds multiply-adds of one forward pass of one image
     * @param cpuMinutes CPU minutes of the whole transfer, resumed parts included
     */
    public record Result(ArchitectureCode code, TestAccuracy test, long parameters, long multiplyAdds, double cpuMinutes) {}

    private final TransferPlan plan;
    private final SearchSpace space;
    private final Evolver evolver;
    private final Supernet supernet;
    private final Function<ArchitectureCode, NetworkDescription> describe;
    private final LabelledImages images;
    private final int[] training;
    private final int[] validation;
    private final LabelledImages test;
    private final Path directory;
    private final Map<String, String> configuration;
    private final Map<String, String> components;
    private final BooleanSupplier stop;
    private final boolean resumed;
    private int epoch;
    private int evolution;
    private Population population;
    private double cpuMinutesBefore;
    private long cpuStart;
    private MetricsLog metrics;
    private Optional<Path> lastCheckpoint = Optional.empty();

    /**
     * @param describe the network of an architecture for the data's input and classes
     * @param images the training set; {@code training} and {@code validation} are disjoint indices into it
     * @param test the test set, touched only by {@link #test}
     * @param initial the starting population (unevaluated), unless resumed
     * @param resume a checkpoint of this transfer to continue from; the supernet must hold its state
     * @param configuration the run's effective configuration, as checkpoints keep it
     * @param stop asked between mini-batches; when true the transfer writes a checkpoint and stops
     */
    public ArchitectureTransfer(TransferPlan plan, SearchSpace space, Evolver evolver, Supernet supernet, Function<ArchitectureCode, NetworkDescription> describe, LabelledImages images,
            int[] training, int[] validation, LabelledImages test, Population initial, Optional<Checkpoint> resume, Path directory, Map<String, String> configuration,
            Map<String, String> components, BooleanSupplier stop)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.space = requireNonNull(space, "space is null");
        this.evolver = requireNonNull(evolver, "evolver is null");
        this.supernet = requireNonNull(supernet, "supernet is null");
        this.describe = requireNonNull(describe, "describe is null");
        this.images = requireNonNull(images, "images is null");
        this.training = training.clone();
        this.validation = validation.clone();
        this.test = requireNonNull(test, "test is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.configuration = Map.copyOf(configuration);
        this.components = Map.copyOf(components);
        this.stop = requireNonNull(stop, "stop is null");
        if (training.length < 2 || validation.length < 1) {
            throw new IllegalArgumentException("The transfer needs at least 2 training images and 1 validation image, got " + training.length + " and " + validation.length);
        }
        this.resumed = resume.isPresent();
        if (resume.isPresent()) {
            Checkpoint checkpoint = resume.get();
            this.epoch = checkpoint.step();
            this.evolution = checkpoint.generation();
            this.population = checkpoint.population();
            this.cpuMinutesBefore = checkpoint.cpuMinutes();
        }
        else {
            this.population = requireNonNull(initial, "initial is null");
            if (initial.size() != plan.population()) {
                throw new IllegalArgumentException("The plan is for a population of " + plan.population() + ", the transfer starts with " + initial.size());
            }
        }
    }

    /**
     * Runs the remaining epochs and evolutions; at the end, the final training's checkpoint is
     * the trained network. Call {@link #test} after it finished.
     */
    public Outcome run(Listener listener)
    {
        cpuStart = ProcessCpu.nanos();
        if (resumed) {
            MetricsLog.dropAfterStep(directory.resolve(RunDirectory.METRICS_FILE), epoch);
        }
        try (BackendWorker worker = supernet.newWorker()) {
            while (epoch < plan.totalEpochs()) {
                if (stop.getAsBoolean()) {
                    listener.checkpoint(checkpoint(false));
                    return Outcome.STOPPED;
                }
                boolean finalTraining = epoch >= plan.evolutionEpochs();
                if (!trainEpoch(worker, listener, finalTraining)) {
                    listener.checkpoint(checkpoint(false));
                    return Outcome.STOPPED;
                }
                epoch++;
                if (!finalTraining && epoch % plan.paramEpochs() == 0) {
                    Population evaluated = evaluate(worker, population.codes());
                    evolution++;
                    List<Individual> ranked = evaluated.ranked();
                    append(new EvolutionLine("transfer-evolution", epoch, evolution, evaluated.size(), ranked.get(0).requireFitness(),
                            ranked.stream().mapToDouble(Individual::requireFitness).average().orElseThrow(), ranked.get(0).code().format(),
                            ranked.stream().map(individual -> new Member(individual.code().format(), individual.requireFitness())).toList()));
                    listener.evolution(evolution, evaluated);
                    population = evolver.halve(evaluated, space, new SplittableRandom(Seeds.derive(plan.seed(), Seeds.TRANSFER_EVOLUTION, evolution)));
                }
                else if (finalTraining) {
                    Population evaluated = evaluate(worker, population.codes());
                    append(new ValidationLine("transfer-validation", epoch, evaluated.individuals().get(0).code().format(), evaluated.individuals().get(0).requireFitness()));
                    population = evaluated;
                }
                listener.checkpoint(checkpoint(epoch == plan.totalEpochs()));
            }
        }
        return Outcome.FINISHED;
    }

    /** One epoch of the population's subnets on the same mini-batches; false if a stop was asked within it. */
    private boolean trainEpoch(BackendWorker worker, Listener listener, boolean finalTraining)
    {
        SplittableRandom random = new SplittableRandom(Seeds.derive(plan.seed(), Seeds.TRANSFER_EPOCH, epoch));
        int[] order = shuffled(training, random);
        int count = plan.epochImages() == 0 ? order.length : Math.min(plan.epochImages(), order.length);
        int batches = Math.max(1, count / plan.batchSize());
        List<ArchitectureCode> codes = population.codes();
        Map<ArchitectureCode, Subnet> subnets = new LinkedHashMap<>();
        long start = System.nanoTime();
        double lossSum = 0;
        double accuracySum = 0;
        double learningRate = plan.learningRate();
        int seen = 0;
        try {
            for (ArchitectureCode code : codes) {
                subnets.put(code, worker.compile(describe.apply(code)));
            }
            for (int batch = 0; batch < batches; batch++) {
                // whole batches only (the last one takes the rest): batch norm of a single image is undefined
                int from = batch * plan.batchSize();
                int to = batch == batches - 1 ? count : from + plan.batchSize();
                int[] indices = Arrays.copyOfRange(order, from, to);
                ImageBatch images = this.images.batch(indices, plan.augmentation(), random);
                learningRate = plan.learningRateAt(epoch, (double) batch / batches);
                double batchLoss = 0;
                double batchAccuracy = 0;
                List<Gradient> gradients = new ArrayList<>();
                try {
                    for (Map.Entry<ArchitectureCode, Subnet> entry : subnets.entrySet()) {
                        try (Weights weights = worker.weights(entry.getValue(), false); Loss loss = worker.forward(entry.getValue(), weights, images)) {
                            if (!Double.isFinite(loss.value())) {
                                throw new NonFiniteLossException("The loss of " + entry.getKey().format() + " is " + loss.value() + " in epoch " + (epoch + 1) + ", mini-batch " + (batch + 1)
                                        + "; lower transfer.learning-rate");
                            }
                            batchLoss += loss.value();
                            batchAccuracy += loss.accuracy();
                            gradients.add(worker.gradient(loss, weights, false));
                        }
                    }
                    supernet.applyGradient(gradients, learningRate, plan.weightDecay());
                }
                finally {
                    gradients.forEach(Gradient::close);
                }
                lossSum += batchLoss / codes.size();
                accuracySum += batchAccuracy / codes.size();
                seen += indices.length;
                double seconds = (System.nanoTime() - start) / 1e9;
                double workDone = (plan.workBefore(epoch) + (double) codes.size() * (batch + 1) / batches) / plan.workBefore(plan.totalEpochs());
                listener.batch(new BatchProgress(epoch + 1, plan.totalEpochs(), batch + 1, batches, codes.size(), batchLoss / codes.size(), batchAccuracy / codes.size(),
                        (double) seen * codes.size() / seconds, workDone));
                if (batch < batches - 1 && stop.getAsBoolean()) {
                    // W has moved within the epoch: the checkpoint of the epoch before stays the one to resume from
                    return false;
                }
            }
        }
        finally {
            subnets.values().forEach(Subnet::close);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        append(new EpochLine("transfer-epoch", epoch + 1, finalTraining ? "final" : "evolution", codes.size(), lossSum / batches, accuracySum / batches, learningRate, seen,
                seen * codes.size() / seconds, seconds, cpuMinutes()));
        return true;
    }

    /** Each architecture's accuracy on the validation set, measured with the supernet's current weights. */
    private Population evaluate(BackendWorker worker, List<ArchitectureCode> codes)
    {
        List<Individual> evaluated = new ArrayList<>();
        for (ArchitectureCode code : codes) {
            evaluated.add(Individual.evaluated(code, (double) correct(worker, code, images, validation) / validation.length));
        }
        return new Population(evaluated);
    }

    private long correct(BackendWorker worker, ArchitectureCode code, LabelledImages set, int[] ordered)
    {
        // batch norm normalises by the batch's statistics: a batch must be a sample of the set, not
        // a run of one class (data sets are stored class after class)
        int[] indices = shuffled(ordered, new SplittableRandom(Seeds.derive(plan.seed(), Seeds.TRANSFER_SPLIT, 1)));
        long correct = 0;
        try (Subnet subnet = worker.compile(describe.apply(code)); Weights weights = worker.weights(subnet, false)) {
            for (int from = 0; from < indices.length; from += plan.evaluationBatch()) {
                int[] batch = Arrays.copyOfRange(indices, from, Math.min(indices.length, from + plan.evaluationBatch()));
                try (Loss loss = worker.forward(subnet, weights, set.batch(batch, Augmentation.NONE, null))) {
                    correct += Math.round(loss.accuracy() * batch.length);
                }
            }
        }
        return correct;
    }

    /**
     * The test of the architecture left, on the whole test set, once: writes the {@code transfer-test} line.
     *
     * @throws IllegalStateException if the transfer has not finished
     */
    public Result test()
    {
        if (epoch < plan.totalEpochs() || population.size() != 1) {
            throw new IllegalStateException("The transfer is at epoch " + epoch + " of " + plan.totalEpochs() + " with " + population.size() + " architectures; test it once it finished");
        }
        if (cpuStart == 0) {
            cpuStart = ProcessCpu.nanos();
        }
        ArchitectureCode code = population.individuals().get(0).code();
        int[] all = new int[test.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        long correct;
        try (BackendWorker worker = supernet.newWorker()) {
            correct = correct(worker, code, test, all);
        }
        NetworkDescription network = describe.apply(code);
        long parameters = network.parameterCount();
        Result result = new Result(code, new TestAccuracy(correct, all.length), parameters, network.multiplyAdds(), cpuMinutes());
        append(new TestLine("transfer-test", epoch, code.format(), result.test().accuracy(), result.test().low(), result.test().high(), all.length, parameters, result.multiplyAdds(),
                result.cpuMinutes()));
        return result;
    }

    private double cpuMinutes()
    {
        return cpuMinutesBefore + (ProcessCpu.nanos() - cpuStart) / 60e9;
    }

    private Path checkpoint(boolean finished)
    {
        Path folder = new Checkpoint(epoch, evolution, finished, population, configuration, components, supernet.state(), List.of(), cpuMinutes()).write(directory,
                supernet.description(), 2);
        lastCheckpoint = Optional.of(folder);
        return folder;
    }

    private void append(Object line)
    {
        if (metrics == null) {
            metrics = RunDirectory.open(directory).metrics();
        }
        metrics.append(line);
    }

    /** Closes {@code metrics.jsonl}. */
    public void closeMetrics()
    {
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
    }

    /** A Fisher-Yates shuffle of a copy of {@code values}. */
    static int[] shuffled(int[] values, SplittableRandom random)
    {
        int[] order = values.clone();
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** Epochs done. */
    public int epoch()
    {
        return epoch;
    }

    /** Evolutions done. */
    public int evolution()
    {
        return evolution;
    }

    public Population population()
    {
        return population;
    }

    public TransferPlan plan()
    {
        return plan;
    }

    /** The last checkpoint this transfer wrote. */
    public Optional<Path> lastCheckpoint()
    {
        return lastCheckpoint;
    }
}
