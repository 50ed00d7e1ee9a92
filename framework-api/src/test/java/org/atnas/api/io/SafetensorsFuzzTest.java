package org.atnas.api.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Mutations of a valid file, seeded: {@link Safetensors#read} either reads the file or throws a
 * {@link SafetensorsException} naming it, never anything else, and never allocates what a header
 * merely declares.
 */
class SafetensorsFuzzTest
{
    private static final int ITERATIONS = 4_000;

    @TempDir
    Path directory;

    @Test
    @Timeout(30)
    void mutatedFilesFailOnlyWithSafetensorsException()
            throws IOException
    {
        Path valid = directory.resolve("valid.safetensors");
        Safetensors.write(valid, Map.of(
                "cell0.edge1.weight", new Safetensors.Tensor(new int[] {2, 3, 1, 1}, new float[] {1, 2, 3, 4, 5, 6}),
                "cell0.bn.bias", new Safetensors.Tensor(new int[] {3}, new float[] {-1, 0, 1}),
                "empty", new Safetensors.Tensor(new int[] {0, 4}, new float[0])), Map.of("format", "pt", "atnas.step", "7"));
        byte[] original = Files.readAllBytes(valid);
        Random random = new Random(18);
        Path file = directory.resolve("mutated.safetensors");
        int read = 0;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            byte[] mutated = mutate(original, random);
            Files.write(file, mutated);
            try {
                Safetensors.read(file);
                read++;
            }
            catch (SafetensorsException e) {
                assertThat(e.getMessage()).as("iteration %s", iteration).startsWith("[" + file + "]");
            }
            catch (Throwable e) {
                fail("Iteration " + iteration + " threw " + e + " for header " + header(mutated), e);
            }
        }
        assertThat(read).as("mutations that still read").isBetween(1, ITERATIONS / 2);
    }

    private static byte[] mutate(byte[] original, Random random)
    {
        byte[] bytes = original.clone();
        int headerLength = (int) ByteBuffer.wrap(original, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        switch (random.nextInt(7)) {
            case 0 -> {
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2 -> ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, random.nextBoolean() ? random.nextLong() : headerLength + random.nextInt(64) - 32);
            case 3 -> bytes = withHeader(bytes, headerLength, changeNumber(new String(bytes, 8, headerLength, StandardCharsets.UTF_8), random));
            case 4 -> {
                String header = new String(bytes, 8, headerLength, StandardCharsets.UTF_8);
                int at = header.indexOf('[', random.nextInt(header.length()));
                int depth = random.nextInt(2) == 0 ? random.nextInt(300) : 1_000 + random.nextInt(20_000);
                bytes = withHeader(bytes, headerLength, at < 0 ? header : header.substring(0, at) + "[".repeat(depth) + header.substring(at, header.indexOf(']', at) + 1) + "]".repeat(depth) + header.substring(header.indexOf(']', at) + 1));
            }
            case 5 -> {
                String header = new String(bytes, 8, headerLength, StandardCharsets.UTF_8);
                int at = random.nextInt(header.length());
                String token = switch (random.nextInt(6)) {
                    case 0 -> "\"";
                    case 1 -> "\\u12";
                    case 2 -> "{";
                    case 3 -> "-";
                    case 4 -> ",";
                    default -> "\\";
                };
                bytes = withHeader(bytes, headerLength, header.substring(0, at) + token + header.substring(at));
            }
            default -> {
                byte[] grown = java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(16));
                bytes = grown;
            }
        }
        return bytes;
    }

    /** Replaces one number of the header by a negative, huge, fractional or shifted one. */
    private static String changeNumber(String header, Random random)
    {
        int at = random.nextInt(header.length());
        while (at < header.length() && !Character.isDigit(header.charAt(at))) {
            at++;
        }
        if (at == header.length()) {
            return header;
        }
        int end = at;
        while (end < header.length() && Character.isDigit(header.charAt(end))) {
            end++;
        }
        long value = Long.parseLong(header.substring(at, end));
        String replacement = switch (random.nextInt(6)) {
            case 0 -> Long.toString(-value - 1);
            case 1 -> Long.toString(Long.MAX_VALUE - random.nextInt(3));
            case 2 -> "99999999999999999999999";
            case 3 -> value + ".5";
            case 4 -> Integer.toString(Integer.MAX_VALUE);
            default -> Long.toString(value + random.nextInt(9) - 4);
        };
        return header.substring(0, at) + replacement + header.substring(end);
    }

    private static byte[] withHeader(byte[] bytes, int headerLength, String header)
    {
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        int dataLength = bytes.length - 8 - headerLength;
        return ByteBuffer.allocate(8 + headerBytes.length + dataLength).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(headerBytes.length).put(headerBytes).put(bytes, 8 + headerLength, dataLength).array();
    }

    private static String header(byte[] bytes)
    {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
