package org.atnas.core.data;

import java.awt.Color;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sizes a file declares are checked against the file before anything of that size is allocated. */
class ReaderLimitsTest
{
    @TempDir
    Path directory;

    @Test
    void idxDeclaringMoreThanTheFileHoldsNamesTheFile()
            throws IOException
    {
        // 65535 x 65535 used to overflow an int: NegativeArraySizeException: -131071, naming no file
        Path images = directory.resolve("train-images-idx3-ubyte");
        writeIdx(Files.newOutputStream(images), Files.newOutputStream(directory.resolve("train-labels-idx1-ubyte")), 1, 65535, 65535);
        assertThatThrownBy(() -> BinaryDatasets.idx(directory, 28))
                .isInstanceOf(DataException.class)
                .hasMessage("[" + images + "] declares 1 images of 65535x65535 pixels (4294836225 bytes) but holds 0 bytes after its 16-byte header");
    }

    @Test
    void gzippedIdxDeclaringMoreThanItCanInflateToNamesTheFile()
            throws IOException
    {
        Path images = directory.resolve("t10k-images-idx3-ubyte.gz");
        writeIdx(new GZIPOutputStream(Files.newOutputStream(images)), new GZIPOutputStream(Files.newOutputStream(directory.resolve("t10k-labels-idx1-ubyte.gz"))), 1, 65535, 65535);
        long size = Files.size(images);
        assertThatThrownBy(() -> BinaryDatasets.idx(directory, 28))
                .isInstanceOf(DataException.class)
                .hasMessage("[" + images + "] declares 1 images of 65535x65535 pixels (4294836225 bytes), more than its " + size + " bytes of gzip data can inflate to (" + 1032 * size + ")");
    }

    @Test
    void idxWithNegativeCountOrSidesIsRefused()
            throws IOException
    {
        Path images = directory.resolve("train-images-idx3-ubyte");
        writeIdx(Files.newOutputStream(images), Files.newOutputStream(directory.resolve("train-labels-idx1-ubyte")), -1, 28, 28);
        assertThatThrownBy(() -> BinaryDatasets.idx(directory, 28))
                .isInstanceOf(DataException.class)
                .hasMessage("[" + images + "] declares -1 images of 28x28 pixels; expected a count of 0 or more and sides of 1 or more");
    }

    @Test
    void idxLabelsDeclaringMoreThanTheFileHoldsNameTheFile()
            throws IOException
    {
        Path labels = directory.resolve("train-labels-idx1-ubyte");
        writeIdx(Files.newOutputStream(directory.resolve("train-images-idx3-ubyte")), Files.newOutputStream(labels), 2, 2, 2);
        Files.write(directory.resolve("train-images-idx3-ubyte"), new byte[8], java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> BinaryDatasets.idx(directory, 2))
                .isInstanceOf(DataException.class)
                .hasMessage("[" + labels + "] declares 2 labels but holds 1 bytes after its 8-byte header");
    }

    @Test
    void imageDeclaringTooManyPixelsIsRefusedBeforeDecoding()
    {
        byte[] png = Fixtures.png(8, 0, 0, 4, Color.BLACK);
        // IHDR follows the 8-byte signature and the chunk's length and type: width, height, then the CRC after 13 bytes of data
        ByteBuffer.wrap(png).putInt(16, 65535).putInt(20, 65535);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        ByteBuffer.wrap(png).putInt(29, (int) crc.getValue());
        assertThatThrownBy(() -> Images.decode(png, "huge.png"))
                .isInstanceOf(DataException.class)
                .hasMessage("Cannot decode image [huge.png]: it declares 65535x65535 pixels; expected at most 16777216 pixels (4096x4096)");
        // within what the JDK's PNG reader accepts, and 200 MB once decoded
        ByteBuffer.wrap(png).putInt(16, 8192).putInt(20, 8192);
        crc.reset();
        crc.update(png, 12, 17);
        ByteBuffer.wrap(png).putInt(29, (int) crc.getValue());
        assertThatThrownBy(() -> Images.decode(png, "large.png"))
                .isInstanceOf(DataException.class)
                .hasMessage("Cannot decode image [large.png]: it declares 8192x8192 pixels; expected at most 16777216 pixels (4096x4096)");
    }

    @Test
    void miniImageNetCsvThatIsNotUtf8NamesTheFile()
            throws IOException
    {
        Path root = directory.resolve("mini");
        Fixtures.write(root.resolve("images/a.png"), Fixtures.png(8, 0, 0, 4, Color.RED));
        Files.writeString(root.resolve("train.csv"), "filename,label\na.png,n01\n");
        Files.writeString(root.resolve("val.csv"), "filename,label\n");
        Files.write(root.resolve("test.csv"), new byte[] {'f', 'i', 'l', 'e', 'n', 'a', 'm', 'e', ',', 'l', 'a', 'b', 'e', 'l', '\n', (byte) 0xC3, '(', ',', 'x', '\n'});
        assertThatThrownBy(() -> MiniImageNet.load(root, 8))
                .isInstanceOf(DataException.class)
                .hasMessage("[" + root.resolve("test.csv") + "] is not UTF-8 text: Input length = 1");
        Files.writeString(root.resolve("test.csv"), "filename,label\na\u0000.png,n03\n");
        assertThatThrownBy(() -> MiniImageNet.load(root, 8))
                .isInstanceOf(DataException.class)
                .hasMessage("[" + root.resolve("test.csv") + "] line 2 names image [a\u0000.png], which is not a valid path: Nul character not allowed");
    }

    private static void writeIdx(OutputStream imageStream, OutputStream labelStream, int count, int rows, int columns)
            throws IOException
    {
        try (DataOutputStream imageOut = new DataOutputStream(imageStream); DataOutputStream labelOut = new DataOutputStream(labelStream)) {
            imageOut.writeInt(0x803);
            imageOut.writeInt(count);
            imageOut.writeInt(rows);
            imageOut.writeInt(columns);
            labelOut.writeInt(0x801);
            labelOut.writeInt(count);
            labelOut.writeByte(0);
        }
    }
}
