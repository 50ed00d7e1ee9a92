package org.atnas.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.atnas.api.io.Safetensors;
import org.atnas.core.data.Glyphs;
import org.atnas.core.data.ImageClass;
import org.atnas.core.data.ImageDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code atnas adapt}, {@code predict} and {@code evaluate --episodes} on a tiny glyph search made in seconds, on the assembled distribution. */
class AdaptIT
{
    private static final Path DISTRIBUTION = Path.of(System.getProperty("atnas.distribution", "target/atnas-0.1.0"));
    /** As SearchIT's tiny search: 14×14 glyphs, a narrow 2-cell supernet, one libtorch thread. */
    private static final List<String> TINY = List.of(
            "glyphs.classes=60", "data.image-size=14", "darts.channels=4", "darts.stem-multiplier=1", "djl.threads=1", "search.workers=1",
            "search.population=4", "search.arch-batch=2", "search.task-batch=2", "search.warmup-steps=2", "search.steps=6",
            "search.evolve-every=2", "search.validation-tasks=2", "search.inner-steps=2", "search.inner-lr=0.1", "task.queries=3",
            "search.checkpoint-every=100", "search.task-pool=8");

    @TempDir
    static Path shared;

    private static Path runDirectory;
    /** The glyphs of the run's data set (same seed and size). */
    private static ImageDataset glyphs;

    @TempDir
    Path temporary;

    @BeforeAll
    static void tinySearch()
    {
        List<String> args = new ArrayList<>(List.of("search"));
        for (String setting : TINY) {
            args.add("--set");
            args.add(setting);
        }
        args.addAll(List.of("--set", "runs.directory=" + shared.resolve("runs"), "--set", "run.name=tiny"));
        LauncherTest.Result search = LauncherTest.run(DISTRIBUTION, args.toArray(String[]::new));
        assertThat(search.status()).as(search.err()).isZero();
        runDirectory = shared.resolve("runs/tiny");
        glyphs = new Glyphs(60, 20, 14, 0, 0.04, 15, 0.12).generate();
    }

    /** Writes image {@code index} of a glyph class as a 28×28 PNG, black strokes on white, as a user would draw it. */
    private static void writeGlyph(Path file, ImageClass glyph, int index)
            throws IOException
    {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int ink = glyph.pixel(index, 0, y / 2, x / 2);
                image.getRaster().setSample(x, y, 0, 255 - ink);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    /** {@code folder/support/<class>/} with {@code shots} images and {@code folder/query/<class>/} with {@code queries} others, of glyph classes from {@code first}. */
    private static void writeTask(Path folder, int first, int ways, int shots, int queries)
            throws IOException
    {
        for (int way = 0; way < ways; way++) {
            ImageClass glyph = glyphs.classes().get(first + way);
            String name = String.format("glyph-%02d", first + way);
            for (int i = 0; i < shots; i++) {
                writeGlyph(folder.resolve("support/" + name + "/" + i + ".png"), glyph, i);
            }
            for (int i = 0; i < queries; i++) {
                writeGlyph(folder.resolve("query/" + name + "/" + (shots + i) + ".png"), glyph, shots + i);
            }
        }
    }

    /** Every file of the run directory with its size and modification time: what must not change. */
    private static Map<String, String> snapshot(Path folder)
            throws IOException
    {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.toList()) {
                files.put(folder.relativize(path).toString(), Files.isDirectory(path) ? "dir" : Files.size(path) + "@" + Files.getLastModifiedTime(path));
            }
        }
        return files;
    }

    private static double accuracy(String out)
    {
        Matcher matcher = Pattern.compile("Accuracy: ([0-9.]+)%").matcher(out);
        assertThat(matcher.find()).as(out).isTrue();
        return Double.parseDouble(matcher.group(1)) / 100;
    }

    /** The fraction of rows of a predictions.csv whose predicted class is the true one. */
    private static double csvAccuracy(Path file)
            throws IOException
    {
        List<String> predictions = Files.readAllLines(file);
        long correct = predictions.subList(1, predictions.size()).stream().filter(line -> line.split(",")[1].equals(line.substring(line.lastIndexOf(',') + 1))).count();
        return (double) correct / (predictions.size() - 1);
    }

    @Test
    void theSearchRecordsItsPreprocessing()
            throws IOException
    {
        JsonNode preprocessing = new ObjectMapper().readTree(runDirectory.resolve("preprocessing.json").toFile());
        assertThat(preprocessing.get("channels").asInt()).isEqualTo(1);
        assertThat(preprocessing.get("height").asInt()).isEqualTo(14);
        assertThat(preprocessing.get("inverted").asBoolean()).isTrue();
    }

    @Test
    void adaptsToThreeFiveAndTwentyClassesAndPredictsEveryQuery()
            throws IOException
    {
        Map<String, String> before = snapshot(runDirectory);
        for (int ways : new int[] {3, 5, 20}) {
            Path task = temporary.resolve(ways + "-way");
            writeTask(task, 30, ways, 2, 3);
            Path output = temporary.resolve("out-" + ways);
            Path model = temporary.resolve("model-" + ways);
            LauncherTest.Result adapted = LauncherTest.run(DISTRIBUTION, "adapt", runDirectory.toString(), "--support", task.resolve("support").toString(),
                    "--query", task.resolve("query").toString(), "--output", output.toString(), "--save", model.toString(), "--steps", "10");
            assertThat(adapted.status()).as(adapted.err()).isZero();
            assertThat(adapted.out()).contains("adapted to " + ways + " classes (glyph-30, glyph-31, glyph-32", "10 inner steps (lr 0.1), head zero");

            List<String> lines = Files.readAllLines(output.resolve("predictions.csv"));
            assertThat(lines).hasSize(1 + 3 * ways);
            assertThat(lines.get(0)).startsWith("file,predicted,p(glyph-30),p(glyph-31),").endsWith(",true");
            assertThat(lines.get(0).split(",")).hasSize(2 + ways + 1);
            assertThat(lines.get(1)).startsWith("glyph-30/2.png,glyph-").endsWith(",glyph-30");
            for (String line : lines.subList(1, lines.size())) {
                double sum = 0;
                String[] fields = line.split(",");
                for (int c = 0; c < ways; c++) {
                    sum += Double.parseDouble(fields[2 + c]);
                }
                assertThat(sum).as(line).isCloseTo(1.0, within(1e-4));
            }
            double accuracy = accuracy(adapted.out());
            if (ways == 5) {
                assertThat(accuracy).isGreaterThan(0.2 + 0.1);
            }

            // the saved head has a row per class
            Map<String, Safetensors.Tensor> weights = Safetensors.read(model.resolve("weights.safetensors")).tensors();
            assertThat(weights.get("classifier.weight").shape()[0]).isEqualTo(ways);
            assertThat(weights.get("classifier.bias").shape()).containsExactly(ways);
            JsonNode description = new ObjectMapper().readTree(model.resolve("model.json").toFile());
            assertThat(description.get("classes").size()).isEqualTo(ways);
            assertThat(description.get("parameters").size()).isEqualTo(weights.size());
            assertThat(Files.readString(model.resolve("genotype.txt"))).startsWith("normal=[");

            // predict reloads the network without the run and, on the same batch, predicts the same
            List<String> files = new ArrayList<>();
            try (Stream<Path> paths = Files.walk(task.resolve("query"))) {
                paths.filter(Files::isRegularFile).sorted().forEach(path -> files.add(path.toString()));
            }
            List<String> args = new ArrayList<>(List.of("predict", model.toString()));
            args.addAll(files);
            args.addAll(List.of("--output", temporary.resolve("predicted-" + ways + ".csv").toString()));
            LauncherTest.Result predicted = LauncherTest.run(DISTRIBUTION, args.toArray(String[]::new));
            assertThat(predicted.status()).as(predicted.err()).isZero();
            List<String> again = Files.readAllLines(temporary.resolve("predicted-" + ways + ".csv"));
            assertThat(again).hasSize(lines.size());
            for (int i = 1; i < lines.size(); i++) {
                String[] first = lines.get(i).split(",");
                String[] second = again.get(i).split(",");
                assertThat(second[1]).as(again.get(i)).isEqualTo(first[1]);
                for (int c = 0; c < ways; c++) {
                    assertThat(Double.parseDouble(second[2 + c])).isCloseTo(Double.parseDouble(first[2 + c]), within(1e-4));
                }
            }
        }
        assertThat(snapshot(runDirectory)).isEqualTo(before);
    }

    @Test
    void episodesGiveTheMeanOfTheEpisodesAccuraciesThroughAdapt()
            throws IOException
    {
        Path episodes = temporary.resolve("episodes");
        writeTask(episodes.resolve("a"), 40, 2, 1, 2);
        writeTask(episodes.resolve("b"), 42, 4, 2, 1);
        writeTask(episodes.resolve("c"), 46, 3, 3, 2);
        Map<String, String> before = snapshot(runDirectory);
        LauncherTest.Result evaluated = LauncherTest.run(DISTRIBUTION, "evaluate", runDirectory.toString(), "--episodes", episodes.toString(),
                "--output", temporary.resolve("evaluation").toString());
        assertThat(evaluated.status()).as(evaluated.err()).isZero();
        assertThat(snapshot(runDirectory)).isEqualTo(before);

        double sum = 0;
        List<String> expected = new ArrayList<>(List.of("episode,ways,support,queries,accuracy"));
        int[][] shapes = {{2, 2, 4}, {4, 8, 4}, {3, 9, 6}};
        String[] names = {"a", "b", "c"};
        for (int e = 0; e < names.length; e++) {
            LauncherTest.Result adapted = LauncherTest.run(DISTRIBUTION, "adapt", runDirectory.toString(), "--support", episodes.resolve(names[e] + "/support").toString(),
                    "--query", episodes.resolve(names[e] + "/query").toString(), "--output", temporary.resolve("adapt-" + names[e]).toString());
            assertThat(adapted.status()).as(adapted.err()).isZero();
            double accuracy = csvAccuracy(temporary.resolve("adapt-" + names[e] + "/predictions.csv"));
            assertThat(accuracy(adapted.out())).isCloseTo(accuracy, within(1e-4));
            sum += accuracy;
            expected.add(String.format(java.util.Locale.ROOT, "%s,%d,%d,%d,%.6f", names[e], shapes[e][0], shapes[e][1], shapes[e][2], accuracy));
        }
        assertThat(Files.readAllLines(temporary.resolve("evaluation/episodes.csv"))).isEqualTo(expected);
        assertThat(evaluated.out()).contains(String.format(java.util.Locale.ROOT, "%6.2f%% ± ", 100 * sum / 3));
        assertThat(evaluated.out()).startsWith("Episodes: 3 from " + episodes + ", 5 inner steps (lr 0.1), head zero, checkpoint at meta-step 8\n");
    }

    @Test
    void theQuerySetIsScoredAgainstTheSupportSetNeverTheOtherWayRound()
            throws IOException
    {
        // support: three glyphs with three drawings each; query: one folder, class a, that holds drawings of glyph b.
        // Scored as a query set against this support set, the pixel 1-NN calls them b: accuracy 0 (swapped, it would
        // call every support image a: 1/3). The network is scored on 3 classes with the query's 3 images, and the
        // episode runs at all only unswapped: a support set of the query's one class is refused (at least 2 classes).
        Path episodes = temporary.resolve("unlike");
        String[] names = {"a", "b", "c"};
        for (int way = 0; way < 3; way++) {
            for (int i = 0; i < 3; i++) {
                writeGlyph(episodes.resolve("e/support/" + names[way] + "/" + i + ".png"), glyphs.classes().get(50 + way), i);
            }
        }
        for (int i = 3; i < 6; i++) {
            writeGlyph(episodes.resolve("e/query/a/" + i + ".png"), glyphs.classes().get(51), i);
        }
        LauncherTest.Result baseline = LauncherTest.run(DISTRIBUTION, "data", "baseline", "--episodes", episodes.toString(), "--set", "data.image-size=14",
                "--set", "runs.directory=" + temporary.resolve("runs"));
        assertThat(baseline.status()).as(baseline.err()).isZero();
        assertThat(baseline.out()).contains("1-nearest neighbour (pixels)    0.00% (one episode: no interval)\n");

        LauncherTest.Result honest = LauncherTest.run(DISTRIBUTION, "adapt", runDirectory.toString(), "--support", episodes.resolve("e/support").toString(),
                "--query", episodes.resolve("e/query").toString(), "--steps", "10", "--output", temporary.resolve("honest").toString());
        assertThat(honest.status()).as(honest.err()).isZero();
        assertThat(honest.out()).contains("Accuracy: ", "(3 query images, chance 33.3%)");
        assertThat(Files.readAllLines(temporary.resolve("honest/predictions.csv")).get(0)).isEqualTo("file,predicted,p(a),p(b),p(c),true");
        LauncherTest.Result evaluated = LauncherTest.run(DISTRIBUTION, "evaluate", runDirectory.toString(), "--episodes", episodes.toString(), "--inner-steps", "10",
                "--output", temporary.resolve("evaluation").toString());
        assertThat(evaluated.status()).as(evaluated.err()).isZero();
        assertThat(Files.readAllLines(temporary.resolve("evaluation/episodes.csv")).get(1)).isEqualTo(String.format(java.util.Locale.ROOT, "e,3,9,3,%.6f", csvAccuracy(temporary.resolve("honest/predictions.csv"))));
    }

    @Test
    void badInputsAreNamedAndNothingIsWrittenIntoTheRun()
            throws IOException
    {
        Map<String, String> before = snapshot(runDirectory);
        Path task = temporary.resolve("task");
        writeTask(task, 10, 2, 1, 1);
        Path missing = temporary.resolve("missing");
        assertError(new String[] {"adapt", runDirectory.toString(), "--support", missing.toString(), "--query", task.resolve("query").toString()},
                "Support folder [" + missing + "] does not exist or is not a folder");
        Files.createDirectories(task.resolve("stranger/glyph-99"));
        writeGlyph(task.resolve("stranger/glyph-99/0.png"), glyphs.classes().get(0), 0);
        assertError(new String[] {"adapt", runDirectory.toString(), "--support", task.resolve("support").toString(), "--query", task.resolve("stranger").toString()},
                "Query class [glyph-99] (" + task.resolve("stranger/glyph-99") + ") is not a class of the support set; its classes: glyph-10, glyph-11");
        Files.write(task.resolve("support/glyph-11/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        assertError(new String[] {"adapt", runDirectory.toString(), "--support", task.resolve("support").toString(), "--query", task.resolve("query").toString()},
                "Cannot decode image [" + task.resolve("support/glyph-11/broken.png") + "]: not a PNG or JPEG image");
        Files.delete(task.resolve("support/glyph-11/broken.png"));
        assertError(new String[] {"adapt", runDirectory.toString(), "--support", task.resolve("support").toString()},
                "Nothing to do: give --query to predict images, --save to keep the adapted network, or both");
        assertError(new String[] {"adapt", runDirectory.toString(), "--support", task.resolve("support").toString(), "--query", task.resolve("query").toString(), "--head-init", "random"},
                "Unknown value [random] for --head-init; expected one of zero, mean-row, meta-trained");
        assertError(new String[] {"adapt", runDirectory.toString(), "--support", task.resolve("support").toString(), "--query", task.resolve("query").toString(), "--output",
                runDirectory.toString()}, "Output folder [" + runDirectory + "] is not empty; expected a new or empty folder");
        assertError(new String[] {"evaluate", runDirectory.toString(), "--episodes", task.toString()},
                "Episode [" + task.resolve("query") + "] has no support folder; expected " + task.resolve("query/support") + "/<class>/<image>");
        assertError(new String[] {"predict", task.toString(), task.resolve("query").toString()},
                "[" + task + "] is not a saved model: " + task.resolve("model.json") + " does not exist");
        assertThat(snapshot(runDirectory)).isEqualTo(before);
    }

    private static void assertError(String[] args, String message)
    {
        LauncherTest.Result result = LauncherTest.run(DISTRIBUTION, args);
        assertThat(result.status()).as(result.out()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: " + message + "\n");
    }
}
