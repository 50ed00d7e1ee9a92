package org.atnas.core.bench;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.FitnessTable;
import org.atnas.api.Individual;
import org.atnas.api.Predictor;
import org.atnas.api.SearchSpace;
import org.atnas.core.Progress;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.config.Configuration;
import org.atnas.core.plugin.InstalledPlugin;
import org.atnas.core.plugin.PluginRegistry;

import static java.util.Objects.requireNonNull;

/**
 * How well predictors rank architectures (the paper's Fig. 6): trained on n random architectures
 * of a table, scored by Spearman's ρ and Kendall's τ between predicted and measured fitness on a
 * held-out set, for several n, over several seeds. The training sets of one seed are nested (the
 * first 25 of the 50, ...), and every predictor sees the same ones.
 */
public final class PredictorBenchmark
{
    /**
     * @param sizes training-set sizes
     * @param testSize held-out architectures
     * @param seeds runs, seeded 0 .. seeds − 1
     */
    public record Settings(List<Integer> sizes, int testSize, int seeds)
    {
        public Settings
        {
            sizes = List.copyOf(sizes);
            if (sizes.isEmpty() || testSize < 2 || seeds < 1) {
                throw new IllegalArgumentException("The predictor benchmark needs at least one training size, 2 test architectures and 1 seed");
            }
        }
    }

    /**
     * One predictor's results.
     *
     * @param label the predictor and its encoding
     * @param spearman per size, the value of each seed
     * @param kendall per size, the value of each seed
     */
    public record Series(String label, Map<Integer, double[]> spearman, Map<Integer, double[]> kendall) {}

    private final SearchSpace space;
    private final FitnessTable table;

    /**
     * The predictors to compare: each named predictor once, or once per encoding when it declares
     * {@code <name>.encoding} (as predictor-weka's do), each made by an engine started on {@code base}
     * with that selection.
     *
     * @param names predictor names, or empty for every installed one
     * @throws IllegalArgumentException if no predictor is installed
     */
    public static Map<String, Supplier<Predictor>> variants(List<InstalledPlugin> plugins, Configuration base, List<String> names, List<String> encodings)
    {
        PluginRegistry registry = new PluginRegistry(plugins);
        List<String> selected = names.isEmpty() ? new ArrayList<>(registry.components(ServiceType.PREDICTOR).keySet()) : names;
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("No predictor plugin is installed");
        }
        Map<String, Supplier<Predictor>> variants = new LinkedHashMap<>();
        for (String name : selected) {
            String encodingKey = name + ".encoding";
            boolean hasEncoding = registry.find(ServiceType.PREDICTOR, name).map(component -> component.factory().settings().stream().anyMatch(setting -> setting.key().equals(encodingKey))).orElse(false);
            for (String encoding : hasEncoding ? encodings : List.of("")) {
                Map<String, String> selection = new LinkedHashMap<>();
                selection.put(ServiceType.PREDICTOR.key(), name);
                if (hasEncoding) {
                    selection.put(encodingKey, encoding);
                }
                Atnas atnas = Atnas.start(plugins, base.with(selection, "bench predictor"), EnumSet.of(ServiceType.PREDICTOR));
                variants.put(hasEncoding ? name + " (" + encoding + ")" : name, () -> atnas.components().create(ServiceType.PREDICTOR, Predictor.class).orElseThrow());
            }
        }
        return variants;
    }

    public PredictorBenchmark(SearchSpace space, FitnessTable table)
    {
        this.space = requireNonNull(space, "space is null");
        this.table = requireNonNull(table, "table is null");
    }

    /**
     * Runs every predictor.
     *
     * @param predictors by label, each making a new untrained predictor
     * @throws IllegalArgumentException if the table is smaller than the test set and the largest training set
     */
    public List<Series> run(Settings settings, Map<String, Supplier<Predictor>> predictors, Consumer<String> progress)
    {
        return run(settings, predictors, progress, Progress.NONE);
    }

    /** As {@link #run(Settings, Map, Consumer)}, reporting each trained and scored predictor (of predictors x seeds x sizes) to {@code trained}. */
    public List<Series> run(Settings settings, Map<String, Supplier<Predictor>> predictors, Consumer<String> progress, Progress trained)
    {
        long total = (long) predictors.size() * settings.seeds() * settings.sizes().size();
        long done = 0;
        List<ArchitectureCode> codes = table.codes();
        int largest = settings.sizes().stream().mapToInt(Integer::intValue).max().orElseThrow();
        if (codes.size() < settings.testSize() + largest) {
            throw new IllegalArgumentException("The table holds " + codes.size() + " architectures, fewer than the " + settings.testSize() + " test and " + largest + " training ones asked for");
        }
        List<Series> results = new ArrayList<>();
        for (Map.Entry<String, Supplier<Predictor>> entry : predictors.entrySet()) {
            Map<Integer, double[]> spearman = new LinkedHashMap<>();
            Map<Integer, double[]> kendall = new LinkedHashMap<>();
            settings.sizes().forEach(size -> {
                spearman.put(size, new double[settings.seeds()]);
                kendall.put(size, new double[settings.seeds()]);
            });
            for (int seed = 0; seed < settings.seeds(); seed++) {
                List<ArchitectureCode> shuffled = shuffled(codes, seed);
                List<ArchitectureCode> test = shuffled.subList(0, settings.testSize());
                double[] truth = test.stream().mapToDouble(this::fitness).toArray();
                for (int size : settings.sizes()) {
                    List<Individual> training = new ArrayList<>();
                    for (ArchitectureCode code : shuffled.subList(settings.testSize(), settings.testSize() + size)) {
                        training.add(Individual.evaluated(code, fitness(code)));
                    }
                    Predictor predictor = entry.getValue().get();
                    predictor.train(space, training, seed);
                    double[] predicted = test.stream().mapToDouble(predictor::predict).toArray();
                    spearman.get(size)[seed] = RankCorrelation.spearman(truth, predicted);
                    kendall.get(size)[seed] = RankCorrelation.kendall(truth, predicted);
                    trained.update(++done, total);
                }
            }
            progress.accept(entry.getKey() + " done");
            results.add(new Series(entry.getKey(), spearman, kendall));
        }
        return results;
    }

    private double fitness(ArchitectureCode code)
    {
        return table.fitness(code).orElseThrow(() -> new IllegalStateException("The table has no row for " + code));
    }

    private static List<ArchitectureCode> shuffled(List<ArchitectureCode> codes, long seed)
    {
        List<ArchitectureCode> copy = new ArrayList<>(codes);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = copy.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            ArchitectureCode swap = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, swap);
        }
        return copy;
    }

    /** The table: one row per predictor, per size Spearman's ρ and Kendall's τ as mean ± std. */
    public static String format(Settings settings, List<Series> results, String metric, int tableSize)
    {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Predictor ranking quality on %,d architectures (fitness = %s): train on n random, test on %d others, %d seeds%n%n",
                tableSize, metric, settings.testSize(), settings.seeds()));
        text.append(String.format(Locale.ROOT, "%-30s", "predictor (encoding)"));
        for (int size : settings.sizes()) {
            text.append(String.format(Locale.ROOT, "  %-27s", "n=" + size + " rho / tau"));
        }
        text.append('\n');
        for (Series series : results) {
            text.append(String.format(Locale.ROOT, "%-30s", series.label()));
            for (int size : settings.sizes()) {
                double[] rho = series.spearman().get(size);
                double[] tau = series.kendall().get(size);
                text.append(String.format(Locale.ROOT, "  %.3f±%.3f / %.3f±%.3f", Statistics.mean(rho), Statistics.standardDeviation(rho), Statistics.mean(tau), Statistics.standardDeviation(tau)));
            }
            text.append('\n');
        }
        return text.toString();
    }
}
