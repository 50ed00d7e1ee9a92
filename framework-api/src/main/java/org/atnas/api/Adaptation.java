package org.atnas.api;

/**
 * What adapting a subnet to one task gave: the query loss and accuracy after the inner loop.
 *
 * @param queryLoss mean query cross-entropy at the adapted weights
 * @param queryAccuracy query accuracy at the adapted weights, in [0, 1]
 */
public record Adaptation(double queryLoss, double queryAccuracy)
{
}
