package org.atnas.core.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.atnas.core.Progress;
import org.atnas.core.config.ConfigurationException;
import org.atnas.core.config.ResolvedConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the configured data set and splits its classes. */
public final class Datasets
{
    private static final Logger log = LoggerFactory.getLogger(Datasets.class);

    private Datasets() {}

    /**
     * The data set the configuration names, in memory.
     *
     * @throws ConfigurationException for an unknown data set or a missing {@code data.path}
     * @throws DataException for unreadable or malformed data (the message names the file)
     */
    public static ImageDataset load(ResolvedConfiguration configuration)
    {
        return load(configuration, Progress.NONE);
    }

    /** As {@link #load(ResolvedConfiguration)}, reporting each decoded image of a folder or zip data set to {@code progress}. */
    public static ImageDataset load(ResolvedConfiguration configuration, Progress progress)
    {
        // the commands of a study's cell (search, final training, meta-test, export) run one after
        // the other in one process and read the same data: the last data set is kept, keyed by what
        // it was made from, the files' sizes and times included
        String key = key(configuration);
        synchronized (LAST) {
            if (LAST.get() != null && LAST.get().getKey().equals(key)) {
                log.debug("Data set {} kept from an earlier command", LAST.get().getValue().name());
                return LAST.get().getValue();
            }
        }
        ImageDataset loaded = read(configuration, progress);
        synchronized (LAST) {
            LAST.set(Map.entry(key, loaded));
        }
        return loaded;
    }

    private static final AtomicReference<Map.Entry<String, ImageDataset>> LAST = new AtomicReference<>();

    private static String key(ResolvedConfiguration configuration)
    {
        StringBuilder key = new StringBuilder();
        for (var setting : List.of(DataSettings.DATASET, DataSettings.IMAGE_SIZE, DataSettings.GLYPH_CLASSES, DataSettings.GLYPH_IMAGES, DataSettings.SEED, DataSettings.GLYPH_JITTER,
                DataSettings.GLYPH_ROTATION, DataSettings.GLYPH_SHIFT, DataSettings.CHANNELS)) {
            key.append(setting.key()).append('=').append(configuration.get(setting)).append('\n');
        }
        Optional<String> paths = configuration.find(DataSettings.PATH);
        if (paths.isPresent()) {
            for (String part : paths.get().split(",")) {
                Path path = Path.of(part.strip());
                key.append(path.toAbsolutePath()).append(' ').append(path.toFile().length()).append(' ').append(path.toFile().lastModified()).append('\n');
            }
        }
        return key.toString();
    }

    private static ImageDataset read(ResolvedConfiguration configuration, Progress progress)
    {
        String dataset = configuration.get(DataSettings.DATASET);
        int size = configuration.get(DataSettings.IMAGE_SIZE);
        long start = System.nanoTime();
        ImageDataset loaded = switch (dataset) {
            case "glyphs" -> new Glyphs(configuration.get(DataSettings.GLYPH_CLASSES), configuration.get(DataSettings.GLYPH_IMAGES), orDefault(size, 28),
                    configuration.get(DataSettings.SEED), configuration.get(DataSettings.GLYPH_JITTER), configuration.get(DataSettings.GLYPH_ROTATION),
                    configuration.get(DataSettings.GLYPH_SHIFT)).generate();
            case "omniglot" -> FolderDatasets.omniglot(paths(configuration, dataset), orDefault(size, 28), progress);
            case "mini-imagenet" -> MiniImageNet.load(path(configuration, dataset), orDefault(size, 84));
            case "image-folder" -> FolderDatasets.imageFolder(path(configuration, dataset), orDefault(size, 84), channels(configuration), progress);
            case "idx", "fashion-mnist" -> BinaryDatasets.idx(path(configuration, dataset), orDefault(size, 28));
            case "cifar10" -> BinaryDatasets.cifar10(path(configuration, dataset), orDefault(size, 32));
            case "svhn" -> BinaryDatasets.svhn(path(configuration, dataset), orDefault(size, 32), " (train_32x32.mat, test_32x32.mat)", name -> !name.startsWith("extra"));
            default -> throw new ConfigurationException("Unknown data set [" + dataset + "] for key [" + DataSettings.DATASET.key() + "]; known: " + DataSettings.DATASETS);
        };
        log.info("Loaded {}: {} classes, {} images of {} in {} ms", loaded.name(), loaded.classes().size(), loaded.imageCount(), loaded.shape(), (System.nanoTime() - start) / 1_000_000);
        return loaded;
    }

    /**
     * The configured class split: Mini-ImageNet's CSVs, the explicit lists, or seeded fractions of
     * the groups; for Omniglot with {@code data.rotations}, meta-train classes join with their rotations.
     */
    public static ClassSplit split(ResolvedConfiguration configuration, ImageDataset dataset)
    {
        Optional<String> train = configuration.find(DataSettings.META_TRAIN);
        Optional<String> validation = configuration.find(DataSettings.META_VALIDATION);
        Optional<String> test = configuration.find(DataSettings.META_TEST);
        ClassSplit split;
        if (validation.isPresent() || test.isPresent() || train.isPresent()) {
            split = ClassSplit.byNames(dataset, names(train), names(validation), names(test));
        }
        else if (dataset.name().equals("mini-imagenet")) {
            split = ClassSplit.byNames(dataset, List.of("val"), List.of("test"));
        }
        else {
            split = ClassSplit.byFractions(dataset, configuration.get(DataSettings.TRAIN_FRACTION), configuration.get(DataSettings.VALIDATION_FRACTION), configuration.get(DataSettings.SEED));
        }
        if (dataset.name().equals("omniglot") && configuration.get(DataSettings.ROTATIONS)) {
            split = split.withTrainRotations();
        }
        return split;
    }

    /** A sampler of the configured N-way K-shot Q-query tasks from a split's classes. */
    public static TaskSampler sampler(ResolvedConfiguration configuration, String splitName, List<ImageClass> classes, ImageDataset dataset)
    {
        return new TaskSampler(splitName, classes, dataset.normalization(),
                configuration.get(DataSettings.WAYS), configuration.get(DataSettings.SHOTS), configuration.get(DataSettings.QUERIES));
    }

    private static List<String> names(Optional<String> list)
    {
        return list.map(text -> Arrays.stream(text.split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList()).orElse(List.of());
    }

    private static int orDefault(int size, int usual)
    {
        return size == 0 ? usual : size;
    }

    private static int channels(ResolvedConfiguration configuration)
    {
        int channels = configuration.get(DataSettings.CHANNELS);
        if (channels != 1 && channels != 3) {
            throw new ConfigurationException("Invalid value [" + channels + "] for key [" + DataSettings.CHANNELS.key() + "]: expected 1 or 3");
        }
        return channels;
    }

    private static Path path(ResolvedConfiguration configuration, String dataset)
    {
        List<Path> paths = paths(configuration, dataset);
        if (paths.size() != 1) {
            throw new ConfigurationException("Invalid value [" + configuration.get(DataSettings.PATH) + "] for key [" + DataSettings.PATH.key() + "]: " + dataset + " reads one path, got " + paths.size());
        }
        return paths.get(0);
    }

    private static List<Path> paths(ResolvedConfiguration configuration, String dataset)
    {
        String text = configuration.find(DataSettings.PATH)
                .orElseThrow(() -> new ConfigurationException("Missing value for key [" + DataSettings.PATH.key() + "]: data set " + dataset + " is read from files"));
        return Arrays.stream(text.split(",")).map(String::strip).filter(part -> !part.isEmpty()).map(Path::of).toList();
    }
}
