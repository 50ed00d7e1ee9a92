package org.atnas.core.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Individual;
import org.atnas.api.Predictor;
import org.atnas.api.SearchSpace;
import org.atnas.core.bench.RankCorrelation;

import static java.util.Objects.requireNonNull;

/**
 * The performance predictor in the search loop (Sec. 3.4): once enough (code, fitness) pairs have
 * been evaluated for real, a predictor trained on all of them ranks a generation's candidates, and
 * only the predicted best fraction is evaluated for real; the others carry their predicted fitness.
 */
public final class PredictorScreen
{
    /**
     * A generation's candidates, split.
     *
     * @param real the codes to evaluate for real
     * @param predicted the predicted fitness of the others (empty while the predictor is not in use)
     * @param predictions the prediction of every candidate, when the predictor was used
     */
    public record Screening(List<ArchitectureCode> real, Map<ArchitectureCode, Double> predicted, Map<ArchitectureCode, Double> predictions) {}

    private final Supplier<Predictor> predictors;
    private final SearchSpace space;
    private final int minimumPairs;
    private final double fraction;
    private final Map<ArchitectureCode, Double> pairs = new LinkedHashMap<>();

    /**
     * @param predictors makes a new untrained predictor
     * @param minimumPairs p: evaluated pairs needed before the predictor is used
     * @param fraction share of the candidates evaluated for real once it is
     */
    public PredictorScreen(Supplier<Predictor> predictors, SearchSpace space, int minimumPairs, double fraction)
    {
        this.predictors = requireNonNull(predictors, "predictors is null");
        this.space = requireNonNull(space, "space is null");
        this.minimumPairs = minimumPairs;
        this.fraction = fraction;
    }

    /** Records a real evaluation (a code evaluated again keeps its latest fitness). */
    public void record(ArchitectureCode code, double fitness)
    {
        pairs.remove(code);
        pairs.put(code, fitness);
    }

    /** The pairs evaluated for real so far, in evaluation order, for checkpoints. */
    public List<Individual> pairs()
    {
        List<Individual> list = new ArrayList<>();
        pairs.forEach((code, fitness) -> list.add(Individual.evaluated(code, fitness)));
        return list;
    }

    /**
     * Splits candidates into those to evaluate for real and those whose fitness is predicted.
     *
     * @param seed the predictor's training seed
     */
    public Screening screen(List<ArchitectureCode> candidates, long seed)
    {
        if (pairs.size() < minimumPairs || candidates.isEmpty()) {
            return new Screening(List.copyOf(candidates), Map.of(), Map.of());
        }
        List<Individual> training = new ArrayList<>();
        pairs.forEach((code, fitness) -> training.add(Individual.evaluated(code, fitness)));
        Predictor predictor = predictors.get();
        predictor.train(space, training, seed);
        Map<ArchitectureCode, Double> predictions = new LinkedHashMap<>();
        for (ArchitectureCode code : candidates) {
            predictions.put(code, predictor.predict(code));
        }
        List<ArchitectureCode> ranked = new ArrayList<>(candidates);
        ranked.sort(Comparator.comparingDouble((ArchitectureCode code) -> predictions.get(code)).reversed());
        int keep = Math.max(1, (int) Math.ceil(fraction * ranked.size()));
        Map<ArchitectureCode, Double> predicted = new LinkedHashMap<>();
        for (ArchitectureCode code : ranked.subList(keep, ranked.size())) {
            predicted.put(code, predictions.get(code));
        }
        return new Screening(List.copyOf(ranked.subList(0, keep)), predicted, predictions);
    }

    /** Spearman's rho between the predictions and the real fitness of the codes evaluated for real, or NaN with fewer than 3. */
    public static double quality(Screening screening, Map<ArchitectureCode, Double> real)
    {
        List<ArchitectureCode> codes = screening.real().stream().filter(code -> screening.predictions().containsKey(code) && real.containsKey(code)).toList();
        if (codes.size() < 3) {
            return Double.NaN;
        }
        double[] predicted = codes.stream().mapToDouble(code -> screening.predictions().get(code)).toArray();
        double[] measured = codes.stream().mapToDouble(real::get).toArray();
        return RankCorrelation.spearman(predicted, measured);
    }
}
