package org.atnas.core.transfer;

import java.util.ArrayList;
import java.util.List;

import org.atnas.core.config.SettingValues;
import org.atnas.core.config.CoreSettings;
import org.atnas.core.data.Augmentation;

/**
 * The schedule of a transfer (Algorithm 3): from a population of {@code population} architectures,
 * {@code paramEpochs} epochs of supernet training before each evolution, which halves the population
 * (K, K/2, ..., 1: ⌊log₂ K⌋ evolutions), then {@code finalEpochs} epochs of the one left.
 *
 * @param population K, the size of the population the transfer starts with
 * @param paramEpochs E_param
 * @param finalEpochs epochs of the final training
 * @param batchSize images per mini-batch
 * @param learningRate Adam's learning rate (cosine-annealed over the final training)
 * @param weightDecay decoupled weight decay
 * @param epochImages training images per epoch, 0 for all
 * @param augmentation of the training images
 * @param evaluationBatch images per forward pass of validation and test
 * @param seed the run's seed
 */
public record TransferPlan(int population, int paramEpochs, int finalEpochs, int batchSize, double learningRate, double weightDecay, int epochImages, Augmentation augmentation,
        int evaluationBatch, long seed)
{
    public TransferPlan
    {
        if (population < 1 || paramEpochs < 1 || finalEpochs < 0 || batchSize < 1 || evaluationBatch < 1 || epochImages < 0) {
            throw new IllegalArgumentException("Invalid transfer plan: population " + population + ", param epochs " + paramEpochs + ", final epochs " + finalEpochs + ", batch size "
                    + batchSize + ", evaluation batch " + evaluationBatch + ", epoch images " + epochImages);
        }
    }

    /** The plan the {@code transfer.*} settings give for a starting population of {@code population}. */
    public static TransferPlan read(SettingValues settings, int population)
    {
        return new TransferPlan(population, settings.get(TransferSettings.PARAM_EPOCHS), settings.get(TransferSettings.FINAL_EPOCHS), settings.get(TransferSettings.BATCH_SIZE),
                settings.get(TransferSettings.LEARNING_RATE), settings.get(TransferSettings.WEIGHT_DECAY), settings.get(TransferSettings.EPOCH_IMAGES),
                new Augmentation(settings.get(TransferSettings.CROP_PADDING), settings.get(TransferSettings.FLIP)), settings.get(TransferSettings.EVALUATION_BATCH),
                settings.get(CoreSettings.SEED));
    }

    /** The population sizes of the evolutions' training phases: K, K/2, ..., 2 (empty for K = 1). */
    public List<Integer> evolutionSizes()
    {
        List<Integer> sizes = new ArrayList<>();
        for (int size = population; size > 1; size /= 2) {
            sizes.add(size);
        }
        return sizes;
    }

    /** The number of evolutions: until one architecture is left. */
    public int evolutions()
    {
        return evolutionSizes().size();
    }

    /** Epochs of the evolution phase. */
    public int evolutionEpochs()
    {
        return evolutions() * paramEpochs;
    }

    public int totalEpochs()
    {
        return evolutionEpochs() + finalEpochs;
    }

    /** How many subnets train in epoch {@code epoch} (0-based). */
    public int populationAt(int epoch)
    {
        return epoch < evolutionEpochs() ? evolutionSizes().get(epoch / paramEpochs) : 1;
    }

    /** Subnet-epochs of the whole plan, and those before epoch {@code epoch}: what an ETA weighs, since an epoch costs its population size. */
    public long workBefore(int epoch)
    {
        long work = 0;
        for (int e = 0; e < epoch; e++) {
            work += populationAt(e);
        }
        return work;
    }

    /**
     * Adam's learning rate at a mini-batch: constant during the evolutions; over the final training
     * a cosine from {@link #learningRate} to 0.
     *
     * @param epoch the epoch (0-based, over the whole plan)
     * @param fraction how far into the epoch, in [0, 1)
     */
    public double learningRateAt(int epoch, double fraction)
    {
        if (epoch < evolutionEpochs() || finalEpochs == 0) {
            return learningRate;
        }
        double progress = (epoch - evolutionEpochs() + fraction) / finalEpochs;
        // never exactly 0: Adam refuses a step of rate 0
        return Math.max(learningRate * 1e-4, learningRate * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
