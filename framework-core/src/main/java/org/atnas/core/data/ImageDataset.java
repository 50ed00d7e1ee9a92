package org.atnas.core.data;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.atnas.api.ImageShape;

import static java.util.Objects.requireNonNull;

/**
 * A labelled image data set in memory: classes of same-shaped images and how their bytes become
 * floats.
 */
public final class ImageDataset
{
    private final String name;
    private final ImageShape shape;
    private final Normalization normalization;
    private final List<ImageClass> classes;

    /** @throws IllegalArgumentException if class names repeat or a class has another shape */
    public ImageDataset(String name, ImageShape shape, Normalization normalization, List<ImageClass> classes)
    {
        this.name = requireNonNull(name, "name is null");
        this.shape = requireNonNull(shape, "shape is null");
        this.normalization = requireNonNull(normalization, "normalization is null");
        this.classes = List.copyOf(requireNonNull(classes, "classes is null"));
        if (normalization.mean().length != shape.channels()) {
            throw new IllegalArgumentException("Normalization has " + normalization.mean().length + " channels, images have " + shape.channels());
        }
        Set<String> names = new HashSet<>();
        for (ImageClass imageClass : this.classes) {
            if (!names.add(imageClass.name())) {
                throw new IllegalArgumentException("Data set " + name + " has two classes named " + imageClass.name());
            }
            if (!imageClass.shape().equals(shape)) {
                throw new IllegalArgumentException("Class " + imageClass.name() + " has images of " + imageClass.shape() + ", the data set " + shape);
            }
        }
    }

    public String name()
    {
        return name;
    }

    public ImageShape shape()
    {
        return shape;
    }

    public Normalization normalization()
    {
        return normalization;
    }

    public List<ImageClass> classes()
    {
        return classes;
    }

    /** The groups (alphabets, CSV splits, ...) in order of first appearance. */
    public Set<String> groups()
    {
        Set<String> groups = new LinkedHashSet<>();
        classes.forEach(imageClass -> groups.add(imageClass.group()));
        return groups;
    }

    public int imageCount()
    {
        return classes.stream().mapToInt(ImageClass::size).sum();
    }
}
