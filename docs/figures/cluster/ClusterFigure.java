import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The figure of docs/cluster.md from the runs of measure.sh: per meta-step, the median compute time
 * (the slowest member's pairs), communication time (the rest of the wall time from sending W to the
 * last decoded reply) and the coordinator's outer update, per network and member count. The first
 * meta-step (sessions start, JIT) is left out. Prints the table of docs/cluster.md.
 *
 * Usage: java -cp "DISTRIBUTION/lib/*" ClusterFigure.java RUNS_DIR OUTPUT.png
 */
public final class ClusterFigure
{
    public static void main(String[] args)
            throws Exception
    {
        Path runs = Path.of(args[0]);
        List<String> names = List.of("small-2", "small-3", "large-2", "large-3");
        List<String> labels = List.of("2 cells C=16, 2 members", "2 cells C=16, 3 members", "8 cells C=36, 2 members", "8 cells C=36, 3 members");
        List<Double> compute = new ArrayList<>();
        List<Double> communication = new ArrayList<>();
        List<Double> apply = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        System.out.println("| run | members | pairs/step | compute ms | communication ms | outer update ms | communication share | MB out/step | MB in/step |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < names.size(); i++) {
            List<JsonNode> steps = new ArrayList<>();
            for (String line : Files.readAllLines(runs.resolve("runs").resolve(names.get(i)).resolve("cluster.jsonl"))) {
                JsonNode step = json.readTree(line);
                if (step.get("step").asInt() > 1) {
                    steps.add(step);
                }
            }
            double c = median(steps, "computeMs");
            double m = median(steps, "communicationMs");
            double a = median(steps, "applyMs");
            compute.add(c / 1000);
            communication.add(m / 1000);
            apply.add(a / 1000);
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.0f | %.0f | %.0f | %.1f%% | %.2f | %.2f |%n", labels.get(i), steps.get(0).get("members").asInt(), steps.get(0).get("pairs").asInt(),
                    c, m, a, 100 * m / (c + m + a), median(steps, "bytesOut") / 1e6, median(steps, "bytesIn") / 1e6);
        }
        CategoryChart chart = new CategoryChartBuilder().width(900).height(520).title("One meta-step on a Hazelcast cluster on loopback (median of the meta-steps after the first)")
                .xAxisTitle("network and worker JVMs (one Eq. 7 worker each)").yAxisTitle("seconds").build();
        chart.getStyler().setStacked(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        chart.addSeries("compute (slowest member's pairs)", labels, compute);
        chart.addSeries("communication (W out, meta-gradients back)", labels, communication);
        chart.addSeries("outer update on the coordinator", labels, apply);
        Files.write(Path.of(args[1]), BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    private static double median(List<JsonNode> steps, String field)
    {
        double[] values = steps.stream().mapToDouble(step -> step.get(field).asDouble()).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }
}
