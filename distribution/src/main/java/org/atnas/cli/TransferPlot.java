package org.atnas.cli;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.atnas.core.run.RunDirectory;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The plot of transfers (the paper's Fig. 9): against the epoch, the validation accuracy of every
 * individual of the population at each evolution (points), the best of each (a line), the final
 * training's validation curve and the test accuracy (a diamond).
 */
final class TransferPlot
{
    static final String TITLE = "Validation accuracy of the population per evolution (Algorithm 3)";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The lines of one transfer's {@code metrics.jsonl}.
     *
     * @param evolutions per evolution: the epoch and each individual's validation accuracy
     * @param curve the final training's (epoch, validation accuracy), the last evolution's best first
     * @param test the (epoch, test accuracy), if tested
     */
    record Transfer(List<double[]> evolutions, List<double[]> curve, double[] test) {}

    private TransferPlot() {}

    /** Whether a run's {@code metrics.jsonl} is a transfer's. */
    static boolean isTransfer(Path run)
    {
        Path file = run.resolve(RunDirectory.METRICS_FILE);
        return Files.isRegularFile(file) && lines(file).stream().anyMatch(node -> node.path("type").asText().startsWith("transfer-"));
    }

    /** Draws the transfers into a chart, one colour per run. */
    static XYChart chart(List<Path> runs, String title, Color[] palette)
    {
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle("epoch").yAxisTitle("validation accuracy").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (int index = 0; index < runs.size(); index++) {
            Path run = runs.get(index);
            Color colour = palette[index % palette.length];
            String name = run.toAbsolutePath().normalize().getFileName().toString();
            Transfer transfer = read(run);
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            double[] bestX = new double[transfer.evolutions().size()];
            double[] bestY = new double[transfer.evolutions().size()];
            for (int e = 0; e < transfer.evolutions().size(); e++) {
                double[] evolution = transfer.evolutions().get(e);
                bestX[e] = evolution[0];
                for (int i = 1; i < evolution.length; i++) {
                    x.add(evolution[0]);
                    y.add(evolution[i]);
                    bestY[e] = Math.max(bestY[e], evolution[i]);
                }
            }
            if (!x.isEmpty()) {
                XYSeries individuals = chart.addSeries(name + " population", x.stream().mapToDouble(Double::doubleValue).toArray(), y.stream().mapToDouble(Double::doubleValue).toArray());
                individuals.setMarker(SeriesMarkers.CIRCLE);
                individuals.setMarkerColor(colour);
                individuals.setLineStyle(SeriesLines.NONE);
                XYSeries best = chart.addSeries(name + " best", bestX, bestY);
                best.setMarker(SeriesMarkers.NONE);
                best.setLineColor(colour);
            }
            if (!transfer.curve().isEmpty()) {
                XYSeries curve = chart.addSeries(name + " final training", transfer.curve().stream().mapToDouble(point -> point[0]).toArray(),
                        transfer.curve().stream().mapToDouble(point -> point[1]).toArray());
                curve.setMarker(SeriesMarkers.SQUARE);
                curve.setMarkerColor(colour);
                curve.setLineStyle(SeriesLines.DASH_DASH);
                curve.setLineColor(colour);
            }
            if (transfer.test() != null) {
                XYSeries test = chart.addSeries(name + " test", new double[] {transfer.test()[0]}, new double[] {transfer.test()[1]});
                test.setMarker(SeriesMarkers.DIAMOND);
                test.setMarkerColor(colour);
                test.setLineStyle(SeriesLines.NONE);
            }
        }
        return chart;
    }

    /**
     * @throws IllegalArgumentException if the run has no evaluation yet
     */
    static Transfer read(Path run)
    {
        Path file = run.resolve(RunDirectory.METRICS_FILE);
        List<double[]> evolutions = new ArrayList<>();
        List<double[]> curve = new ArrayList<>();
        double[] test = null;
        for (JsonNode node : lines(file)) {
            switch (node.path("type").asText()) {
                case "transfer-evolution" -> {
                    List<Double> values = new ArrayList<>();
                    values.add(node.get("step").asDouble());
                    node.get("individuals").forEach(member -> values.add(member.get("accuracy").asDouble()));
                    evolutions.add(values.stream().mapToDouble(Double::doubleValue).toArray());
                }
                case "transfer-validation" -> curve.add(new double[] {node.get("step").asDouble(), node.get("accuracy").asDouble()});
                case "transfer-test" -> test = new double[] {node.get("step").asDouble(), node.get("accuracy").asDouble()};
                default -> { }
            }
        }
        if (evolutions.isEmpty() && curve.isEmpty()) {
            throw new IllegalArgumentException(file + " has no evaluation yet: a transfer evaluates its population every transfer.param-epochs epochs");
        }
        return new Transfer(evolutions, curve, test);
    }

    /**
     * The JSON objects of a {@code metrics.jsonl}, in order; blank lines are skipped.
     *
     * @throws IllegalArgumentException naming the file and line that is not JSON
     */
    static List<JsonNode> lines(Path file)
    {
        List<JsonNode> nodes = new ArrayList<>();
        try {
            int number = 0;
            for (String line : Files.readAllLines(file)) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    nodes.add(JSON.readTree(line));
                }
                catch (IOException e) {
                    throw new IllegalArgumentException(file + ", line " + number + ": not JSON: " + e.getMessage(), e);
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return nodes;
    }
}
