package org.atnas.core.transfer;

import java.util.List;

import org.atnas.api.plugin.Setting;

/** The {@code transfer.*} keys: fast architecture transfer (Algorithm 3) and its final training. */
public final class TransferSettings
{
    public static final String SEARCH_WEIGHTS = "search";
    public static final String FRESH_WEIGHTS = "fresh";

    public static final Setting<Integer> PARAM_EPOCHS = Setting.integer("transfer.param-epochs", 2, 1, 10_000,
            "E_param: epochs of supernet training between two evolutions of the population (the paper: 2).");
    public static final Setting<Integer> FINAL_EPOCHS = Setting.integer("transfer.final-epochs", 10, 0, 10_000,
            "Epochs of the final training of the one architecture left, with a cosine learning rate, before its test.");
    public static final Setting<Integer> POPULATION = Setting.integer("transfer.population", 0, 0, 100_000,
            "P: the best P architectures of the search's population start the transfer (halved after each evolution until one is left); 0 for all of them.");
    public static final Setting<String> CODE = Setting.string("transfer.code", null,
            "Skips the evolution: the final training of this architecture only (a code, the space's notation or a name such as darts-v2) - the baselines.");
    public static final Setting<String> WEIGHTS = Setting.oneOf("transfer.weights", SEARCH_WEIGHTS, List.of(SEARCH_WEIGHTS, FRESH_WEIGHTS),
            "Where the supernet starts: the search's meta-trained weights, or fresh ones (the untrained-supernet and from-scratch baselines).");
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("transfer.batch-size", 128, 1, 100_000,
            "Images per mini-batch; each of the P subnets sees the same mini-batch.");
    public static final Setting<Double> LEARNING_RATE = Setting.decimal("transfer.learning-rate", 0.002, 1e-9, 10.0,
            "Adam's learning rate; constant during the evolutions, cosine-annealed to 0 over the final training.");
    public static final Setting<Double> WEIGHT_DECAY = Setting.decimal("transfer.weight-decay", 0.0001, 0.0, 10.0,
            "Decoupled weight decay (AdamW): each step scales the updated weights by 1 - learning rate * weight decay.");
    public static final Setting<Integer> VALIDATION_IMAGES = Setting.integer("transfer.validation-images", 5000, 1, 10_000_000,
            "Images of the training set held out (seeded, written to split.json) as the validation set the population is evaluated on.");
    public static final Setting<Integer> EPOCH_IMAGES = Setting.integer("transfer.epoch-images", 0, 0, 100_000_000,
            "Training images per epoch, a new seeded sample each epoch; 0 for all of them.");
    public static final Setting<Integer> CROP_PADDING = Setting.integer("transfer.crop-padding", 2, 0, 64,
            "Augmentation: random crops of the image padded by this many pixels per side; 0 for none.");
    public static final Setting<Boolean> FLIP = Setting.bool("transfer.flip", false,
            "Augmentation: random horizontal flips (off for glyph-like data, whose orientation matters).");
    public static final Setting<Integer> EVALUATION_BATCH = Setting.integer("transfer.evaluation-batch", 500, 2, 100_000,
            "Images per forward pass when validating or testing (batch norm uses the batch's statistics).");
    public static final Setting<String> SOURCE = Setting.string("transfer.source", null,
            "Set by atnas transfer: the search run whose population and supernet the transfer starts from.");

    private TransferSettings() {}

    public static List<Setting<?>> all()
    {
        return List.of(PARAM_EPOCHS, FINAL_EPOCHS, POPULATION, CODE, WEIGHTS, BATCH_SIZE, LEARNING_RATE, WEIGHT_DECAY, VALIDATION_IMAGES, EPOCH_IMAGES, CROP_PADDING, FLIP,
                EVALUATION_BATCH, SOURCE);
    }
}
