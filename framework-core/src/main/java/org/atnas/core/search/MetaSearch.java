package org.atnas.core.search;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import org.atnas.api.Individual;
import org.atnas.api.NonFiniteLossException;
import org.atnas.api.Population;
import org.atnas.api.Supernet;

import static java.util.Objects.requireNonNull;

/**
 * Algorithm 1 of AT-NAS: warm-up meta-steps with subnets sampled from the space, then meta-steps
 * over architectures from the population, which is evaluated and evolved every k meta-steps; at
 * the end the population is evaluated once more and the best measured architecture is the answer.
 *
 * <p>The loop only sequences the engine's parts, which Guice builds ({@link SearchEngine}): the
 * {@link StepPlanner} chooses a meta-step's pairs, the {@link MetaStep} trains them (Eq. 6/7), the
 * {@link FitnessEvaluation} scores a generation, the {@link EvolutionStep} breeds the next one, the
 * {@link CpuBudget} may end the run early, and the {@link SearchRecorder} writes metrics and
 * checkpoints. All random choices come from seeds derived from the run's seed ({@link Seeds}), so a
 * resumed run makes the choices of an uninterrupted one.
 */
@Singleton
public final class MetaSearch
{
    /** How a run ended. */
    public enum Outcome
    {
        FINISHED, STOPPED
    }

    private final SearchPlan plan;
    private final Supernet supernet;
    private final StepPlanner planner;
    private final MetaStep metaStep;
    private final FitnessEvaluation fitness;
    private final EvolutionStep evolution;
    private final CpuBudget budget;
    private final SearchRecorder recorder;
    private final Optional<PredictorScreen> screen;
    private final boolean resumedFinished;
    private final StopSignal stop;
    private Optional<String> abandoned = Optional.empty();
    private boolean budgetEnded;
    private int step;
    private int generation;
    private Population population;
    private double bestFitness = Double.NaN;
    private double meanFitness = Double.NaN;
    /** CPU minutes of the run before this process resumed it (its checkpoint's). */
    private double cpuMinutesBefore;

    @Inject
    MetaSearch(SearchPlan plan, Supernet supernet, StepPlanner planner, MetaStep metaStep, FitnessEvaluation fitness, EvolutionStep evolution, CpuBudget budget,
            SearchRecorder recorder, Optional<PredictorScreen> screen, Optional<Checkpoint> resume, StopSignal stop)
    {
        this.stop = requireNonNull(stop, "stop is null");
        this.plan = requireNonNull(plan, "plan is null");
        this.supernet = requireNonNull(supernet, "supernet is null");
        this.planner = requireNonNull(planner, "planner is null");
        this.metaStep = requireNonNull(metaStep, "metaStep is null");
        this.fitness = requireNonNull(fitness, "fitness is null");
        this.evolution = requireNonNull(evolution, "evolution is null");
        this.budget = requireNonNull(budget, "budget is null");
        this.recorder = requireNonNull(recorder, "recorder is null");
        this.screen = requireNonNull(screen, "screen is null");
        if (resume.isPresent()) {
            Checkpoint checkpoint = resume.get();
            this.resumedFinished = checkpoint.finished();
            this.population = checkpoint.population();
            this.step = checkpoint.step();
            this.generation = checkpoint.generation();
            this.cpuMinutesBefore = checkpoint.cpuMinutes();
            summarize(population);
        }
        else {
            this.resumedFinished = false;
            this.population = evolution.initial();
        }
    }

    /**
     * Asks a running search to stop; safe from any thread. Between meta-steps it writes a
     * checkpoint and stops. Within one, the workers end after their running task and the work is
     * abandoned: in a meta-step's pairs W is untouched, so the checkpoint of the step before is
     * written; in an evaluation W has moved on, so the last complete checkpoint stays the one to
     * resume from.
     */
    public void requestStop()
    {
        stop.request();
    }

    /**
     * Runs the remaining meta-steps; at the end evaluates the final population (measuring the
     * best for real if a predictor only estimated it), writes {@code population.json} and a
     * checkpoint.
     *
     * @throws SearchFailedException for a NaN or infinite loss, naming the step, architecture and task
     * @throws IllegalStateException if resumed from the final checkpoint of a finished search
     */
    public Outcome run(SearchListener listener)
    {
        if (resumedFinished) {
            // running again would append a second final evaluation to metrics.jsonl and rewrite the answer
            throw new IllegalStateException("The search finished at meta-step " + step + "; its final checkpoint cannot be resumed");
        }
        SearchPlan.Schedule schedule = plan.schedule();
        listener.started(step, schedule.totalSteps());
        budget.start(cpuMinutesBefore);
        while (step < schedule.totalSteps()) {
            if (budget.spent()) {
                budgetEnded = true;
                break;
            }
            if (stop.isRequested()) {
                listener.checkpoint(checkpoint(false));
                return Outcome.STOPPED;
            }
            long start = System.nanoTime();
            boolean warmup = step < schedule.warmupSteps();
            int number = step + 1;
            MetaStep.Result result;
            try {
                result = orFail("", () -> metaStep.run(number, planner.pairs(step, population)));
            }
            catch (StopSignal.WorkAbandonedException e) {
                abandoned = Optional.of("meta-step " + number);
                listener.checkpoint(checkpoint(false));
                return Outcome.STOPPED;
            }
            step++;
            listener.trained(step, (System.nanoTime() - start) / 1e9);
            if (!warmup && (step - schedule.warmupSteps()) % plan.population().evolveEvery() == 0) {
                FitnessEvaluation.Evaluation evaluation;
                try {
                    evaluation = evaluate(false);
                }
                catch (StopSignal.WorkAbandonedException e) {
                    abandoned = Optional.of("the evaluation after meta-step " + step);
                    return Outcome.STOPPED;
                }
                generation++;
                recorder.generation(step, generation, evaluation);
                population = evolution.next(evaluation.population(), generation);
            }
            recorder.metaStep(step, warmup, result, (System.nanoTime() - start) / 1e9);
            double progress = Math.min(1, Math.max((double) step / schedule.totalSteps(), budget.used()));
            listener.step(new SearchListener.Step(step, schedule.totalSteps(), warmup, result.queryLoss(), result.queryAccuracy(), bestFitness, meanFitness, progress));
            if (step % schedule.checkpointEvery() == 0 && step < schedule.totalSteps()) {
                listener.checkpoint(checkpoint(false));
            }
        }
        FitnessEvaluation.Evaluation last;
        try {
            last = evaluate(true);
        }
        catch (StopSignal.WorkAbandonedException e) {
            abandoned = Optional.of("the final evaluation");
            return Outcome.STOPPED;
        }
        population = last.population();
        recorder.finalEvaluation(step, generation, last);
        recorder.population(population);
        listener.checkpoint(checkpoint(true));
        return Outcome.FINISHED;
    }

    private FitnessEvaluation.Evaluation evaluate(boolean answer)
    {
        FitnessEvaluation.Evaluation evaluation = orFail("Evaluation after meta-step " + step + ": ", () -> fitness.evaluate(population, generation, answer));
        summarize(evaluation.population());
        return evaluation;
    }

    private <T> T orFail(String context, Supplier<T> work)
    {
        try {
            return work.get();
        }
        catch (NonFiniteLossException e) {
            throw new SearchFailedException(context + e.getMessage() + "; the search stopped, "
                    + recorder.lastCheckpoint().map(path -> "the last good checkpoint is " + path).orElse("no checkpoint was written yet"), e);
        }
    }

    /** The listener's best and mean: of the measured fitness, as every answer the user sees. */
    private void summarize(Population evaluated)
    {
        List<Individual> measured = evaluated.rankedMeasured();
        if (!measured.isEmpty()) {
            bestFitness = measured.get(0).requireFitness();
            meanFitness = measured.stream().mapToDouble(Individual::requireFitness).average().orElseThrow();
        }
    }

    private Path checkpoint(boolean finished)
    {
        return recorder.checkpoint(step, generation, finished, population, supernet, screen.map(PredictorScreen::pairs).orElse(List.of()), budget.minutesUsed());
    }

    /** Meta-steps done. */
    public int step()
    {
        return step;
    }

    public Population population()
    {
        return population;
    }

    public Supernet supernet()
    {
        return supernet;
    }

    public SearchPlan plan()
    {
        return plan;
    }

    /** CPU minutes the run has used so far, counting those before a resume. */
    public double cpuMinutes()
    {
        return budget.minutesUsed();
    }

    /** Whether the run ended because its CPU budget was spent, before {@code search.steps}. */
    public boolean endedByBudget()
    {
        return budgetEnded;
    }

    /** The share of the meta-steps' wall time spent outside backend work. */
    public double engineOverhead()
    {
        return metaStep.engineOverhead();
    }

    /** What a stop abandoned midway ("meta-step 7", "the final evaluation"), if it came within a step. */
    public Optional<String> abandoned()
    {
        return abandoned;
    }

    /** The last checkpoint written by this run, if any. */
    public Optional<Path> lastCheckpoint()
    {
        return recorder.lastCheckpoint();
    }
}
