package org.atnas.core.search;

import org.atnas.api.ImageShape;
import org.atnas.core.data.TaskSampler;

import static java.util.Objects.requireNonNull;

/**
 * The tasks a search meets: meta-train tasks for the meta-steps, meta-val tasks for fitness.
 * Both have the same N-way shape, which sizes the supernet's input and classifier.
 *
 * @param training samples meta-train tasks
 * @param validation samples meta-val tasks
 */
public record SearchData(TaskSampler training, TaskSampler validation)
{
    public SearchData
    {
        requireNonNull(training, "training is null");
        requireNonNull(validation, "validation is null");
    }

    /** The shape of one input image. */
    public ImageShape input()
    {
        return training.shape();
    }

    /** N: the classes of a task, the classifier's outputs. */
    public int classes()
    {
        return training.ways();
    }
}
