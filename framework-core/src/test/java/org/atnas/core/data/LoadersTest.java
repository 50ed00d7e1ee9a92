package org.atnas.core.data;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LoadersTest
{
    @TempDir
    Path directory;

    @Test
    void imageFolderResizesEveryImageAndKeepsClassesApart()
    {
        for (int i = 0; i < 3; i++) {
            Fixtures.write(directory.resolve("cats/" + i + ".png"), Fixtures.png(40, 0, 0, 20, Color.RED));
            Fixtures.write(directory.resolve("dogs/" + i + ".png"), Fixtures.png(60, 30, 30, 30, Color.BLUE));
        }
        ImageDataset dataset = FolderDatasets.imageFolder(directory, 8, 3);
        assertThat(dataset.classes()).extracting(ImageClass::name).containsExactly("cats", "dogs");
        assertThat(dataset.classes()).extracting(ImageClass::size).containsExactly(3, 3);
        ImageClass cats = dataset.classes().get(0);
        // red square in the top-left quarter: red everywhere, green and blue only outside it
        assertThat(cats.pixel(0, 0, 0, 0)).isEqualTo(255);
        assertThat(cats.pixel(0, 1, 0, 0)).isEqualTo(0);
        assertThat(cats.pixel(0, 1, 7, 7)).isEqualTo(255);
        ImageClass dogs = dataset.classes().get(1);
        assertThat(dogs.pixel(0, 2, 7, 7)).isEqualTo(255);
        assertThat(dogs.pixel(0, 0, 7, 7)).isEqualTo(0);
        assertThat(dataset.normalization().mean()[0]).isBetween(0.6f, 0.9f);
    }

    @Test
    void imageFolderErrorsNameTheFolderOrFile()
            throws IOException
    {
        Fixtures.write(directory.resolve("cats/0.png"), Fixtures.png(8, 0, 0, 4, Color.BLACK));
        Files.createDirectories(directory.resolve("empty"));
        assertThatThrownBy(() -> FolderDatasets.imageFolder(directory, 8, 1))
                .isInstanceOf(DataException.class)
                .hasMessage("Class folder [" + directory.resolve("empty") + "] holds no image (.png, .jpg, .jpeg)");
        Files.delete(directory.resolve("empty"));
        Fixtures.write(directory.resolve("cats/1.png"), "not a picture".getBytes());
        assertThatThrownBy(() -> FolderDatasets.imageFolder(directory, 8, 1))
                .hasMessage("Cannot decode image [" + directory.resolve("cats/1.png") + "]: not a PNG or JPEG image");
        assertThatThrownBy(() -> FolderDatasets.imageFolder(directory.resolve("nowhere"), 8, 1))
                .hasMessage("Data path [" + directory.resolve("nowhere") + "] does not exist");
    }

    @Test
    void omniglotFromZipsHasInkOneAndMergesRepeatedCharacters()
    {
        Map<String, byte[]> first = new LinkedHashMap<>();
        Map<String, byte[]> second = new LinkedHashMap<>();
        for (int i = 1; i <= 4; i++) {
            byte[] stroke = Fixtures.png(105, 0, 0, 53, Color.BLACK);
            first.put("images_background_a/Greek/character01/0001_0" + i + ".png", stroke);
            second.put("images_background_b/Greek/character01/0001_0" + i + ".png", stroke);
            second.put("images_background_b/Tagalog/character02/0002_0" + i + ".png", Fixtures.png(105, 52, 52, 53, Color.BLACK));
        }
        Path a = Fixtures.zip(directory.resolve("a.zip"), first);
        Path b = Fixtures.zip(directory.resolve("b.zip"), second);
        ImageDataset dataset = FolderDatasets.omniglot(List.of(a, b), 28);
        assertThat(dataset.classes()).extracting(ImageClass::name).containsExactly("Greek/character01", "Tagalog/character02");
        assertThat(dataset.classes()).extracting(ImageClass::size).containsExactly(4, 4);
        assertThat(dataset.groups()).containsExactly("Greek", "Tagalog");
        ImageClass greek = dataset.classes().get(0);
        // black (ink) top-left: 53 of 105 pixels is 14.13 of 28, so pixel 13 is full ink, 14 partly, 15 none
        assertThat(greek.pixel(0, 0, 0, 0)).isEqualTo(255);
        assertThat(greek.pixel(0, 0, 13, 13)).isEqualTo(255);
        assertThat(greek.pixel(0, 0, 15, 15)).isZero();
        float[] floats = new float[28 * 28];
        greek.read(0, dataset.normalization(), floats, 0);
        assertThat(floats[0]).isEqualTo(1.0f);
        assertThat(floats[27 * 28 + 27]).isEqualTo(0.0f);
        // a quarter turn counter-clockwise moves the top-left square to the bottom-left
        ImageClass turned = greek.rotated(1);
        assertThat(turned.name()).isEqualTo("Greek/character01@90");
        assertThat(turned.pixel(0, 0, 27, 0)).isEqualTo(255);
        assertThat(turned.pixel(0, 0, 0, 0)).isZero();
    }

    @Test
    void zipSlipIsRefused()
    {
        Path evil = Fixtures.zip(directory.resolve("evil.zip"), Map.of("images_background/../../outside/character01/x.png", Fixtures.png(8, 0, 0, 4, Color.BLACK)));
        assertThatThrownBy(() -> FolderDatasets.omniglot(List.of(evil), 28))
                .hasMessage("Zip entry [images_background/../../outside/character01/x.png] in [" + evil + "] would escape the archive's folder; refusing the archive");
        Path absolute = Fixtures.zip(directory.resolve("absolute.zip"), Map.of("/etc/character01/x.png", Fixtures.png(8, 0, 0, 4, Color.BLACK)));
        assertThatThrownBy(() -> FolderDatasets.omniglot(List.of(absolute), 28))
                .hasMessage("Zip entry [/etc/character01/x.png] in [" + absolute + "] would escape the archive's folder; refusing the archive");
    }

    @Test
    void corruptImageInAZipNamesTheEntry()
    {
        Path zip = Fixtures.zip(directory.resolve("bad.zip"), Map.of("bg/Greek/character01/1.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2}));
        assertThatThrownBy(() -> FolderDatasets.omniglot(List.of(zip), 28))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("Cannot decode image [" + zip + "!bg/Greek/character01/1.png]: ");
    }

    @Test
    void sharedOmniglotSubsets()
    {
        Path first = Fixtures.sharedOmniglot("images_background_small1.zip");
        Path second = Fixtures.sharedOmniglot("images_background_small2.zip");
        ImageDataset dataset = FolderDatasets.omniglot(List.of(first, second), 28);
        assertThat(dataset.classes()).hasSize(242);
        assertThat(dataset.imageCount()).isEqualTo(4_840);
        assertThat(dataset.groups()).containsExactlyInAnyOrder("Balinese", "Early_Aramaic", "Greek", "Korean", "Latin", "Japanese_(katakana)", "Sanskrit", "Tagalog");
        ClassSplit all = ClassSplit.byNames(dataset, List.of(), List.of()).withTrainRotations();
        assertThat(all.train()).hasSize(968);
        ClassSplit protocol = ClassSplit.byNames(dataset, List.of("Early_Aramaic"), List.of("Sanskrit", "Tagalog")).withTrainRotations();
        assertThat(protocol.validation()).hasSize(22);
        assertThat(protocol.test()).hasSize(59);
        assertThat(protocol.train()).hasSize(4 * (242 - 22 - 59));
        // strokes are thin: a character is mostly background
        double ink = 0;
        ImageClass imageClass = dataset.classes().get(0);
        for (int row = 0; row < 28; row++) {
            for (int column = 0; column < 28; column++) {
                ink += imageClass.pixel(0, 0, row, column) / 255.0;
            }
        }
        assertThat(ink / 784).isBetween(0.03, 0.35);
    }

    @Test
    void miniImageNetReadsItsCsvsAsTheSplit()
            throws IOException
    {
        Path root = directory.resolve("mini");
        StringBuilder[] csv = {new StringBuilder("filename,label\n"), new StringBuilder("filename,label\n"), new StringBuilder("filename,label\n")};
        String[] labels = {"n01", "n02", "n03"};
        for (int split = 0; split < 3; split++) {
            for (int i = 0; i < 2; i++) {
                String name = labels[split] + "_" + i + ".png";
                Fixtures.write(root.resolve("images/" + name), Fixtures.png(84, 0, 0, 42, split == 0 ? Color.RED : Color.GREEN));
                csv[split].append(name).append(',').append(labels[split]).append('\n');
            }
        }
        Files.writeString(root.resolve("train.csv"), csv[0]);
        Files.writeString(root.resolve("val.csv"), csv[1]);
        Files.writeString(root.resolve("test.csv"), csv[2]);
        ImageDataset dataset = MiniImageNet.load(root, 84);
        assertThat(dataset.shape().toString()).isEqualTo("3x84x84");
        assertThat(dataset.classes()).extracting(ImageClass::group).containsExactly("train", "val", "test");
        ClassSplit split = ClassSplit.byNames(dataset, List.of("val"), List.of("test"));
        assertThat(split.train()).extracting(ImageClass::name).containsExactly("n01");

        Files.writeString(root.resolve("val.csv"), "filename,label\nn02_0.png,n02\nmissing.jpg,n02\n");
        assertThatThrownBy(() -> MiniImageNet.load(root, 84))
                .hasMessage("[" + root.resolve("val.csv") + "] line 3 names image [missing.jpg], which is not in [" + root.resolve("images") + "]");
    }

    @Test
    void idxPlainAndGzipped()
            throws IOException
    {
        byte[][] images = {new byte[16], new byte[16], new byte[16]};
        images[1][5] = (byte) 200;
        writeIdx(Files.newOutputStream(directory.resolve("train-images-idx3-ubyte")), Files.newOutputStream(directory.resolve("train-labels-idx1-ubyte")), images, new int[] {3, 7, 3});
        writeIdx(new GZIPOutputStream(Files.newOutputStream(directory.resolve("t10k-images-idx3-ubyte.gz"))), new GZIPOutputStream(Files.newOutputStream(directory.resolve("t10k-labels-idx1-ubyte.gz"))), images, new int[] {7, 7, 3});
        ImageDataset dataset = BinaryDatasets.idx(directory, 4);
        assertThat(dataset.classes()).extracting(ImageClass::name).containsExactly("3", "7");
        assertThat(dataset.classes()).extracting(ImageClass::size).containsExactly(3, 3);
        // files are read in name order (t10k before train); class 7 gets t10k's images 0 and 1, then train's image 1, whose pixel 5 is (1, 1)
        assertThat(dataset.classes().get(1).pixel(0, 0, 1, 1)).isZero();
        assertThat(dataset.classes().get(1).pixel(1, 0, 1, 1)).isEqualTo(200);
        assertThat(dataset.classes().get(1).pixel(2, 0, 1, 1)).isEqualTo(200);

        Files.write(directory.resolve("bad-images-idx3-ubyte"), new byte[] {0, 0, 8, 1});
        Files.write(directory.resolve("bad-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1});
        assertThatThrownBy(() -> BinaryDatasets.idx(directory, 4))
                .hasMessage("[" + directory.resolve("bad-images-idx3-ubyte") + "] is not an IDX image file: magic number 0x801, expected 0x803");
    }

    static void writeIdx(OutputStream imageStream, OutputStream labelStream, byte[][] images, int[] labels)
            throws IOException
    {
        try (DataOutputStream imageOut = new DataOutputStream(imageStream); DataOutputStream labelOut = new DataOutputStream(labelStream)) {
            imageOut.writeInt(0x803);
            imageOut.writeInt(images.length);
            imageOut.writeInt(4);
            imageOut.writeInt(4);
            labelOut.writeInt(0x801);
            labelOut.writeInt(labels.length);
            for (int i = 0; i < images.length; i++) {
                imageOut.write(images[i]);
                labelOut.writeByte(labels[i]);
            }
        }
    }

    @Test
    void cifar10Batches()
            throws IOException
    {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int record = 0; record < 4; record++) {
            batch.write(record % 2);
            byte[] image = new byte[3072];
            // red plane full for label 0, blue plane full for label 1
            java.util.Arrays.fill(image, record % 2 == 0 ? 0 : 2048, record % 2 == 0 ? 1024 : 3072, (byte) 255);
            batch.write(image);
        }
        Files.write(directory.resolve("data_batch_1.bin"), batch.toByteArray());
        Files.writeString(directory.resolve("batches.meta.txt"), "airplane\nautomobile\n\n");
        ImageDataset dataset = BinaryDatasets.cifar10(directory, 32);
        assertThat(dataset.classes()).extracting(ImageClass::name).containsExactly("airplane", "automobile");
        assertThat(dataset.classes().get(0).pixel(1, 0, 31, 31)).isEqualTo(255);
        assertThat(dataset.classes().get(1).pixel(1, 0, 31, 31)).isZero();
        assertThat(dataset.classes().get(1).pixel(0, 2, 5, 5)).isEqualTo(255);
        Files.write(directory.resolve("data_batch_2.bin"), new byte[100]);
        assertThatThrownBy(() -> BinaryDatasets.cifar10(directory, 32))
                .hasMessage("[" + directory.resolve("data_batch_2.bin") + "] is 100 bytes, not a whole number of 3073-byte CIFAR-10 records");
    }

    @Test
    void areaResizeAveragesCoveredPixels()
    {
        float[] source = {0, 4, 8, 12, 0, 4, 8, 12, 16, 16, 16, 16, 16, 16, 16, 16};
        assertThat(Images.resizeArea(source, 4, 4, 2, 2)).containsExactly(2f, 10f, 16f, 16f);
        float[] constant = new float[105 * 105];
        java.util.Arrays.fill(constant, 100f);
        for (float value : Images.resizeArea(constant, 105, 105, 28, 28)) {
            assertThat(value).isCloseTo(100f, within(1e-3f));
        }
    }

    @Test
    void glyphsAreDeterministicPerSeed()
    {
        ImageDataset first = new Glyphs(6, 4, 28, 7, 0.04, 15, 0.12).generate();
        ImageDataset again = new Glyphs(6, 4, 28, 7, 0.04, 15, 0.12).generate();
        ImageDataset other = new Glyphs(6, 4, 28, 8, 0.04, 15, 0.12).generate();
        float[] a = new float[28 * 28 * 4];
        float[] b = new float[28 * 28 * 4];
        float[] c = new float[28 * 28 * 4];
        for (int i = 0; i < 4; i++) {
            first.classes().get(5).read(i, first.normalization(), a, i * 784);
            again.classes().get(5).read(i, again.normalization(), b, i * 784);
            other.classes().get(5).read(i, other.normalization(), c, i * 784);
        }
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
        // a class's images do not depend on how many classes are drawn
        ImageDataset more = new Glyphs(9, 4, 28, 7, 0.04, 15, 0.12).generate();
        float[] d = new float[28 * 28 * 4];
        for (int i = 0; i < 4; i++) {
            more.classes().get(5).read(i, more.normalization(), d, i * 784);
        }
        assertThat(d).containsExactly(a);
        double ink = 0;
        for (float value : a) {
            ink += value;
        }
        assertThat(ink / a.length).isBetween(0.05, 0.5);
    }
}
