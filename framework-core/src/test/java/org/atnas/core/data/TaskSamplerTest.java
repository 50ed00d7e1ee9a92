package org.atnas.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.atnas.api.ImageShape;
import org.atnas.api.Task;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskSamplerTest
{
    private static final ImageShape SHAPE = new ImageShape(1, 2, 2);

    /** Class c holds images whose 4 pixels are all {@code c * 10 + i} (i the image index), so a float says where it came from. */
    private static List<ImageClass> classes(int count, int images)
    {
        List<ImageClass> classes = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            byte[] pixels = new byte[images * 4];
            for (int i = 0; i < images; i++) {
                Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) (c * 10 + i));
            }
            classes.add(new ImageClass("c" + c, "g" + c, SHAPE, pixels));
        }
        return classes;
    }

    private static final Normalization RAW = new Normalization(new float[] {0}, new float[] {1 / 255f});

    @Test
    void tasksHaveNWaysKShotsQQueriesAndShuffledLabels()
    {
        TaskSampler sampler = new TaskSampler("meta-train", classes(20, 9), RAW, 5, 2, 3);
        Set<String> labelOrders = new HashSet<>();
        for (long seed = 0; seed < 500; seed++) {
            TaskSampler.LabelledTask labelled = sampler.sampleWithClasses(seed);
            Task task = labelled.task();
            assertThat(task.support().size()).isEqualTo(10);
            assertThat(task.query().size()).isEqualTo(15);
            int[] supportCount = new int[5];
            int[] queryCount = new int[5];
            Set<Integer> used = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                int label = task.support().labels()[i];
                supportCount[label]++;
                int value = Math.round(task.support().pixels()[i * 4]);
                assertThat(value / 10).isEqualTo(Integer.parseInt(labelled.classOfLabel().get(label).name().substring(1)));
                assertThat(used.add(value)).isTrue();
            }
            for (int i = 0; i < 15; i++) {
                int label = task.query().labels()[i];
                queryCount[label]++;
                int value = Math.round(task.query().pixels()[i * 4]);
                assertThat(value / 10).isEqualTo(Integer.parseInt(labelled.classOfLabel().get(label).name().substring(1)));
                // support and query never share an image
                assertThat(used.add(value)).isTrue();
            }
            assertThat(supportCount).containsOnly(2);
            assertThat(queryCount).containsOnly(3);
            assertThat(new HashSet<>(labelled.classOfLabel())).hasSize(5);
            labelOrders.add(Arrays.toString(task.support().labels()));
        }
        assertThat(labelOrders.size()).isGreaterThan(100);
    }

    @Test
    void aSeedDeterminesTheTask()
    {
        TaskSampler sampler = new TaskSampler("meta-train", classes(30, 6), RAW, 5, 1, 2);
        Task first = sampler.sample(42);
        Task again = sampler.sample(42);
        assertThat(again.support().pixels()).containsExactly(first.support().pixels());
        assertThat(again.query().labels()).containsExactly(first.query().labels());
        assertThat(sampler.sample(43).support().pixels()).isNotEqualTo(first.support().pixels());
    }

    @Test
    void settingsTheDataCannotServe()
    {
        assertThatThrownBy(() -> new TaskSampler("meta-test", classes(3, 20), RAW, 5, 1, 15))
                .isInstanceOf(DataException.class)
                .hasMessage("The meta-test split has 3 classes, fewer than the 5 ways of a task");
        List<ImageClass> classes = new ArrayList<>(classes(6, 20));
        classes.set(4, new ImageClass("Sanskrit/character05", "Sanskrit", SHAPE, new byte[12 * 4]));
        assertThatThrownBy(() -> new TaskSampler("meta-test", classes, RAW, 5, 1, 15))
                .hasMessage("Class Sanskrit/character05 has 12 images, but a 1-shot 15-query task needs 16 per class");
    }

    @Test
    void poolShardsAreDisjointAndCoverThePool()
    {
        TaskPool pool = new TaskPool(new TaskSampler("meta-train", classes(10, 5), RAW, 3, 1, 1), 10, 3);
        List<Integer> all = new ArrayList<>();
        for (int worker = 0; worker < 3; worker++) {
            all.addAll(pool.shard(worker, 3));
        }
        assertThat(all).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(pool.shard(1, 3)).containsExactly(1, 4, 7);
        assertThat(pool.task(4).seed()).isEqualTo(pool.seed(4));
        assertThat(new TaskPool(new TaskSampler("meta-train", classes(10, 5), RAW, 3, 1, 1), 10, 3).seed(9)).isEqualTo(pool.seed(9));
        assertThatThrownBy(() -> pool.shard(0, 11)).hasMessage("A pool of 10 tasks cannot feed 11 workers");
    }

    @Test
    void splitsNeverShareAClassAndKeepGroupsWhole()
    {
        List<ImageClass> list = new ArrayList<>();
        for (int c = 0; c < 40; c++) {
            list.add(new ImageClass("alphabet" + c / 4 + "/character" + c, "alphabet" + c / 4, SHAPE, new byte[4 * 3]));
        }
        ImageDataset dataset = new ImageDataset("test", SHAPE, Normalization.unit(1), list);
        for (long seed = 0; seed < 50; seed++) {
            ClassSplit split = ClassSplit.byFractions(dataset, 0.6, 0.2, seed).withTrainRotations();
            Set<String> trainGroups = new HashSet<>();
            split.train().forEach(c -> trainGroups.add(c.group()));
            Set<String> testGroups = new HashSet<>();
            split.test().forEach(c -> testGroups.add(c.group()));
            assertThat(trainGroups).doesNotContainAnyElementsOf(testGroups);
            assertThat(split.train()).hasSize(6 * 4 * 4);
            assertThat(split.validation()).hasSize(2 * 4);
            assertThat(split.test()).hasSize(2 * 4);
        }
        assertThat(ClassSplit.byFractions(dataset, 0.6, 0.2, 1).describe().get("meta-test")).isEqualTo(ClassSplit.byFractions(dataset, 0.6, 0.2, 1).describe().get("meta-test"));
        assertThatThrownBy(() -> ClassSplit.byNames(dataset, List.of("alphabet1"), List.of("Klingon")))
                .hasMessage("Split names [Klingon], which is neither a group nor a class of test; groups: [alphabet0, alphabet1, alphabet2, alphabet3, alphabet4, alphabet5, alphabet6, alphabet7, alphabet8, alphabet9]");
        assertThatThrownBy(() -> new ClassSplit(list.subList(0, 2), list.subList(1, 3), List.of()))
                .hasMessage("Class alphabet0/character1 is in two splits");
    }

    @Test
    void baselinesOnSeparableAndOnNoisyClasses()
    {
        // every image of a class is the same: 1-NN and the class mean are always right
        List<ImageClass> constant = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            byte[] pixels = new byte[10 * 4];
            Arrays.fill(pixels, (byte) (c * 30));
            constant.add(new ImageClass("c" + c, "c" + c, SHAPE, pixels));
        }
        FewShotBaseline.Result perfect = FewShotBaseline.evaluate(new TaskSampler("meta-test", constant, Normalization.unit(1), 5, 1, 5), 50, 1);
        assertThat(perfect.nearestNeighbour().mean()).isEqualTo(1.0);
        assertThat(perfect.nearestNeighbour().confidence95()).isZero();
        assertThat(perfect.nearestClassMean().mean()).isEqualTo(1.0);
        // images unrelated to their class: chance level (20%)
        List<ImageClass> noise = new ArrayList<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        for (int c = 0; c < 20; c++) {
            byte[] pixels = new byte[20 * 4];
            random.nextBytes(pixels);
            noise.add(new ImageClass("n" + c, "n" + c, SHAPE, pixels));
        }
        FewShotBaseline.Result chance = FewShotBaseline.evaluate(new TaskSampler("meta-test", noise, Normalization.unit(1), 5, 1, 15), 600, 2);
        assertThat(chance.nearestNeighbour().mean()).isBetween(0.17, 0.23);
        // per task the accuracy of 75 guesses has a standard deviation of about sqrt(0.2 * 0.8 / 75) = 0.046: 1.96 * 0.046 / sqrt(600) = 0.0037
        assertThat(chance.nearestNeighbour().confidence95()).isBetween(0.003, 0.0045);
    }
}
