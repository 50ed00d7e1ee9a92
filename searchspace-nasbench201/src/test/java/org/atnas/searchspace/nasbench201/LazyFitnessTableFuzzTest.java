package org.atnas.searchspace.nasbench201;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded mutations of a complete table (flipped bytes, truncations, replaced numbers, lost or
 * repeated lines): the table either reads or fails with an {@link IllegalArgumentException} (not a
 * subclass such as NumberFormatException) naming the file, never anything else.
 */
class LazyFitnessTableFuzzTest
{
    /** Each mutation reads up to the whole 15,625-row table: fewer than the binary readers' thousands fit the budget. */
    private static final int ITERATIONS = 300;

    @TempDir
    Path directory;

    @Test
    @Timeout(60)
    void mutatedTablesFailOnlyWithAMessageNamingTheFile()
            throws IOException
    {
        List<String> valid = TableFixtures.rows();
        Path file = directory.resolve("table.csv");
        Random random = new Random(18);
        int read = 0;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            Files.write(file, mutate(valid, random));
            try {
                new LazyFitnessTable(file, TableMetric.values()[iteration % 3]).codes();
                read++;
            }
            catch (IllegalArgumentException e) {
                assertThat(e.getClass()).as("iteration %s: %s", iteration, e).isEqualTo(IllegalArgumentException.class);
                assertThat(e.getMessage()).as("iteration %s", iteration).startsWith("NAS-Bench-201 table [" + file + "]");
            }
            catch (Throwable e) {
                fail("Iteration " + iteration + " threw " + e, e);
            }
        }
        assertThat(read).as("mutations that still read").isLessThan(ITERATIONS);
    }

    private static byte[] mutate(List<String> valid, Random random)
    {
        // most mutations near the top, so that a failing read stops early and the budget buys more of them
        int row = random.nextInt(4) > 0 ? random.nextInt(50) : random.nextInt(valid.size());
        String replacement = switch (random.nextInt(6)) {
            case 0 -> {
                String[] cells = valid.get(row).split(",", -1);
                cells[random.nextInt(3)] = List.of("", "abc", "1e999", "-", "NaN", "-Infinity", "0x10", "1,5", "\u0000", "9".repeat(400)).get(random.nextInt(10));
                yield String.join(",", cells);
            }
            case 1 -> null;
            case 2 -> valid.get(row) + "\n" + valid.get(random.nextInt(valid.size()));
            case 3 -> valid.get(row).replace(List.of("|", "~", "+", "_", ",").get(random.nextInt(5)), List.of("", "||", "~~", "+", ",,").get(random.nextInt(5)));
            default -> {
                byte[] bytes = valid.get(row).getBytes(StandardCharsets.UTF_8);
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                yield new String(bytes, StandardCharsets.ISO_8859_1);
            }
        };
        StringBuilder table = new StringBuilder(TableFixtures.HEADER).append('\n');
        for (int i = 0; i < valid.size(); i++) {
            if (i != row) {
                table.append(valid.get(i)).append('\n');
            }
            else if (replacement != null) {
                table.append(replacement).append('\n');
            }
        }
        // flipped bits are written as they are, so that some rows are not UTF-8
        byte[] bytes = table.toString().getBytes(StandardCharsets.ISO_8859_1);
        return random.nextInt(8) == 0 ? Arrays.copyOf(bytes, random.nextInt(bytes.length)) : bytes;
    }
}
