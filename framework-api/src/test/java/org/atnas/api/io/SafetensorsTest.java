package org.atnas.api.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.atnas.api.network.ParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsTest
{
    @TempDir
    Path directory;

    @Test
    void writesTheSpecsLayoutAndReadsItBack()
            throws IOException
    {
        Path file = directory.resolve("w.safetensors");
        Safetensors.write(file, Map.of(
                "b", new Safetensors.Tensor(new int[] {2}, new float[] {1.5f, -2f}),
                "a", new Safetensors.Tensor(new int[] {1, 2, 1, 1}, new float[] {3f, 4f})), Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).isZero();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).strip();
        assertThat(header).isEqualTo("{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[1,2,1,1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}");
        assertThat(bytes.length).isEqualTo(8 + headerLength + 16);
        assertThat(ByteBuffer.wrap(bytes, 8 + (int) headerLength, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat()).isEqualTo(3f);

        Safetensors.Content content = Safetensors.read(file);
        assertThat(content.tensors().keySet()).containsExactly("a", "b");
        assertThat(content.tensors().get("b").values()).containsExactly(1.5f, -2f);
        assertThat(content.tensors().get("a").shape()).containsExactly(1, 2, 1, 1);
        assertThat(content.metadata()).containsEntry("format", "pt");
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void malformedFilesNameTheFileAndTheProblem()
            throws IOException
    {
        Path short_ = directory.resolve("short.safetensors");
        Files.write(short_, new byte[] {1, 2});
        assertThatThrownBy(() -> Safetensors.read(short_)).hasMessage("[" + short_ + "] is not a safetensors file: shorter than its 8-byte header length");
        Path truncated = directory.resolve("truncated.safetensors");
        byte[] header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = ByteBuffer.allocate(8 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header);
        Files.write(truncated, data.array());
        assertThatThrownBy(() -> Safetensors.read(truncated)).hasMessage("[" + truncated + "]: tensor [a] has data offsets [0, 16], beyond the 8 data bytes");
        Path halfs = directory.resolve("f16.safetensors");
        byte[] f16 = "{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}".getBytes(StandardCharsets.UTF_8);
        Files.write(halfs, ByteBuffer.allocate(8 + f16.length + 2).order(ByteOrder.LITTLE_ENDIAN).putLong(f16.length).put(f16).array());
        assertThatThrownBy(() -> Safetensors.read(halfs)).hasMessage("[" + halfs + "]: tensor [a] has dtype [F16]; expected F32, the only dtype this reader reads");
    }

    @Test
    void initialValuesAreAFunctionOfSeedAndName()
    {
        ParameterSpec conv = new ParameterSpec("cell0.edge1.sep_conv_3x3.pw1.weight", new int[] {16, 16, 1, 1}, ParameterSpec.Role.WEIGHT);
        float[] values = conv.initialValues(7);
        assertThat(conv.initialValues(7)).containsExactly(values);
        assertThat(conv.initialValues(8)).isNotEqualTo(values);
        double squares = 0;
        for (float value : values) {
            squares += value * value;
        }
        // He initialisation: variance 2 / fan_in = 2 / 16
        assertThat(squares / values.length).isBetween(0.10, 0.15);
        assertThat(new ParameterSpec("x.bn.weight", new int[] {3}, ParameterSpec.Role.NORM_SCALE).initialValues(1)).containsExactly(1f, 1f, 1f);
        assertThat(new ParameterSpec("x.bn.bias", new int[] {3}, ParameterSpec.Role.NORM_SHIFT).initialValues(1)).containsExactly(0f, 0f, 0f);
    }
}
