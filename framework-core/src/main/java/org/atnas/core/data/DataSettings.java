package org.atnas.core.data;

import java.util.List;

import org.atnas.api.plugin.Setting;

/** The configuration keys of the few-shot data pipeline. */
public final class DataSettings
{
    public static final List<String> DATASETS = List.of("glyphs", "omniglot", "mini-imagenet", "image-folder", "idx", "fashion-mnist", "cifar10", "svhn");

    public static final Setting<String> DATASET = Setting.oneOf("data.dataset", "glyphs", DATASETS,
            "The data set; glyphs is embedded (no download).");
    public static final Setting<String> PATH = Setting.string("data.path", null,
            "Where the data set is: omniglot: zips or folders (comma-separated, merged); mini-imagenet: the folder with train.csv, val.csv, test.csv and images/; "
                    + "image-folder: <root>/<class>/*.png|jpg; idx and fashion-mnist: the folder of *-images-idx3-ubyte[.gz] files; cifar10: the folder of its .bin batches; svhn: the folder of train_32x32.mat and test_32x32.mat.");
    public static final Setting<Integer> IMAGE_SIZE = Setting.integer("data.image-size", 0, 0, 1024,
            "Images are resized to this size (square); 0 for the data set's usual size (28 for glyphs, omniglot, idx and fashion-mnist, 84 for mini-imagenet and image-folder, 32 for cifar10 and svhn).");
    public static final Setting<Integer> CHANNELS = Setting.integer("data.channels", 3, 1, 3,
            "image-folder only: 1 reads luminance, 3 reads RGB.");
    public static final Setting<Boolean> ROTATIONS = Setting.bool("data.rotations", true,
            "omniglot only: each meta-train class is joined by its 90, 180 and 270 degree rotations as classes of their own (the standard protocol).");
    public static final Setting<String> META_TRAIN = Setting.string("data.meta-train", null,
            "Groups or classes for meta-train, comma-separated; default: every one not in data.meta-val or data.meta-test. When set, classes in none of the three lists are not used.");
    public static final Setting<String> META_VALIDATION = Setting.string("data.meta-val", null,
            "Groups (Omniglot alphabets, ...) or classes for meta-val, comma-separated. With data.meta-test it replaces the fraction split; mini-imagenet uses its CSVs.");
    public static final Setting<String> META_TEST = Setting.string("data.meta-test", null,
            "Groups or classes for meta-test, comma-separated, for example Sanskrit,Tagalog.");
    public static final Setting<Double> TRAIN_FRACTION = Setting.decimal("data.train-fraction", 0.64, 0.01, 0.98,
            "Without explicit lists: the fraction of groups (alphabets, or classes) that is meta-train, drawn with data.seed.");
    public static final Setting<Double> VALIDATION_FRACTION = Setting.decimal("data.val-fraction", 0.16, 0.0, 0.97,
            "Without explicit lists: the fraction of groups that is meta-val; the rest is meta-test.");
    public static final Setting<Long> SEED = Setting.longInteger("data.seed", 0L,
            "Seed of the data set itself (glyph drawing, fraction split), kept apart from the run's seed so that runs with different seeds see the same data.");
    public static final Setting<Integer> GLYPH_CLASSES = Setting.integer("glyphs.classes", 1200, 10, 100_000,
            "glyphs: number of classes.");
    public static final Setting<Integer> GLYPH_IMAGES = Setting.integer("glyphs.images-per-class", 20, 2, 10_000,
            "glyphs: images drawn per class (Omniglot has 20 drawers).");
    public static final Setting<Double> GLYPH_JITTER = Setting.decimal("glyphs.point-jitter", 0.04, 0.0, 0.5,
            "glyphs: standard deviation of the strokes' control-point jitter, as a fraction of the image.");
    public static final Setting<Double> GLYPH_ROTATION = Setting.decimal("glyphs.max-rotation", 15.0, 0.0, 180.0,
            "glyphs: the largest rotation of one image, in degrees.");
    public static final Setting<Double> GLYPH_SHIFT = Setting.decimal("glyphs.max-shift", 0.12, 0.0, 0.5,
            "glyphs: the largest shift of one image in x and in y, as a fraction of the image.");
    public static final Setting<Integer> WAYS = Setting.integer("task.ways", 5, 2, 1000, "N: classes per task.");
    public static final Setting<Integer> SHOTS = Setting.integer("task.shots", 1, 1, 1000, "K: support images per class.");
    public static final Setting<Integer> QUERIES = Setting.integer("task.queries", 15, 1, 1000, "Q: query images per class.");

    private DataSettings() {}

    public static List<Setting<?>> all()
    {
        return List.of(DATASET, PATH, IMAGE_SIZE, CHANNELS, ROTATIONS, META_TRAIN, META_VALIDATION, META_TEST, TRAIN_FRACTION, VALIDATION_FRACTION, SEED,
                GLYPH_CLASSES, GLYPH_IMAGES, GLYPH_JITTER, GLYPH_ROTATION, GLYPH_SHIFT, WAYS, SHOTS, QUERIES);
    }
}
