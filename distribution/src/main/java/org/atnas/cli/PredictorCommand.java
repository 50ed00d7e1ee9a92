package org.atnas.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.atnas.api.FitnessTable;
import org.atnas.api.Predictor;
import org.atnas.api.SearchSpace;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.bench.FitnessTables;
import org.atnas.core.bench.PredictorBenchmark;
import org.atnas.core.bench.Statistics;
import org.atnas.core.run.AtomicFiles;
import org.atnas.core.run.RunDirectory;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code atnas bench predictor}: the paper's Fig. 6 on the NAS-Bench-201 table. */
@Command(name = "predictor", mixinStandardHelpOptions = true,
        description = {"Measures how well each installed predictor ranks NAS-Bench-201 architectures.",
                "Trained on n random architectures, Spearman's rho and Kendall's tau on held-out ones, mean ± std over seeds;",
                "a table and a PNG plot (the paper's Fig. 6)."})
final class PredictorCommand
        implements Runnable
{
    @ParentCommand
    BenchCommand parent;

    @Mixin
    TableOptions table;

    @Option(names = "--sizes", defaultValue = "25,50,100,200,300", split = ",", paramLabel = "N", description = "Training-set sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--test", defaultValue = "500", paramLabel = "N", description = "Held-out architectures (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--seeds", defaultValue = "10", paramLabel = "N", description = "Runs with seeds 0..N-1 (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--predictors", split = ",", paramLabel = "NAME", description = "Predictors to compare (default: every installed one).")
    List<String> predictors;

    @Option(names = "--encodings", defaultValue = "one-hot,integer", split = ",", paramLabel = "E", description = "Feature encodings to compare, for predictors that declare <name>.encoding (default: ${DEFAULT-VALUE}).")
    List<String> encodings;

    @Mixin
    ConfigOptions config;

    @Override
    public void run()
    {
        Launcher launcher = parent.parent.launcher;
        Map<String, String> fixed = FitnessTables.nasBench201(table.table);
        Atnas atnas = launcher.start(config.load(launcher, fixed, "--table"), EnumSet.of(ServiceType.SEARCH_SPACE));
        SearchSpace space = atnas.instance(SearchSpace.class);
        FitnessTable fitness = FitnessTables.of(space);
        Map<String, Supplier<Predictor>> suppliers = PredictorBenchmark.variants(launcher.plugins(), config.load(launcher, fixed, "--table"), predictors != null ? predictors : List.of(), encodings);
        PredictorBenchmark.Settings settings = new PredictorBenchmark.Settings(sizes, test, seeds);
        launcher.err().printf("%d predictors x %d sizes x %d seeds on %s ...%n", suppliers.size(), sizes.size(), seeds, table.table);
        launcher.err().flush();
        ProgressLine progress = ProgressLine.of(launcher, "predictors trained");
        List<PredictorBenchmark.Series> results = new PredictorBenchmark(space, fitness).run(settings, suppliers, progress::note, progress);
        String report = PredictorBenchmark.format(settings, results, fitness.metric(), fitness.codes().size());
        RunDirectory run = RunDirectory.create(atnas.configuration(), "bench-predictor", Clock.systemDefaultZone());
        run.writeText("report.txt", report);
        run.writeJson("predictors.json", results);
        AtomicFiles.write(run.path().resolve("spearman.png"), plot(settings, results));
        launcher.out().print(report);
        launcher.out().println();
        launcher.out().println("Plot: " + run.path().resolve("spearman.png"));
    }

    /** Mean Spearman's rho against the training-set size, one line per predictor, error bars one std. */
    private static byte[] plot(PredictorBenchmark.Settings settings, List<PredictorBenchmark.Series> results)
    {
        XYChart chart = new XYChartBuilder().width(800).height(640).title("Predictor ranking quality (NAS-Bench-201)")
                .xAxisTitle("training architectures").yAxisTitle("Spearman's rho on held-out architectures").build();
        // below the plot area: inside it, the legend covered the curves of the small training sets
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        double[] x = settings.sizes().stream().mapToDouble(Integer::doubleValue).toArray();
        for (PredictorBenchmark.Series series : results) {
            double[] mean = settings.sizes().stream().mapToDouble(size -> Statistics.mean(series.spearman().get(size))).toArray();
            double[] error = settings.sizes().stream().mapToDouble(size -> Statistics.standardDeviation(series.spearman().get(size))).toArray();
            chart.addSeries(series.label(), x, mean, error);
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot draw the plot: " + e.getMessage(), e);
        }
    }
}
