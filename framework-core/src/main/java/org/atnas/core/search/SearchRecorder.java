package org.atnas.core.search;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.atnas.api.Individual;
import org.atnas.api.Population;
import org.atnas.api.SearchSpace;
import org.atnas.api.Supernet;
import org.atnas.core.run.MetricsLog;
import org.atnas.core.run.RunDirectory;

import static java.util.Objects.requireNonNull;

/**
 * Turns what a search does into its files: one {@code metrics.jsonl} line per meta-step, per
 * evaluated generation and for the final evaluation, checkpoints (the newest {@value #KEEP_CHECKPOINTS} kept), and the final
 * {@code population.json}. The single writer of a run directory during a search.
 */
final class SearchRecorder
        implements AutoCloseable
{
    static final int KEEP_CHECKPOINTS = 3;

    /** A {@code metrics.jsonl} line of one meta-step. */
    record MetaStepLine(String type, int step, String phase, double queryLoss, double queryAccuracy, int pairs, double seconds) {}

    /**
     * A {@code metrics.jsonl} line of one evaluated generation: the best and mean of the measured
     * fitness, and how many individuals carry measured or predicted fitness.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GenerationLine(String type, int step, int generation, double bestFitness, double meanFitness, String best, int measured, int predicted, Double predictorSpearman) {}

    /** An entry of {@code population.json}. */
    record Ranked(int rank, String code, double fitness, String fitnessKind, String genotype) {}

    private final Path directory;
    private final SearchSpace space;
    private final SubnetDescriptions descriptions;
    private final Provenance provenance;
    private final Optional<Integer> resumedAt;
    private MetricsLog metrics;
    private Path lastCheckpoint;

    /**
     * @param resumedAt the step of the checkpoint a resumed run continues from
     */
    SearchRecorder(Path directory, SearchSpace space, SubnetDescriptions descriptions, Provenance provenance, Optional<Integer> resumedAt)
    {
        this.resumedAt = requireNonNull(resumedAt, "resumedAt is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.space = requireNonNull(space, "space is null");
        this.descriptions = requireNonNull(descriptions, "descriptions is null");
        this.provenance = requireNonNull(provenance, "provenance is null");
    }

    void metaStep(int step, boolean warmup, MetaStep.Result result, double seconds)
    {
        append(new MetaStepLine("meta-step", step, warmup ? "warmup" : "search", result.queryLoss(), result.queryAccuracy(), result.pairs(), seconds));
    }

    void generation(int step, int generation, FitnessEvaluation.Evaluation evaluation)
    {
        append(evaluationLine("generation", step, generation, evaluation));
    }

    /**
     * The final evaluation of a run, a record of its own ({@code "type":"final"}): after the last
     * generation's line at the same meta-step, a second {@code generation} line would be read as
     * two values of one generation (a vertical jump in a plot).
     */
    void finalEvaluation(int step, int generation, FitnessEvaluation.Evaluation evaluation)
    {
        append(evaluationLine("final", step, generation, evaluation));
    }

    private static GenerationLine evaluationLine(String type, int step, int generation, FitnessEvaluation.Evaluation evaluation)
    {
        List<Individual> measured = evaluation.population().rankedMeasured();
        double mean = measured.stream().mapToDouble(Individual::requireFitness).average().orElseThrow();
        return new GenerationLine(type, step, generation, measured.get(0).requireFitness(), mean, measured.get(0).code().format(), measured.size(),
                evaluation.population().size() - measured.size(), evaluation.predictorSpearman().isPresent() ? evaluation.predictorSpearman().getAsDouble() : null);
    }

    /** Writes a checkpoint of the search's state and points {@code checkpoints/latest} at it. */
    Path checkpoint(int step, int generation, boolean finished, Population population, Supernet supernet, List<Individual> predictorPairs, double cpuMinutes)
    {
        lastCheckpoint = new Checkpoint(step, generation, finished, population, provenance.configuration(), provenance.components(), supernet.state(), predictorPairs, cpuMinutes)
                .write(directory, descriptions.supernet(), KEEP_CHECKPOINTS);
        return lastCheckpoint;
    }

    Optional<Path> lastCheckpoint()
    {
        return Optional.ofNullable(lastCheckpoint);
    }

    /** {@code population.json}: every individual, best first by fitness, saying whether it was measured or predicted. */
    void population(Population population)
    {
        List<Individual> ranked = population.ranked();
        List<Ranked> entries = new ArrayList<>();
        for (int rank = 0; rank < ranked.size(); rank++) {
            Individual individual = ranked.get(rank);
            entries.add(new Ranked(rank + 1, individual.code().format(), individual.requireFitness(), Checkpoint.kindName(individual), space.toNotation(individual.code())));
        }
        RunDirectory.open(directory).writeJson("population.json", entries);
    }

    private void append(Object line)
    {
        if (metrics == null) {
            resumedAt.ifPresent(step -> MetricsLog.dropAfterStep(directory.resolve(RunDirectory.METRICS_FILE), step));
            metrics = RunDirectory.open(directory).metrics();
        }
        metrics.append(line);
    }

    @Override
    public void close()
    {
        if (metrics != null) {
            metrics.close();
        }
    }
}
