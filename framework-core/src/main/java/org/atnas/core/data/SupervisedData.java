package org.atnas.core.data;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Predicate;

import org.atnas.core.config.ConfigurationException;
import org.atnas.core.config.ResolvedConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * A labelled data set of the supervised setting (fast architecture transfer): its training set and
 * its test set, read from their own files so that the test set is never trained or validated on.
 * IDX folders (Fashion-MNIST, MNIST): {@code t10k-*} or {@code test*} files are the test set, the
 * others the training set; CIFAR-10: {@code test_batch.bin} and the {@code data_batch_*.bin} files; SVHN: {@code test_32x32.mat} and {@code train_32x32.mat}.
 *
 * @param training the training set (the validation split is taken from it)
 * @param test the test set, normalised as the training set
 */
public record SupervisedData(LabelledImages training, LabelledImages test)
{
    private static final Logger log = LoggerFactory.getLogger(SupervisedData.class);

    public SupervisedData
    {
        requireNonNull(training, "training is null");
        requireNonNull(test, "test is null");
        if (!training.classNames().equals(test.classNames())) {
            throw new DataException("The test set's classes " + test.classNames() + " differ from the training set's " + training.classNames());
        }
        if (!training.shape().equals(test.shape())) {
            throw new DataException("The test set's images are " + test.shape() + ", the training set's " + training.shape());
        }
    }

    /**
     * The training and test set of the configured data set.
     *
     * @throws ConfigurationException for a data set without a test set of its own, or a missing {@code data.path}
     * @throws DataException for unreadable or malformed files (the message names the file)
     */
    public static SupervisedData load(ResolvedConfiguration configuration)
    {
        String dataset = configuration.get(DataSettings.DATASET);
        Path folder = Path.of(configuration.find(DataSettings.PATH)
                .orElseThrow(() -> new ConfigurationException("Missing value for key [" + DataSettings.PATH.key() + "]: data set " + dataset + " is read from files")).strip());
        return load(dataset, folder, configuration.get(DataSettings.IMAGE_SIZE));
    }

    /**
     * The training and test set of data set {@code dataset} (a {@code data.dataset} value) in {@code folder}.
     *
     * @param size the images' side, 0 for the data set's usual one
     */
    public static SupervisedData load(String dataset, Path folder, int size)
    {
        long start = System.nanoTime();
        SupervisedData data = switch (dataset) {
            case "idx", "fashion-mnist" -> {
                Predicate<String> test = name -> name.toLowerCase(Locale.ROOT).startsWith("t10k") || name.toLowerCase(Locale.ROOT).startsWith("test");
                ImageDataset training = BinaryDatasets.idx(folder, size == 0 ? 28 : size, " of the training set (the files not named t10k-* or test*)", test.negate());
                yield of(training, BinaryDatasets.idx(folder, size == 0 ? 28 : size, " of the test set (t10k-* or test*)", test));
            }
            case "cifar10" -> {
                Predicate<String> test = name -> name.startsWith("test_batch");
                ImageDataset training = BinaryDatasets.cifar10(folder, size == 0 ? 32 : size, " of the training set (data_batch_*.bin)", test.negate());
                yield of(training, BinaryDatasets.cifar10(folder, size == 0 ? 32 : size, " of the test set (test_batch.bin)", test));
            }
            case "svhn" -> {
                // extra_32x32.mat (531,131 more images, 1.3 GB) is not read: the paper trains on train_32x32.mat
                ImageDataset training = BinaryDatasets.svhn(folder, size == 0 ? 32 : size, " of the training set (train_32x32.mat)", name -> name.startsWith("train"));
                yield of(training, BinaryDatasets.svhn(folder, size == 0 ? 32 : size, " of the test set (test_32x32.mat)", name -> name.startsWith("test")));
            }
            default -> throw new ConfigurationException("Data set [" + dataset + "] for key [" + DataSettings.DATASET.key()
                    + "] has no test set of its own; the supervised setting reads fashion-mnist, idx, cifar10 or svhn");
        };
        log.info("Loaded {}: {} training and {} test images of {} in {} ms", dataset, data.training().size(), data.test().size(), data.training().shape(),
                (System.nanoTime() - start) / 1_000_000);
        return data;
    }

    private static SupervisedData of(ImageDataset training, ImageDataset test)
    {
        return new SupervisedData(LabelledImages.of(training, training.normalization()), LabelledImages.of(test, training.normalization()));
    }

    /** Number of classes, the network's head. */
    public int classes()
    {
        return training.classNames().size();
    }
}
