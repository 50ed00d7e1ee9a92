package org.atnas.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.atnas.api.ImageBatch;
import org.atnas.api.ImageShape;

import static java.util.Objects.requireNonNull;

/**
 * A labelled data set for supervised training: every image of a data set's classes under one
 * index, its label the index of its class. The bytes stay in the {@link ImageClass}es; floats are
 * made per batch.
 */
public final class LabelledImages
{
    private final List<ImageClass> classes;
    private final Normalization normalization;
    private final ImageShape shape;
    private final int[] classOf;
    private final int[] imageOf;

    private LabelledImages(List<ImageClass> classes, Normalization normalization, ImageShape shape, int[] classOf, int[] imageOf)
    {
        this.classes = classes;
        this.normalization = normalization;
        this.shape = shape;
        this.classOf = classOf;
        this.imageOf = imageOf;
    }

    /** Every image of {@code dataset}, normalised as {@code normalization} says (a test set uses its training set's). */
    public static LabelledImages of(ImageDataset dataset, Normalization normalization)
    {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(normalization, "normalization is null");
        List<ImageClass> classes = dataset.classes();
        int count = dataset.imageCount();
        int[] classOf = new int[count];
        int[] imageOf = new int[count];
        int index = 0;
        for (int label = 0; label < classes.size(); label++) {
            for (int image = 0; image < classes.get(label).size(); image++) {
                classOf[index] = label;
                imageOf[index] = image;
                index++;
            }
        }
        return new LabelledImages(classes, normalization, dataset.shape(), classOf, imageOf);
    }

    /** Number of images. */
    public int size()
    {
        return classOf.length;
    }

    public ImageShape shape()
    {
        return shape;
    }

    public Normalization normalization()
    {
        return normalization;
    }

    /** The class names, by label. */
    public List<String> classNames()
    {
        List<String> names = new ArrayList<>();
        classes.forEach(imageClass -> names.add(imageClass.name()));
        return names;
    }

    public int label(int index)
    {
        return classOf[index];
    }

    /**
     * The images at {@code indices} with their labels, normalised and augmented.
     *
     * @param random the augmentation's choices; unused by {@link Augmentation#NONE}
     */
    public ImageBatch batch(int[] indices, Augmentation augmentation, RandomGenerator random)
    {
        int imageSize = shape.size();
        float[] pixels = new float[indices.length * imageSize];
        int[] labels = new int[indices.length];
        float[] black = new float[shape.channels()];
        for (int channel = 0; channel < black.length; channel++) {
            black[channel] = normalization.offset(channel);
        }
        for (int i = 0; i < indices.length; i++) {
            int index = indices[i];
            classes.get(classOf[index]).read(imageOf[index], normalization, pixels, i * imageSize);
            augmentation.apply(pixels, i * imageSize, shape.channels(), shape.height(), shape.width(), black, random);
            labels[i] = classOf[index];
        }
        return new ImageBatch(shape, pixels, labels);
    }
}
