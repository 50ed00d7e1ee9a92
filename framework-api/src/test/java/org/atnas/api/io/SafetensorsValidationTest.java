package org.atnas.api.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each check of {@link Safetensors#read} that the reference loader (huggingface/safetensors, {@code Metadata::validate}) makes. */
class SafetensorsValidationTest
{
    @TempDir
    Path directory;

    @Test
    void deeplyNestedHeaderIsRefusedWithoutOverflowingTheStack()
            throws IOException
    {
        // 200,000 levels used to end in a StackOverflowError
        Path file = file("deep.safetensors", "{\"a\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}", 0);
        assertThatThrownBy(() -> Safetensors.read(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + file + "]: malformed safetensors header at character 132: nested deeper than 128 levels");
    }

    @Test
    void negativeDimensionIsRefusedEvenWhenTheProductMatches()
            throws IOException
    {
        Path file = file("negative.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-8,-1,3,3],\"data_offsets\":[0,288]}}", 288);
        assertThatThrownBy(() -> Safetensors.read(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + file + "]: tensor [w] has shape [-8, -1, 3, 3]; expected dimensions of 0 or more");
    }

    @Test
    void gapBetweenTensorsIsRefused()
            throws IOException
    {
        Path file = file("gap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}", 20);
        assertThatThrownBy(() -> Safetensors.read(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + file + "]: tensor [b] has data offsets [12, 20], leaving a gap of 4 bytes after tensor [a], which ends at 8; expected each tensor to begin where the previous one ends");
    }

    @Test
    void overlappingTensorsAreRefused()
            throws IOException
    {
        Path file = file("overlap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
        assertThatThrownBy(() -> Safetensors.read(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + file + "]: tensor [b] has data offsets [4, 12], overlapping tensor [a], which ends at 8; expected each tensor to begin where the previous one ends");
    }

    @Test
    void firstTensorMustStartAtZero()
            throws IOException
    {
        Path file = file("start.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
        assertThatThrownBy(() -> Safetensors.read(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + file + "]: tensor [a] has data offsets [4, 12], leaving a gap of 4 bytes at the start of the data; expected the first tensor to begin at 0");
    }

    @Test
    void offsetsMustCoverTheDataExactly()
            throws IOException
    {
        Path file = file("short.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 16);
        assertThatThrownBy(() -> Safetensors.read(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + file + "]: the tensors end at byte 8 but the data holds 16 bytes; expected the data offsets to cover the data exactly");
        Path beyond = file("beyond.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
        assertThatThrownBy(() -> Safetensors.read(beyond))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + beyond + "]: tensor [a] has data offsets [0, 16], beyond the 8 data bytes");
    }

    @Test
    void shapeMustMatchTheByteSpan()
            throws IOException
    {
        Path file = file("span.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> Safetensors.read(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + file + "]: tensor [a] has shape [3], 12 bytes of F32, but data offsets [0, 8], 8 bytes");
    }

    @Test
    void overflowingShapeIsRefused()
            throws IOException
    {
        Path file = file("overflow.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,2],\"data_offsets\":[0,0]}}", 0);
        assertThatThrownBy(() -> Safetensors.read(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + file + "]: tensor [a] has shape [4294967296, 4294967296, 2]; expected dimensions from 0 to 2147483647");
        Path product = file("product.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,0]}}", 0);
        assertThatThrownBy(() -> Safetensors.read(product))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + product + "]: tensor [a] has shape [2147483647, 2147483647, 2147483647], more bytes of F32 than a long counts");
    }

    @Test
    void headerLongerThanTheLimitIsRefusedBeforeItIsRead()
            throws IOException
    {
        Path file = directory.resolve("long.safetensors");
        Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_001L).putLong(0).array());
        assertThatThrownBy(() -> Safetensors.read(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + file + "] is not a safetensors file: header length 100000001 is more than the 100000000 bytes allowed");
        Path past = directory.resolve("past.safetensors");
        Files.write(past, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(4096).putLong(0).array());
        assertThatThrownBy(() -> Safetensors.read(past))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + past + "] is truncated: its header length is 4096 bytes, but only 8 bytes follow the 8-byte length");
    }

    @Test
    void malformedDescriptionsNameTheTensorAndTheKey()
            throws IOException
    {
        Path noShape = file("noshape.safetensors", "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4);
        assertThatThrownBy(() -> Safetensors.read(noShape))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + noShape + "]: tensor [a] has shape [null]; expected an array of integers");
        Path offsets = file("offsets.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4);
        assertThatThrownBy(() -> Safetensors.read(offsets))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + offsets + "]: tensor [a] has data_offsets [0]; expected [begin, end] with 0 <= begin <= end");
        Path metadata = file("metadata.safetensors", "{\"__metadata__\":{\"format\":1}}", 0);
        assertThatThrownBy(() -> Safetensors.read(metadata))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + metadata + "]: __metadata__ key [format] has value [1]; expected a string");
        Path twice = file("twice.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
        assertThatThrownBy(() -> Safetensors.read(twice))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage("[" + twice + "]: malformed safetensors header at character 54: key [a] appears twice");
    }

    @Test
    void emptyTensorsAndEmptyFilesAreValid()
            throws IOException
    {
        Path file = file("empty.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]},\"b\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", 4);
        Safetensors.Content content = Safetensors.read(file);
        assertThat(content.tensors().get("a").values()).isEmpty();
        assertThat(content.tensors().get("b").values()).hasSize(1);
        assertThat(Safetensors.read(file("none.safetensors", "{}", 0)).tensors()).isEmpty();
    }

    private Path file(String name, String header, int dataBytes)
            throws IOException
    {
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        Path file = directory.resolve(name);
        Files.write(file, ByteBuffer.allocate(8 + headerBytes.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).put(headerBytes).array());
        return file;
    }
}
