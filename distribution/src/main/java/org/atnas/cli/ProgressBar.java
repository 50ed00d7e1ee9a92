package org.atnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import org.atnas.core.search.SearchEstimate;
import org.atnas.core.search.SearchListener;

/**
 * The search's progress on standard error: a bar redrawn in place on a terminal, a line every 5%
 * otherwise (logs, CI), with the step, the ETA (from the steps, or the CPU budget if one is set)
 * and the fitness of the last evaluation.
 */
final class ProgressBar
        implements SearchListener
{
    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final boolean terminal;
    private long startNanos;
    private double startProgress = -1;
    private int lastReported = -1;
    private final Optional<SearchEstimate> estimate;
    private final double cpuBudgetMinutes;
    private boolean timed;

    /** @param cpuBudgetMinutes the run's CPU budget, which ends it before its last step; 0 for none */
    ProgressBar(PrintWriter err, boolean terminal, Optional<SearchEstimate> estimate, double cpuBudgetMinutes)
    {
        this.err = err;
        this.terminal = terminal;
        this.estimate = estimate;
        this.cpuBudgetMinutes = cpuBudgetMinutes;
    }

    @Override
    public void started(int startStep, int totalSteps)
    {
        this.startNanos = System.nanoTime();
        String start = startStep == 0 ? "Starting" : "Resuming";
        if (cpuBudgetMinutes > 0) {
            // a budget run's step count is only a ceiling (a study sets it out of reach): the budget is what ends it
            err.printf(Locale.ROOT, "%s at meta-step %d; the run ends when it has used its CPU budget of %s minutes%n", start, startStep, cpuBudgetMinutes);
        }
        else {
            err.printf(Locale.ROOT, "%s at meta-step %d of %d%n", start, startStep, totalSteps);
        }
        err.flush();
    }

    @Override
    public void step(Step step)
    {
        if (startProgress < 0) {
            // the share done before this process's first step: a resumed run's ETA counts only what it did itself
            startProgress = Math.max(0, step.progress() - 1.0 / step.totalSteps());
        }
        int percent = (int) (100 * step.progress());
        boolean last = step.step() == step.totalSteps() || step.progress() >= 1;
        if (!terminal && percent / 5 == lastReported && !last) {
            return;
        }
        lastReported = percent / 5;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double done = step.progress() - startProgress;
        double eta = done <= 0 ? 0 : elapsed / done * (1 - step.progress());
        int filled = (int) (WIDTH * step.progress());
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String fitness = Double.isNaN(step.bestFitness()) ? "not evaluated yet" : String.format(Locale.ROOT, "best %.3f mean %.3f", step.bestFitness(), step.meanFitness());
        // with a CPU budget that ends the run sooner, the steps' total says nothing
        String steps = step.progress() > (double) step.step() / step.totalSteps() + 1e-9 ? step.step() + " of the CPU budget" : step.step() + "/" + step.totalSteps();
        String line = String.format(Locale.ROOT, "[%s] %3d%% step %s %s ETA %s | query acc %.3f | %s",
                bar, percent, steps, step.warmup() ? "(warm-up)" : "", duration(eta), step.queryAccuracy(), fitness);
        if (terminal) {
            err.print("\r" + line + "   ");
            if (last) {
                err.println();
            }
        }
        else {
            err.println(line);
        }
        err.flush();
    }

    @Override
    public void trained(int step, double seconds)
    {
        if (timed) {
            return;
        }
        timed = true;
        // the first step's time says what an evaluation of the whole population will cost, before the first one starts
        estimate.ifPresent(value -> {
            err.printf(Locale.ROOT, "Meta-step %d took %s; an evaluation of the population (%,d task adaptations) will take about %s%n",
                    step, duration(seconds), value.adaptationsPerEvaluation(), duration(value.evaluationSeconds(seconds)));
            err.flush();
        });
    }

    @Override
    public void checkpoint(Path folder)
    {
        if (terminal) {
            err.println();
        }
        err.println("checkpoint: " + folder);
        err.flush();
    }

    static String duration(double seconds)
    {
        long total = Math.round(seconds);
        if (total >= 86400) {
            return String.format(Locale.ROOT, "%dd%02dh", total / 86400, total % 86400 / 3600);
        }
        if (total >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", total / 3600, total % 3600 / 60);
        }
        return total >= 60 ? String.format(Locale.ROOT, "%dm%02ds", total / 60, total % 60) : total + "s";
    }
}
