package org.atnas.api;

import static java.util.Objects.requireNonNull;

/**
 * A few-shot task: N-way classification with a support set (K shots per class, used by the inner
 * loop) and a query set (Q images per class, used for the query loss and accuracy). Labels run
 * from 0 to {@code ways - 1} in both sets.
 *
 * @param ways N, the number of classes
 * @param support the support set
 * @param query the query set
 * @param seed the seed this task was sampled with, for error messages and reproduction
 */
public record Task(int ways, ImageBatch support, ImageBatch query, long seed)
{
    public Task
    {
        requireNonNull(support, "support is null");
        requireNonNull(query, "query is null");
        if (ways < 2) {
            throw new IllegalArgumentException("A task needs at least 2 ways, got " + ways);
        }
        if (!support.shape().equals(query.shape())) {
            throw new IllegalArgumentException("Support images are " + support.shape() + " but query images are " + query.shape());
        }
        checkLabels("support", support, ways);
        checkLabels("query", query, ways);
    }

    private static void checkLabels(String set, ImageBatch batch, int ways)
    {
        for (int label : batch.labels()) {
            if (label >= ways) {
                throw new IllegalArgumentException("The " + set + " set holds label " + label + ", but a " + ways + "-way task has labels 0.." + (ways - 1));
            }
        }
    }
}
