package org.atnas.core.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.atnas.core.bench.EvolverBenchmark.MethodResult;
import org.atnas.core.bench.EvolverBenchmark.Result;
import org.atnas.core.bench.EvolverBenchmark.Settings;

/** What {@link EvolverBenchmark} reports: the text table and {@code summary.json}. */
public final class EvolverReport
{
    /**
     * What {@code summary.json} holds: the settings and, per method, the best accuracy of each run.
     *
     * @param methods by method name ({@code random}, {@code evolver:ga}, ...)
     */
    public record Summary(String metric, double tableBest, int budget, int runs, int population, long seed, Map<String, MethodSummary> methods) {}

    /** One method's best accuracy per run after the budget, and their mean and standard deviation. */
    public record MethodSummary(double[] bestPerRun, double meanBest, double stdBest) {}

    private EvolverReport() {}

    /** The summary of a result, for {@code summary.json}. */
    public static Summary summary(Result result)
    {
        Map<String, MethodSummary> methods = new LinkedHashMap<>();
        for (MethodResult method : List.of(result.evolver(), result.random())) {
            double[] best = method.bestAfter(result.settings().budget());
            methods.put(method.method().equals("random") ? "random" : "evolver:" + method.method(), new MethodSummary(best, Statistics.mean(best), Statistics.standardDeviation(best)));
        }
        return new Summary(result.metric(), result.tableBest(), result.settings().budget(), result.settings().runs(), result.settings().population(), result.settings().seed(), methods);
    }

    /** The report: mean ± std of each method's best, the gap to the table's best, and the best at a quarter and half of the budget. */
    public static String format(Result result)
    {
        Settings settings = result.settings();
        int quarter = Math.max(1, settings.budget() / 4);
        int half = Math.max(1, settings.budget() / 2);
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Search against the table: %,d architectures, fitness = %s, table best %.2f%n", result.tableSize(), result.metric(), result.tableBest()));
        text.append(String.format(Locale.ROOT, "budget %d distinct architectures per run, %d runs (seeds %d..%d), population %d%n%n",
                settings.budget(), settings.runs(), settings.seed(), settings.seed() + settings.runs() - 1, settings.population()));
        text.append(String.format(Locale.ROOT, "%-18s %18s %12s %14s %14s%n", "method", "best (mean ± std)", "gap to best", "mean @" + quarter, "mean @" + half));
        for (MethodResult method : List.of(result.evolver(), result.random())) {
            double[] best = method.bestAfter(settings.budget());
            text.append(String.format(Locale.ROOT, "%-18s %11.2f ± %4.2f %12.2f %14.2f %14.2f%n",
                    method.method(), Statistics.mean(best), Statistics.standardDeviation(best), result.tableBest() - Statistics.mean(best),
                    Statistics.mean(method.bestAfter(quarter)), Statistics.mean(method.bestAfter(half))));
        }
        return text.toString();
    }
}
