package org.atnas.api;

/**
 * The inner loop of a task (Eq. 4): M steps of SGD on the support set.
 *
 * @param steps M, at least 1
 * @param learningRate λ_task (the paper: 0.01 during search, 0.1 for final training)
 */
public record InnerLoop(int steps, double learningRate)
{
    public InnerLoop
    {
        if (steps < 1) {
            throw new IllegalArgumentException("Inner steps must be at least 1, got " + steps);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("Inner learning rate must be a positive number, got " + learningRate);
        }
    }
}
