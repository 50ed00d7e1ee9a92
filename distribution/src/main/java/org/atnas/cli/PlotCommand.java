package org.atnas.cli;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.atnas.core.run.AtomicFiles;
import org.atnas.core.run.RunDirectory;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code atnas plot}: fitness over generations of one or more searches, as a PNG. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Plots the best and the mean meta-val fitness of each generation of one or more runs.",
                "Reads their metrics.jsonl; against the meta-step, one colour per run: a study's methods side by side.",
                "Of transfers (atnas transfer): each evolution's population, the final training's curve and the test accuracy, against the epoch (the paper's Fig. 9)."})
final class PlotCommand
        implements Runnable
{
    private static final String DEFAULT_TITLE = "Meta-val fitness over the search";
    /** One colour per run, its best and mean in the same colour. */
    private static final Color[] PALETTE = {new Color(0x1F77B4), new Color(0xD62728), new Color(0x2CA02C), new Color(0x9467BD), new Color(0xFF7F0E), new Color(0x8C564B)};

    @ParentCommand
    AtnasCommand parent;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories of searches.")
    List<Path> runs;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The PNG to write.")
    Path output;

    @Option(names = "--title", defaultValue = DEFAULT_TITLE, paramLabel = "TEXT", description = "The plot's title (default: ${DEFAULT-VALUE}).")
    String title;

    /**
     * One evaluation line of a run's metrics.
     *
     * @param last whether it is the run's final evaluation (type {@code final}), drawn as a point of its own
     */
    record Generation(int step, double best, double mean, boolean last) {}

    @Override
    public void run()
    {
        if (runs.stream().allMatch(TransferPlot::isTransfer)) {
            write(TransferPlot.chart(runs, title.equals(DEFAULT_TITLE) ? TransferPlot.TITLE : title, PALETTE));
            return;
        }
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle("meta-step").yAxisTitle("meta-val query accuracy").build();
        // beside the plot area: inside it, the legend of several runs covers their curves
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (int index = 0; index < runs.size(); index++) {
            Path run = runs.get(index);
            Color colour = PALETTE[index % PALETTE.length];
            List<Generation> all = generations(run);
            List<Generation> generations = all.stream().filter(generation -> !generation.last()).toList();
            String name = run.toAbsolutePath().normalize().getFileName().toString();
            double[] steps = generations.stream().mapToDouble(Generation::step).toArray();
            XYSeries best = chart.addSeries(name + " best", steps, generations.stream().mapToDouble(Generation::best).toArray());
            best.setMarker(SeriesMarkers.CIRCLE);
            best.setLineColor(colour);
            best.setMarkerColor(colour);
            XYSeries mean = chart.addSeries(name + " mean", steps, generations.stream().mapToDouble(Generation::mean).toArray());
            mean.setMarker(SeriesMarkers.NONE);
            mean.setLineStyle(SeriesLines.DASH_DASH);
            mean.setLineColor(colour);
            for (Generation last : all.stream().filter(Generation::last).toList()) {
                // the final evaluation (of the last population, measured anew): a point, not a step of the lines
                XYSeries answer = chart.addSeries(name + " final", new double[] {last.step()}, new double[] {last.best()});
                answer.setMarker(SeriesMarkers.DIAMOND);
                answer.setMarkerColor(colour);
                answer.setLineStyle(SeriesLines.NONE);
            }
        }
        write(chart);
    }

    private void write(XYChart chart)
    {
        try {
            AtomicFiles.write(output, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot draw the plot: " + e.getMessage(), e);
        }
        parent.launcher.out().println("Plot: " + output);
    }

    /**
     * The generation lines of a run's {@code metrics.jsonl}, in order.
     *
     * @throws IllegalArgumentException if the run has no metrics or no generation yet
     */
    static List<Generation> generations(Path run)
    {
        Path file = run.resolve(RunDirectory.METRICS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No " + RunDirectory.METRICS_FILE + " in " + run + ": not a search's run directory");
        }
        List<Generation> generations = new ArrayList<>();
        for (JsonNode node : TransferPlot.lines(file)) {
            String type = node.path("type").asText();
            if ("generation".equals(type) || "final".equals(type)) {
                generations.add(new Generation(node.get("step").asInt(), node.get("bestFitness").asDouble(), node.get("meanFitness").asDouble(), "final".equals(type)));
            }
        }
        if (generations.isEmpty()) {
            throw new IllegalArgumentException(file + " has no generation yet: the population is first evaluated search.evolve-every meta-steps after warm-up");
        }
        return generations;
    }
}
