package org.atnas.core.search;

import java.nio.file.Path;

/** What a running search reports, on the thread that runs it. */
public interface SearchListener
{
    /**
     * One meta-step.
     *
     * @param step meta-steps done, counting this one
     * @param totalSteps warm-up and search steps in all
     * @param warmup whether it was a warm-up step
     * @param queryLoss mean query loss of the step's pairs after adaptation
     * @param queryAccuracy mean query accuracy of the step's pairs after adaptation
     * @param bestFitness best fitness of the last evaluation (NaN before the first)
     * @param meanFitness mean fitness of the last evaluation (NaN before the first)
     * @param progress the share of the run done, from 0 to 1: of its steps, or of its CPU budget if that is spent sooner
     */
    record Step(int step, int totalSteps, boolean warmup, double queryLoss, double queryAccuracy, double bestFitness, double meanFitness, double progress) {}

    void started(int startStep, int totalSteps);

    void step(Step step);

    /**
     * A meta-step's pairs are trained and W updated, before the evaluation that may follow it: the
     * moment to tell how long an evaluation will take, before it starts.
     *
     * @param step the meta-step's number, from 1
     * @param seconds its wall time
     */
    default void trained(int step, double seconds) {}

    void checkpoint(Path folder);
}
