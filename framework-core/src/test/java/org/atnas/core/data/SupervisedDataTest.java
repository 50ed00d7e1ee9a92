package org.atnas.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.atnas.api.ImageBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SupervisedDataTest
{
    @TempDir
    Path directory;

    @Test
    void theTestFilesAreTheTestSetAndTheOthersTheTrainingSet()
            throws IOException
    {
        write("train", new int[] {0, 1, 2, 1});
        write("t10k", new int[] {2, 0, 1});
        SupervisedData data = SupervisedData.load("fashion-mnist", directory, 0);
        assertThat(data.training().size()).isEqualTo(4);
        assertThat(data.test().size()).isEqualTo(3);
        assertThat(data.classes()).isEqualTo(3);
        // images are grouped by label: label i's images come after those of the labels before
        assertThat(new int[] {data.test().label(0), data.test().label(1), data.test().label(2)}).containsExactly(0, 1, 2);
    }

    @Test
    void aTestSetWithOtherClassesIsRefused()
            throws IOException
    {
        write("train", new int[] {0, 1, 2});
        write("t10k", new int[] {0, 1});
        assertThatThrownBy(() -> SupervisedData.load("idx", directory, 0))
                .hasMessage("The test set's classes [0, 1] differ from the training set's [0, 1, 2]");
    }

    @Test
    void aFolderWithoutTestFilesIsRefused()
            throws IOException
    {
        write("train", new int[] {0, 1});
        assertThatThrownBy(() -> SupervisedData.load("idx", directory, 0))
                .hasMessage("Data folder [" + directory + "] holds no *-images-idx3-ubyte[.gz] file of the test set (t10k-* or test*)");
        assertThatThrownBy(() -> SupervisedData.load("glyphs", directory, 0))
                .hasMessage("Data set [glyphs] for key [data.dataset] has no test set of its own; the supervised setting reads fashion-mnist, idx, cifar10 or svhn");
    }

    @Test
    void aPaddedCropShiftsTheImageAndPadsWithBlack()
            throws IOException
    {
        write("train", new int[] {0, 1});
        write("t10k", new int[] {0, 1});
        LabelledImages images = SupervisedData.load("idx", directory, 0).training();
        ImageBatch plain = images.batch(new int[] {1}, Augmentation.NONE, null);
        ImageBatch shifted = images.batch(new int[] {1}, new Augmentation(4, false), new SplittableRandom(3));
        // a shift by up to 4 pixels of a 4x4 image: every pixel is either black or a pixel of the image, in the same order
        int black = 0;
        for (float value : shifted.pixels()) {
            black += value == 0 ? 1 : 0;
        }
        assertThat(plain.pixels()).doesNotContain(0f);
        assertThat(black).isGreaterThan(0);
        assertThat(shifted.labels()).containsExactly(1);
    }

    private void write(String prefix, int[] labels)
            throws IOException
    {
        byte[][] images = new byte[labels.length][16];
        for (int i = 0; i < labels.length; i++) {
            for (int p = 0; p < 16; p++) {
                images[i][p] = (byte) (10 + 10 * i + p);
            }
        }
        LoadersTest.writeIdx(Files.newOutputStream(directory.resolve(prefix + "-images-idx3-ubyte")), Files.newOutputStream(directory.resolve(prefix + "-labels-idx1-ubyte")), images, labels);
    }
}
