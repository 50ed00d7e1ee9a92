package org.atnas.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SVHN's MAT-files, written here as MATLAB's save does (Level 5, compressed or not). */
class SvhnTest
{
    private static final int MI_INT8 = 1;
    private static final int MI_UINT8 = 2;
    private static final int MI_INT32 = 5;
    private static final int MI_UINT32 = 6;
    private static final int MI_DOUBLE = 9;
    private static final int MI_MATRIX = 14;
    private static final int MI_COMPRESSED = 15;
    private static final int MX_DOUBLE = 6;
    private static final int MX_UINT8 = 9;

    @TempDir
    Path directory;

    @Test
    void readsImagesColumnMajorAndLabelsTenAsZero()
            throws IOException
    {
        // training: 3 images, labels 10, 1, 10 (y saved as doubles); X(2, 3, 1, 1) = 200 in MATLAB's 1-based indices
        byte[] train = images(3);
        train[1 + 32 * (2 + 32 * (0 + 3 * 0))] = (byte) 200;
        train[31 + 32 * (31 + 32 * (2 + 3 * 1))] = (byte) 77;
        write("train_32x32.mat", false, matrix("X", MX_UINT8, new int[] {32, 32, 3, 3}, MI_UINT8, train),
                matrix("y", MX_DOUBLE, new int[] {3, 1}, MI_DOUBLE, doubles(10, 1, 10)));
        // test: compressed, y stored as bytes in a double array (as MATLAB does for small whole numbers)
        write("test_32x32.mat", true, matrix("y", MX_DOUBLE, new int[] {2, 1}, MI_UINT8, new byte[] {1, 10}),
                matrix("X", MX_UINT8, new int[] {32, 32, 3, 2}, MI_UINT8, images(2)));
        write("extra_32x32.mat", false, matrix("X", MX_UINT8, new int[] {32, 32, 3, 1}, MI_UINT8, images(1)),
                matrix("y", MX_DOUBLE, new int[] {1, 1}, MI_DOUBLE, doubles(11)));

        SupervisedData data = SupervisedData.load("svhn", directory, 0);
        assertThat(data.training().classNames()).containsExactly("0", "1");
        assertThat(data.training().size()).isEqualTo(3);
        assertThat(data.test().classNames()).containsExactly("0", "1");
        assertThat(data.test().size()).isEqualTo(2);

        ImageDataset training = BinaryDatasets.svhn(directory, 32, "", name -> name.startsWith("train"));
        ImageClass zero = training.classes().get(0);
        // row 1 (0-based), column 2, red: moved from MATLAB's column-major order to channel, row, column
        assertThat(zero.pixel(0, 0, 1, 2)).isEqualTo(200);
        assertThat(zero.pixel(0, 0, 2, 1)).isEqualTo(5);
        assertThat(training.classes().get(1).pixel(0, 2, 31, 31)).isEqualTo(77);
        // extra_32x32.mat is not part of the training set; read, its label 11 is refused
        assertThatThrownBy(() -> BinaryDatasets.svhn(directory, 32, "", name -> name.startsWith("extra")))
                .isInstanceOf(DataException.class).hasMessage("[" + directory.resolve("extra_32x32.mat") + "] label 0 is 11.0, expected 1..10 (10 is the digit 0)");
    }

    @Test
    void namesWhatIsWrongWithAFile()
            throws IOException
    {
        write("train_32x32.mat", false, matrix("X", MX_UINT8, new int[] {32, 32, 1, 2}, MI_UINT8, new byte[2048]),
                matrix("y", MX_DOUBLE, new int[] {2, 1}, MI_DOUBLE, doubles(1, 2)));
        Path train = directory.resolve("train_32x32.mat");
        assertThatThrownBy(() -> BinaryDatasets.svhn(directory, 32, "", name -> true))
                .isInstanceOf(DataException.class).hasMessage("[" + train + "] X is an array of [32, 32, 1, 2], expected bytes of [32, 32, 3, N]");

        write("train_32x32.mat", false, matrix("X", MX_UINT8, new int[] {32, 32, 3, 2}, MI_UINT8, images(2)));
        assertThatThrownBy(() -> BinaryDatasets.svhn(directory, 32, "", name -> true))
                .isInstanceOf(DataException.class).hasMessage("[" + train + "] has no numeric y variable; SVHN's files hold X (32x32x3xN images) and y (N labels)");

        write("train_32x32.mat", false, matrix("X", MX_UINT8, new int[] {32, 32, 3, 2}, MI_UINT8, images(2)), matrix("y", MX_DOUBLE, new int[] {3, 1}, MI_DOUBLE, doubles(1, 2, 3)));
        assertThatThrownBy(() -> BinaryDatasets.svhn(directory, 32, "", name -> true))
                .isInstanceOf(DataException.class).hasMessage("[" + train + "] has 2 images in X but 3 labels in y");

        byte[] hdf5 = Arrays.copyOf(header(), 512);
        hdf5[126] = 0;
        Files.write(train, hdf5);
        assertThatThrownBy(() -> BinaryDatasets.svhn(directory, 32, "", name -> true)).isInstanceOf(DataException.class)
                .hasMessage("[" + train + "] is not a Level 5 MAT-file (its header has no endian indicator); save it with MATLAB's -v7 or -v6, not -v7.3 (HDF5)");

        Files.write(train, Arrays.copyOf(matrix("X", MX_UINT8, new int[] {32, 32, 3, 2}, MI_UINT8, images(2)), 600));
        assertThatThrownBy(() -> BinaryDatasets.svhn(directory, 32, "", name -> true)).isInstanceOf(DataException.class)
                .hasMessage("[" + train + "] is not a MATLAB MAT-file (no MATLAB header)");

        byte[] truncated = file(false, matrix("X", MX_UINT8, new int[] {32, 32, 3, 2}, MI_UINT8, images(2)));
        Files.write(train, Arrays.copyOf(truncated, 1000));
        assertThatThrownBy(() -> BinaryDatasets.svhn(directory, 32, "", name -> true)).isInstanceOf(DataException.class)
                .hasMessage("[" + train + "] declares a 6200-byte element at byte 128 with 864 bytes left");

        Files.delete(train);
        assertThatThrownBy(() -> BinaryDatasets.svhn(directory, 32, " of the training set (train_32x32.mat)", name -> true)).isInstanceOf(DataException.class)
                .hasMessage("Data folder [" + directory + "] holds no SVHN MAT-file (train_32x32.mat, test_32x32.mat) of the training set (train_32x32.mat)");
    }

    /** {@code count} images whose every byte is 5. */
    private static byte[] images(int count)
    {
        byte[] images = new byte[3072 * count];
        Arrays.fill(images, (byte) 5);
        return images;
    }

    private static byte[] doubles(double... values)
    {
        ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double value : values) {
            buffer.putDouble(value);
        }
        return buffer.array();
    }

    private void write(String name, boolean compressed, byte[]... matrices)
            throws IOException
    {
        Files.write(directory.resolve(name), file(compressed, matrices));
    }

    private static byte[] file(boolean compressed, byte[]... matrices)
    {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(header());
        for (byte[] matrix : matrices) {
            if (!compressed) {
                file.writeBytes(matrix);
                continue;
            }
            Deflater deflater = new Deflater();
            deflater.setInput(matrix);
            deflater.finish();
            byte[] buffer = new byte[matrix.length + 64];
            int length = deflater.deflate(buffer);
            deflater.end();
            file.writeBytes(tag(MI_COMPRESSED, length));
            file.write(buffer, 0, length);
        }
        return file.toByteArray();
    }

    private static byte[] header()
    {
        byte[] header = new byte[128];
        Arrays.fill(header, 0, 116, (byte) ' ');
        byte[] text = "MATLAB 5.0 MAT-file, written by SvhnTest".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, header, 0, text.length);
        header[124] = 0x00;
        header[125] = 0x01;
        header[126] = 'I';
        header[127] = 'M';
        return header;
    }

    /** A miMATRIX element: flags, dimensions, name (small element format), real part. */
    private static byte[] matrix(String name, int arrayClass, int[] dimensions, int type, byte[] real)
    {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(element(MI_UINT32, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(arrayClass).putInt(0).array()));
        ByteBuffer dims = ByteBuffer.allocate(4 * dimensions.length).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.stream(dimensions).forEach(dims::putInt);
        body.writeBytes(element(MI_INT32, dims.array()));
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        body.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(nameBytes.length << 16 | MI_INT8).put(nameBytes).array());
        body.writeBytes(element(type, real));
        ByteArrayOutputStream matrix = new ByteArrayOutputStream();
        matrix.writeBytes(tag(MI_MATRIX, body.size()));
        matrix.writeBytes(body.toByteArray());
        return matrix.toByteArray();
    }

    private static byte[] element(int type, byte[] data)
    {
        ByteArrayOutputStream element = new ByteArrayOutputStream();
        element.writeBytes(tag(type, data.length));
        element.writeBytes(data);
        element.writeBytes(new byte[(8 - data.length % 8) % 8]);
        return element.toByteArray();
    }

    private static byte[] tag(int type, int size)
    {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(size).array();
    }
}
