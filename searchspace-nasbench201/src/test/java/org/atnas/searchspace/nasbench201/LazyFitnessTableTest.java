package org.atnas.searchspace.nasbench201;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.atnas.api.ArchitectureCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The table is read whole and checked on first use: a search against it never meets a missing row or a bad number later. */
class LazyFitnessTableTest
{
    @TempDir
    Path directory;

    @Test
    void completeTableReads()
            throws IOException
    {
        Path file = directory.resolve("table.csv");
        Files.writeString(file, TableFixtures.table(TableFixtures.rows()));
        LazyFitnessTable table = new LazyFitnessTable(file, TableMetric.CIFAR10);
        assertThat(table.codes()).hasSize(TableFixtures.CELLS);
        assertThat(table.fitness(ArchitectureCode.of(0, 0, 0, 0, 1, 2)).getAsDouble()).isEqualTo(50.007);
        assertThat(new LazyFitnessTable(file, TableMetric.CIFAR100).bestFitness()).isEqualTo(60.5);
    }

    @Test
    void missingRowsNameTheFileTheLastLineAndTheColumn()
            throws IOException
    {
        // a table missing rows used to read, then end a search with an IllegalStateException at the first missing code
        List<String> rows = new java.util.ArrayList<>(TableFixtures.rows());
        rows.remove(7);
        rows.remove(1);
        Path file = directory.resolve("short.csv");
        Files.writeString(file, TableFixtures.table(rows));
        assertThatThrownBy(() -> new LazyFitnessTable(file, TableMetric.CIFAR10).codes())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NAS-Bench-201 table [" + file + "], line 15624: the table ends with 15623 of the space's 15625 architectures; column ArchitectureString lacks 2: "
                        + "[|none~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|, |none~0|+|none~0|none~1|+|none~0|skip_connect~1|nor_conv_1x1~2|]");
    }

    @Test
    void nonNumericValueInAnyAccuracyColumnNamesLineAndColumn()
            throws IOException
    {
        // the CIFAR-100 column is not the one searched against, and used to be accepted as it was
        List<String> rows = new java.util.ArrayList<>(TableFixtures.rows());
        rows.set(2, rows.get(2).replace(",60.5,", ",n/a,"));
        Path file = directory.resolve("text.csv");
        Files.writeString(file, TableFixtures.table(rows));
        assertThatThrownBy(() -> new LazyFitnessTable(file, TableMetric.CIFAR10).codes())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NAS-Bench-201 table [" + file + "], line 4, column CIFAR100TestAccuracy200Epochs: [n/a] is not a number; expected a finite accuracy");
        rows.set(2, rows.get(2).replace(",n/a,", ",NaN,"));
        Files.writeString(file, TableFixtures.table(rows));
        assertThatThrownBy(() -> new LazyFitnessTable(file, TableMetric.CIFAR10).codes())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NAS-Bench-201 table [" + file + "], line 4, column CIFAR100TestAccuracy200Epochs: [NaN] is not a number; expected a finite accuracy");
        rows.set(2, rows.get(2).replace(",NaN,", ",60.5,").replaceFirst("^[^,]*", "12abc"));
        Files.writeString(file, TableFixtures.table(rows));
        assertThatThrownBy(() -> new LazyFitnessTable(file, TableMetric.CIFAR100).codes())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NAS-Bench-201 table [" + file + "], line 4, column CIFAR10TestAccuracy200Epochs: [12abc] is not a number; expected a finite accuracy");
    }

    @Test
    void tableThatIsNotUtf8NamesTheFile()
            throws IOException
    {
        Path file = directory.resolve("latin1.csv");
        Files.write(file, (TableFixtures.HEADER + "\n\u00e9\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new LazyFitnessTable(file, TableMetric.CIFAR10).codes())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NAS-Bench-201 table [" + file + "] is not UTF-8 text: Input length = 1");
    }
}
