package org.atnas.cli;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.atnas.core.run.AtomicFiles;
import org.atnas.core.study.CellResult;
import org.atnas.core.study.StudyPlan;
import org.atnas.core.study.StudySummary;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import static java.util.Objects.requireNonNull;

/**
 * A study's plots ({@code plots/*.png}) and {@code report.html}: one page that needs nothing but
 * itself — the plots and the cells' pictures are embedded — with the tables, and every cell's
 * provenance (configuration, components, data digests, Java, machine).
 */
final class StudyReport
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Color[] PALETTE = {new Color(0x1F77B4), new Color(0xD62728), new Color(0x2CA02C), new Color(0x9467BD), new Color(0xFF7F0E), new Color(0x8C564B)};

    private final StudyPlan plan;
    private final Path folder;
    private final List<StudyCell> cells;
    private final List<StudyCell.Written> written;
    private final StudySummary summary;
    private final int total;

    StudyReport(StudyPlan plan, Path folder, List<StudyCell> cells, List<StudyCell.Written> written, StudySummary summary, int total)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.folder = requireNonNull(folder, "folder is null");
        this.cells = List.copyOf(cells);
        this.written = List.copyOf(written);
        this.summary = requireNonNull(summary, "summary is null");
        this.total = total;
    }

    /** Writes the plots and the page; returns the page's path. */
    Path write()
    {
        Map<String, Path> plots = new LinkedHashMap<>();
        plots.put("Meta-test accuracy per variant (mean and 95% CI over seeds; one point per seed)", save(accuracyChart(), "accuracy.png"));
        fitnessChart().ifPresent(chart -> plots.put("Best meta-val fitness during the search (mean over seeds; thin lines: lowest and highest seed)", save(chart, "fitness.png")));
        if (plan.budgets().size() > 1) {
            plots.put("Meta-test accuracy against the budget (mean and 95% CI over seeds)", save(budgetChart(), "accuracy-vs-budget.png"));
        }
        Path page = folder.resolve("report.html");
        AtomicFiles.writeString(page, html(plots));
        return page;
    }

    private Path save(Chart<?, ?> chart, String name)
    {
        Path file = folder.resolve("plots").resolve(name);
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot draw " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private String category(String variant, double budget)
    {
        return plan.budgets().size() > 1 ? variant + " @" + StudyPlan.format(budget) : variant;
    }

    private CategoryChart accuracyChart()
    {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(480).title("Meta-test accuracy, " + plan.name()).xAxisTitle("variant").yAxisTitle("meta-test accuracy (%)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        List<String> categories = summary.variants().stream().map(variant -> category(variant.variant(), variant.budget())).toList();
        List<Double> means = summary.variants().stream().map(variant -> 100 * variant.mean()).toList();
        List<Double> intervals = summary.variants().stream().map(variant -> Double.isNaN(variant.confidence95()) ? 0.0 : 100 * variant.confidence95()).toList();
        CategorySeries mean = chart.addSeries("mean ± 95% CI", categories, means, intervals);
        mean.setMarker(SeriesMarkers.DIAMOND);
        mean.setMarkerColor(Color.BLACK);
        mean.setLineColor(Color.BLACK);
        // a seed's point where every variant ran it: a category chart has one value per category
        for (long seed : plan.seeds()) {
            List<Double> values = new ArrayList<>();
            for (StudySummary.Variant variant : summary.variants()) {
                written.stream().map(StudyCell.Written::result).filter(cell -> cell.seed() == seed && cell.variant().equals(variant.variant()) && cell.budget() == variant.budget())
                        .findFirst().ifPresent(cell -> values.add(100 * cell.accuracy()));
            }
            if (values.size() == categories.size()) {
                CategorySeries series = chart.addSeries("seed " + seed, categories, values);
                series.setMarker(SeriesMarkers.CIRCLE);
            }
        }
        return chart;
    }

    /** The search's best fitness per generation, per variant: the mean over seeds on the first seed's steps, and the band of the seeds. */
    private Optional<XYChart> fitnessChart()
    {
        XYChart chart = new XYChartBuilder().width(900).height(480).title("Search: best meta-val fitness, " + plan.name()).xAxisTitle("meta-step").yAxisTitle("meta-val query accuracy").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        Map<String, List<List<PlotCommand.Generation>>> curves = new LinkedHashMap<>();
        for (StudyCell cell : cells) {
            List<PlotCommand.Generation> generations;
            try {
                generations = PlotCommand.generations(cell.search()).stream().filter(generation -> !generation.last()).toList();
            }
            catch (IllegalArgumentException noGeneration) {
                // a search too short to evolve has no curve: its cell still counts in the tables
                continue;
            }
            if (!generations.isEmpty()) {
                curves.computeIfAbsent(category(cell.cell().variant().label(), cell.cell().budget()), key -> new ArrayList<>()).add(generations);
            }
        }
        int index = 0;
        for (var variant : curves.entrySet()) {
            Color colour = PALETTE[index++ % PALETTE.length];
            int last = variant.getValue().stream().mapToInt(seed -> seed.get(seed.size() - 1).step()).min().orElseThrow();
            List<Integer> steps = variant.getValue().get(0).stream().map(PlotCommand.Generation::step).filter(step -> step <= last).toList();
            if (steps.isEmpty()) {
                continue;
            }
            double[] x = steps.stream().mapToDouble(Integer::doubleValue).toArray();
            double[] mean = new double[x.length];
            double[] low = new double[x.length];
            double[] high = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                int step = steps.get(i);
                double[] values = variant.getValue().stream().mapToDouble(seed -> atOrBefore(seed, step)).toArray();
                mean[i] = java.util.Arrays.stream(values).average().orElseThrow();
                low[i] = java.util.Arrays.stream(values).min().orElseThrow();
                high[i] = java.util.Arrays.stream(values).max().orElseThrow();
            }
            XYSeries line = chart.addSeries(variant.getKey() + " (" + variant.getValue().size() + " seeds)", x, mean);
            line.setLineColor(colour);
            line.setMarker(SeriesMarkers.NONE);
            for (double[] edge : List.of(low, high)) {
                XYSeries band = chart.addSeries(variant.getKey() + (edge == low ? " lowest" : " highest"), x, edge);
                band.setLineColor(colour);
                band.setLineStyle(SeriesLines.DOT_DOT);
                band.setMarker(SeriesMarkers.NONE);
                band.setShowInLegend(false);
            }
        }
        return index == 0 ? Optional.empty() : Optional.of(chart);
    }

    private static double atOrBefore(List<PlotCommand.Generation> generations, int step)
    {
        double value = generations.get(0).best();
        for (PlotCommand.Generation generation : generations) {
            if (generation.step() > step) {
                break;
            }
            value = generation.best();
        }
        return value;
    }

    private XYChart budgetChart()
    {
        XYChart chart = new XYChartBuilder().width(900).height(480).title("Accuracy against budget, " + plan.name()).xAxisTitle("budget per cell (" + plan.unit().label() + ")")
                .yAxisTitle("meta-test accuracy (%)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        Map<String, List<StudySummary.Variant>> byVariant = new LinkedHashMap<>();
        summary.variants().forEach(variant -> byVariant.computeIfAbsent(variant.variant(), key -> new ArrayList<>()).add(variant));
        int index = 0;
        for (var variant : byVariant.entrySet()) {
            List<StudySummary.Variant> points = variant.getValue().stream().sorted(Comparator.comparingDouble(StudySummary.Variant::budget)).toList();
            XYSeries series = chart.addSeries(variant.getKey(), points.stream().mapToDouble(StudySummary.Variant::budget).toArray(),
                    points.stream().mapToDouble(point -> 100 * point.mean()).toArray(),
                    points.stream().mapToDouble(point -> Double.isNaN(point.confidence95()) ? 0 : 100 * point.confidence95()).toArray());
            series.setLineColor(PALETTE[index % PALETTE.length]);
            series.setMarkerColor(PALETTE[index++ % PALETTE.length]);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    private String html(Map<String, Path> plots)
    {
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Study ").append(escape(plan.name())).append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.4}")
                .append("table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}img{max-width:100%}.small{font-size:0.85em;color:#555}")
                .append("pre{background:#f7f7f7;padding:0.6em;overflow-x:auto;font-size:0.85em}.good{color:#1a7f37}.bad{color:#b42318}figure{margin:1em 0}")
                .append("</style></head><body>\n");
        page.append("<h1>Study ").append(escape(plan.name())).append("</h1>\n<p>").append(cells.size()).append(" of ").append(total).append(" cells finished; budget per cell ")
                .append(escape(String.join(" | ", plan.budgets().stream().map(StudyPlan::format).toList()))).append(' ').append(plan.unit().label())
                .append(String.format(Locale.ROOT, ", %.0f%% to the search and %.0f%% to the final training", 100 * (1 - plan.trainingShare()), 100 * plan.trainingShare()))
                .append("; meta-test on ").append(plan.tasks()).append(" tasks per cell; seeds ").append(escape(plan.seeds().toString())).append(".<br><span class=\"small\">Written ")
                .append(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)).append(" from ").append(escape(plan.file().file().toString())).append(".</span></p>\n");
        page.append("<h2>Variants</h2>\n<table><tr><th>variant</th><th>budget</th><th>seeds</th><th>meta-test accuracy</th><th>95% CI over seeds</th><th>CPU minutes (mean)</th></tr>\n");
        for (StudySummary.Variant variant : summary.variants()) {
            page.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%.2f%%</td><td>%s</td><td>%.1f</td></tr>%n", escape(variant.variant()),
                    StudyPlan.format(variant.budget()), variant.seeds(), 100 * variant.mean(),
                    Double.isNaN(variant.confidence95()) ? "n/a (one seed)" : String.format(Locale.ROOT, "± %.2f", 100 * variant.confidence95()), variant.cpuMinutes()));
        }
        page.append("</table>\n");
        if (!summary.differences().isEmpty()) {
            page.append("<h2>Paired differences</h2>\n<p class=\"small\">Same seeds, hence the same meta-test tasks; Student-t interval over the seeds.</p>\n")
                    .append("<table><tr><th>variant</th><th>versus</th><th>budget</th><th>seeds</th><th>difference (points)</th><th>95% CI</th><th>verdict</th></tr>\n");
            for (StudySummary.Difference difference : summary.differences()) {
                String verdict = Double.isNaN(difference.confidence95()) ? "one seed: no verdict"
                        : difference.isSignificant() ? (difference.mean() > 0 ? difference.variant() : difference.versus()) + " is better" : "not distinguishable";
                page.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%d</td><td>%+.2f</td><td>%s</td><td class=\"%s\">%s</td></tr>%n",
                        escape(difference.variant()), escape(difference.versus()), StudyPlan.format(difference.budget()), difference.seeds(), 100 * difference.mean(),
                        Double.isNaN(difference.confidence95()) ? "n/a" : String.format(Locale.ROOT, "± %.2f", 100 * difference.confidence95()),
                        difference.isSignificant() ? "good" : "", escape(verdict)));
            }
            page.append("</table>\n");
        }
        page.append("<h2>Plots</h2>\n");
        plots.forEach((caption, file) -> page.append("<figure><img alt=\"").append(escape(caption)).append("\" src=\"").append(dataUri(file)).append("\"><figcaption>")
                .append(escape(caption)).append("</figcaption></figure>\n"));
        page.append("<h2>The best cell of each variant</h2>\n");
        Map<String, StudyCell> best = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            CellResult result = written.get(i).result();
            String key = category(result.variant(), result.budget());
            StudyCell current = best.get(key);
            if (current == null || result.accuracy() > resultOf(current).accuracy()) {
                best.put(key, cells.get(i));
            }
        }
        for (var entry : best.entrySet()) {
            CellResult result = resultOf(entry.getValue());
            page.append(String.format(Locale.ROOT, "<h3>%s: cell %s, %.2f%% ± %.2f</h3>%n<p>%s<br><span class=\"small\">code %s; %,d parameters, %,d multiply-adds per image</span></p>%n",
                    escape(entry.getKey()), escape(result.id()), 100 * result.accuracy(), 100 * result.confidence95(), escape(result.genotype()), escape(result.code()),
                    result.parameters(), result.multiplyAdds()));
            for (Path picture : StudyCell.pictures(entry.getValue().folder())) {
                page.append("<img alt=\"").append(escape(picture.getFileName().toString())).append("\" style=\"max-width:48%\" src=\"").append(dataUri(picture)).append("\">\n");
            }
        }
        page.append("<h2>Cells</h2>\n<table><tr><th>cell</th><th>variant</th><th>seed</th><th>budget</th><th>CPU min</th><th>meta-steps (search + training)</th><th>parameters</th>")
                .append("<th>meta-val fitness</th><th>meta-test accuracy</th></tr>\n");
        for (StudyCell.Written cell : written) {
            CellResult result = cell.result();
            page.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%.1f</td><td>%,d + %,d</td><td>%,d</td><td>%s</td><td>%.2f%% ± %.2f</td></tr>%n",
                    escape(result.id()), escape(result.variant()), result.seed(), StudyPlan.format(result.budget()), result.cpuMinutes(), result.searchSteps(), result.trainingSteps(),
                    result.parameters(), Double.isNaN(result.fitness()) ? "" : String.format(Locale.ROOT, "%.3f", result.fitness()), 100 * result.accuracy(), 100 * result.confidence95()));
        }
        page.append("</table>\n<h2>Provenance</h2>\n");
        for (StudyCell.Written cell : written) {
            page.append("<details><summary>").append(escape(cell.result().id())).append("</summary><pre>").append(escape(json(cell.provenance()))).append("</pre></details>\n");
        }
        page.append("<h3>Study file</h3>\n<pre>").append(escape(plan.file().text())).append("</pre>\n</body></html>\n");
        return page.toString();
    }

    private CellResult resultOf(StudyCell cell)
    {
        return written.get(cells.indexOf(cell)).result();
    }

    private static String json(Object value)
    {
        try {
            return JSON.writeValueAsString(value);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String dataUri(Path png)
    {
        try {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + png + " for the report: " + e.getMessage(), e);
        }
    }

    static String escape(String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
