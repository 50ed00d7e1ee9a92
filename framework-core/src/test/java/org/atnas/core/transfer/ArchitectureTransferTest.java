package org.atnas.core.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.ImageShape;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Population;
import org.atnas.api.SupernetState;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;
import org.atnas.conformance.QuadraticBackend;
import org.atnas.conformance.QuadraticBackend.QuadraticSupernet;
import org.atnas.core.data.Augmentation;
import org.atnas.core.data.ImageClass;
import org.atnas.core.data.ImageDataset;
import org.atnas.core.data.LabelledImages;
import org.atnas.core.data.Normalization;
import org.atnas.core.search.Checkpoint;
import org.atnas.evolution.ga.GeneticEvolver;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Algorithm 3 on the hand-computable backend: the loss of a subnet is ½ Σ (w − c)² over its weights, c the batch's mean pixel. */
class ArchitectureTransferTest
{
    private static final DartsSearchSpace SPACE = new DartsSearchSpace(2, 2, 1);
    private static final ImageShape SHAPE = new ImageShape(1, 4, 4);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    /** 2 classes of 6 images; image i of class c has every pixel (40 c + 3 i) / 255. */
    private static LabelledImages images()
    {
        List<ImageClass> classes = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            byte[] pixels = new byte[6 * SHAPE.size()];
            for (int image = 0; image < 6; image++) {
                java.util.Arrays.fill(pixels, image * SHAPE.size(), (image + 1) * SHAPE.size(), (byte) (c * 40 + 3 * image));
            }
            classes.add(new ImageClass("c" + c, "c" + c, SHAPE, pixels));
        }
        return LabelledImages.of(new ImageDataset("toy", SHAPE, Normalization.unit(1), classes), Normalization.unit(1));
    }

    private static TransferPlan plan(int population, int finalEpochs, int batchSize)
    {
        return new TransferPlan(population, 1, finalEpochs, batchSize, 0.01, 0.0, 0, Augmentation.NONE, 4, 7);
    }

    private static Population population(int size, long seed)
    {
        Set<ArchitectureCode> codes = new LinkedHashSet<>();
        SplittableRandom random = new SplittableRandom(seed);
        while (codes.size() < size) {
            codes.add(SPACE.sample(random));
        }
        return Population.ofCodes(List.copyOf(codes));
    }

    private ArchitectureTransfer transfer(TransferPlan plan, QuadraticSupernet supernet, Population initial, Optional<Checkpoint> resume, Path run, BooleanSupplier stop)
    {
        LabelledImages images = images();
        int[] training = {0, 1, 2, 3, 4, 6, 7, 8, 9, 10};
        int[] validation = {5, 11};
        return new ArchitectureTransfer(plan, SPACE, new GeneticEvolver(0.25, 0.5, 0.5), supernet, code -> SPACE.describe(code, SHAPE, 2), images, training, validation, images,
                initial, resume, run, Map.of("seed", "7"), Map.of(), stop);
    }

    private static QuadraticSupernet supernet()
    {
        return new QuadraticBackend(false).createSupernet(SPACE.describeSupernet(SHAPE, 2), MetaUpdate.adam(0.01), 3);
    }

    private static final ArchitectureTransfer.Listener SILENT = new ArchitectureTransfer.Listener()
    {
        @Override
        public void batch(ArchitectureTransfer.BatchProgress progress) {}

        @Override
        public void evolution(int evolution, Population evaluated) {}

        @Override
        public void checkpoint(Path folder) {}
    };

    @Test
    void theSupernetStepsOnTheMeanOfTheSubnetsGradientsMaskedByTheirArchitectures()
    {
        QuadraticSupernet supernet = supernet();
        SupernetState before = supernet.state();
        Population two = population(2, 1);
        // one mini-batch of all 10 training images: c = their mean pixel
        transfer(plan(2, 0, 10), supernet, two, Optional.empty(), directory, () -> false).run(SILENT);
        assertThat(supernet.updates()).isEqualTo(1);
        double c = 0;
        for (int image : new int[] {0, 1, 2, 3, 4}) {
            c += 3 * image / 255.0;
        }
        for (int image : new int[] {0, 1, 2, 3, 4}) {
            c += (40 + 3 * image) / 255.0;
        }
        c /= 10;
        List<Set<String>> used = new ArrayList<>();
        for (ArchitectureCode code : two.codes()) {
            Set<String> names = new LinkedHashSet<>();
            SPACE.describe(code, SHAPE, 2).parameters().forEach(parameter -> names.add(parameter.name()));
            used.add(names);
        }
        Map<String, double[]> mean = supernet.lastMeanGradient();
        int unused = 0;
        for (ParameterSpec parameter : supernet.description().parameters()) {
            String name = parameter.name();
            long users = used.stream().filter(names -> names.contains(name)).count();
            if (users == 0) {
                assertThat(mean).as(name).doesNotContainKey(name);
                assertThat(supernet.state().parameters().get(name)).as(name).containsExactly(before.parameters().get(name));
                unused++;
                continue;
            }
            float[] start = before.parameters().get(name);
            for (int i = 0; i < start.length; i++) {
                // dW = 1/P Σ (w − c) ⊙ A_i: the full gradient where both subnets use the weight, half of it where one does
                assertThat(mean.get(name)[i]).as(name).isCloseTo((start[i] - c) * users / 2, within(1e-6));
            }
        }
        assertThat(unused).isPositive();
    }

    @Test
    void thePopulationHalvesUntilTheBestMeasuredIsLeftAndIsTested()
            throws IOException
    {
        ArchitectureTransfer transfer = transfer(plan(8, 1, 5), supernet(), population(8, 2), Optional.empty(), directory, () -> false);
        assertThat(transfer.run(SILENT)).isEqualTo(ArchitectureTransfer.Outcome.FINISHED);
        ArchitectureTransfer.Result result = transfer.test();
        transfer.closeMetrics();
        List<JsonNode> evolutions = lines("transfer-evolution");
        assertThat(evolutions.stream().map(line -> line.get("population").asInt())).containsExactly(8, 4, 2);
        for (int e = 0; e + 1 < evolutions.size(); e++) {
            // the next population keeps the best quarter of its size: ⌈(K/2)/4⌉ of the best measured
            int kept = (evolutions.get(e).get("population").asInt() / 2 + 3) / 4;
            List<String> nextCodes = new ArrayList<>();
            evolutions.get(e + 1).get("individuals").forEach(member -> nextCodes.add(member.get("code").asText()));
            for (int rank = 0; rank < kept; rank++) {
                assertThat(nextCodes).contains(evolutions.get(e).get("individuals").get(rank).get("code").asText());
            }
        }
        JsonNode last = evolutions.get(2);
        assertThat(result.code().format()).isEqualTo(last.get("best").asText());
        assertThat(last.get("individuals").get(0).get("accuracy").asDouble()).isGreaterThanOrEqualTo(last.get("individuals").get(1).get("accuracy").asDouble());
        assertThat(lines("transfer-epoch").stream().map(line -> line.get("population").asInt())).containsExactly(8, 4, 2, 1);
        assertThat(lines("transfer-test")).singleElement().satisfies(line -> assertThat(line.get("images").asInt()).isEqualTo(12));
        assertThat(result.test().images()).isEqualTo(12);
    }

    @Test
    void aResumedTransferEndsAsAnUninterruptedOne()
            throws IOException
    {
        Path whole = directory.resolve("whole");
        Path parts = directory.resolve("parts");
        Files.createDirectories(whole);
        Files.createDirectories(parts);
        QuadraticSupernet uninterrupted = supernet();
        ArchitectureTransfer first = transfer(plan(4, 2, 5), uninterrupted, population(4, 5), Optional.empty(), whole, () -> false);
        first.run(SILENT);
        first.closeMetrics();

        // stops before its third epoch (the stop is asked before every epoch and after every mini-batch but the last of one)
        AtomicInteger asked = new AtomicInteger();
        QuadraticSupernet stopped = supernet();
        ArchitectureTransfer part = transfer(plan(4, 2, 5), stopped, population(4, 5), Optional.empty(), parts, () -> asked.incrementAndGet() > 4);
        assertThat(part.run(SILENT)).isEqualTo(ArchitectureTransfer.Outcome.STOPPED);
        part.closeMetrics();
        assertThat(part.epoch()).isEqualTo(2);

        Checkpoint checkpoint = Checkpoint.readLatest(parts);
        QuadraticSupernet resumed = supernet();
        resumed.restore(checkpoint.state());
        ArchitectureTransfer rest = transfer(plan(4, 2, 5), resumed, null, Optional.of(checkpoint), parts, () -> false);
        assertThat(rest.run(SILENT)).isEqualTo(ArchitectureTransfer.Outcome.FINISHED);
        rest.closeMetrics();

        assertThat(rest.population()).isEqualTo(first.population());
        assertThat(rest.evolution()).isEqualTo(first.evolution());
        SupernetState expected = uninterrupted.state();
        resumed.state().parameters().forEach((name, values) -> {
            for (int i = 0; i < values.length; i++) {
                // the checkpoint keeps floats, the hand-computable backend doubles
                assertThat(values[i]).as(name).isCloseTo(expected.parameters().get(name)[i], within(1e-5f));
            }
        });
        assertThat(evolutionCodes(parts)).isEqualTo(evolutionCodes(whole));
    }

    @Test
    void aSearchsSupernetOfOtherChannelsIsRefusedAndTheClassifierStartsFresh()
    {
        NetworkDescription grey = SPACE.describeSupernet(SHAPE, 2);
        NetworkDescription colour = SPACE.describeSupernet(new ImageShape(3, 4, 4), 5);
        SupernetState search = new QuadraticBackend(false).createSupernet(grey, MetaUpdate.adam(0.01), 1).state();
        SupernetState fresh = new QuadraticBackend(false).createSupernet(colour, MetaUpdate.adam(0.01), 2).state();
        String stem = colour.parameters().get(0).name();
        assertThatThrownBy(() -> TransferRun.inherited(search, fresh, colour, "cifar10"))
                .hasMessage("The search's supernet does not fit cifar10 images of " + colour.input() + ": parameter " + stem + " has " + search.parameters().get(stem).length
                        + " values in the search, " + fresh.parameters().get(stem).length + " here; transfer to images with the search's number of channels");

        NetworkDescription tenClasses = SPACE.describeSupernet(SHAPE, 10);
        SupernetState target = new QuadraticBackend(false).createSupernet(tenClasses, MetaUpdate.adam(0.01), 2).state();
        SupernetState inherited = TransferRun.inherited(search, target, tenClasses, "fashion-mnist");
        inherited.parameters().forEach((name, values) -> assertThat(values).as(name)
                .containsExactly(name.startsWith(NetworkDescription.CLASSIFIER_PREFIX) ? target.parameters().get(name) : search.parameters().get(name)));
    }

    @Test
    void theValidationSplitIsSeededDisjointAndLeavesImagesToTrainOn()
    {
        TransferRun.Split split = TransferRun.Split.draw(4, 100, 20);
        assertThat(split.validation()).hasSize(20).doesNotContain(split.training());
        assertThat(split.training()).hasSize(80);
        assertThat(TransferRun.Split.draw(4, 100, 20).validation()).containsExactly(split.validation());
        assertThat(TransferRun.Split.draw(5, 100, 20).validation()).isNotEqualTo(split.validation());
        assertThatThrownBy(() -> TransferRun.Split.draw(4, 100, 99))
                .hasMessage("Invalid value [99] for key [transfer.validation-images]: the training set has 100 images, at least 2 must be left to train on");
    }

    @Test
    void theLearningRateIsConstantDuringTheEvolutionsThenACosine()
    {
        TransferPlan plan = new TransferPlan(8, 2, 4, 16, 0.1, 0, 0, Augmentation.NONE, 8, 1);
        assertThat(plan.evolutions()).isEqualTo(3);
        assertThat(plan.totalEpochs()).isEqualTo(10);
        assertThat(plan.populationAt(0)).isEqualTo(8);
        assertThat(plan.populationAt(5)).isEqualTo(2);
        assertThat(plan.populationAt(6)).isEqualTo(1);
        assertThat(plan.workBefore(10)).isEqualTo(2 * (8 + 4 + 2) + 4);
        assertThat(plan.learningRateAt(5, 0.9)).isEqualTo(0.1);
        assertThat(plan.learningRateAt(6, 0)).isEqualTo(0.1);
        assertThat(plan.learningRateAt(8, 0)).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void theTestIntervalIsWilsons()
    {
        TestAccuracy test = new TestAccuracy(9300, 10000);
        assertThat(test.accuracy()).isEqualTo(0.93);
        // Wilson 95%: 0.93 ± 0.0050 for n = 10,000
        assertThat(test.low()).isCloseTo(0.92487, within(1e-4));
        assertThat(test.high()).isCloseTo(0.93487, within(1e-4));
    }

    private List<JsonNode> lines(String type)
            throws IOException
    {
        return lines(directory, type);
    }

    private static List<JsonNode> lines(Path run, String type)
            throws IOException
    {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode node = JSON.readTree(line);
            if (node.get("type").asText().equals(type)) {
                lines.add(node);
            }
        }
        return lines;
    }

    private static List<String> evolutionCodes(Path run)
            throws IOException
    {
        List<String> codes = new ArrayList<>();
        for (JsonNode line : lines(run, "transfer-evolution")) {
            line.get("individuals").forEach(member -> codes.add(member.get("code").asText() + "=" + member.get("accuracy").asText()));
        }
        return codes;
    }
}
