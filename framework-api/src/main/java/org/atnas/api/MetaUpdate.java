package org.atnas.api;

import java.util.List;

/**
 * Settings of the outer update of the supernet weights W: Adam with learning rate η_meta.
 *
 * @param learningRate η_meta (the paper: 0.001)
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param epsilon Adam's denominator term
 */
public record MetaUpdate(double learningRate, double beta1, double beta2, double epsilon)
{
    public MetaUpdate
    {
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Invalid Adam settings: learning rate " + learningRate + ", beta1 " + beta1 + ", beta2 " + beta2 + ", epsilon " + epsilon);
        }
    }

    /** Adam with PyTorch's defaults and the given learning rate. */
    public static MetaUpdate adam(double learningRate)
    {
        return new MetaUpdate(learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * Checks one {@link Supernet#applyGradient} step, as every backend does before it changes
     * anything: its rates, then that it has a gradient. API 1.2.
     *
     * @throws IllegalArgumentException naming the rate that is out of range, or for no gradient
     */
    public static void checkStep(List<? extends Gradient> gradients, double learningRate, double weightDecay)
    {
        checkStep(learningRate, weightDecay);
        if (gradients.isEmpty()) {
            throw new IllegalArgumentException("The outer update needs at least one meta-gradient");
        }
    }

    /**
     * Checks the rates of one {@link Supernet#applyGradient} step, as every backend does before it
     * changes anything. API 1.2.
     *
     * @throws IllegalArgumentException naming the rate that is out of range
     */
    public static void checkStep(double learningRate, double weightDecay)
    {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("The learning rate of a supernet update must be a positive number, got " + learningRate);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("The weight decay of a supernet update must be a number of 0 or more, got " + weightDecay);
        }
    }
}
