package org.atnas.searchspace.nasbench201;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.FitnessTable;

import static java.util.Objects.requireNonNull;

/**
 * The NAS-Bench-201 table ({@code nats_bench_tss.csv}), read on first use: 15,625 rows of
 * {@code CIFAR10TestAccuracy200Epochs, CIFAR100TestAccuracy200Epochs, ImageNetTestAccuracy200Epochs,
 * ArchitectureString, UniqueString}. Columns are found by header name. The table must be complete
 * (one row per architecture of the space) and every accuracy column numeric; otherwise the first
 * use fails with an {@link IllegalArgumentException} naming the file, line and column.
 */
final class LazyFitnessTable
        implements FitnessTable
{
    private static final String ARCHITECTURE_COLUMN = "ArchitectureString";
    /** 5 ops on each of 6 edges. */
    private static final int CELLS = 15_625;
    private static final int MISSING_LISTED = 3;

    private final Path file;
    private final TableMetric metric;
    private volatile Loaded loaded;

    private record Loaded(List<ArchitectureCode> codes, Map<ArchitectureCode, Double> fitness, double best) {}

    LazyFitnessTable(Path file, TableMetric metric)
    {
        this.file = requireNonNull(file, "file is null");
        this.metric = requireNonNull(metric, "metric is null");
    }

    @Override
    public String metric()
    {
        return metric.configName() + " test accuracy (%)";
    }

    @Override
    public List<ArchitectureCode> codes()
    {
        return load().codes();
    }

    @Override
    public OptionalDouble fitness(ArchitectureCode code)
    {
        Double value = load().fitness().get(code);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    @Override
    public double bestFitness()
    {
        return load().best();
    }

    private Loaded load()
    {
        Loaded result = loaded;
        if (result == null) {
            synchronized (this) {
                result = loaded;
                if (result == null) {
                    result = read();
                    loaded = result;
                }
            }
        }
        return result;
    }

    private Loaded read()
    {
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new IOException("NAS-Bench-201 table [" + file + "] does not exist or is not a file (key nasbench201.table)"));
        }
        NasBench201SearchSpace space = new NasBench201SearchSpace(1, 1, Optional.empty());
        List<ArchitectureCode> codes = new ArrayList<>();
        Map<ArchitectureCode, Double> fitness = new HashMap<>();
        double best = Double.NEGATIVE_INFINITY;
        int lineNumber = 1;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new IllegalArgumentException("NAS-Bench-201 table [" + file + "] is empty, expected a header line");
            }
            List<String> columns = Arrays.asList(header.strip().split(",", -1));
            int metricColumn = requireColumn(columns, metric.column());
            int architectureColumn = requireColumn(columns, ARCHITECTURE_COLUMN);
            // every accuracy column the header has is checked, not only the one searched against: a bad
            // value elsewhere means the file is not the table it claims to be
            List<TableMetric> accuracies = Arrays.stream(TableMetric.values()).filter(accuracy -> columns.contains(accuracy.column())).toList();
            int[] accuracyColumns = accuracies.stream().mapToInt(accuracy -> columns.indexOf(accuracy.column())).toArray();
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != columns.size()) {
                    throw malformed(lineNumber, "has " + cells.length + " columns, expected " + columns.size(), null);
                }
                ArchitectureCode code;
                try {
                    code = space.fromNotation(cells[architectureColumn]);
                }
                catch (IllegalArgumentException e) {
                    throw malformed(lineNumber, e.getMessage(), e);
                }
                for (int i = 0; i < accuracyColumns.length; i++) {
                    accuracy(lineNumber, accuracies.get(i).column(), cells[accuracyColumns[i]]);
                }
                double value = accuracy(lineNumber, metric.column(), cells[metricColumn]);
                if (fitness.put(code, value) != null) {
                    throw malformed(lineNumber, "repeats architecture " + cells[architectureColumn], null);
                }
                codes.add(code);
                best = Math.max(best, value);
            }
        }
        catch (CharacterCodingException e) {
            throw new IllegalArgumentException("NAS-Bench-201 table [" + file + "] is not UTF-8 text: " + e.getMessage(), e);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read NAS-Bench-201 table [" + file + "]: " + e.getMessage(), e);
        }
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("NAS-Bench-201 table [" + file + "] has no rows");
        }
        if (codes.size() != CELLS) {
            // a search meets a missing architecture only when it samples it; say so now, at the file
            List<String> missing = allCodes().filter(code -> !fitness.containsKey(code)).map(space::toNotation).toList();
            throw malformed(lineNumber, "the table ends with " + codes.size() + " of the space's " + CELLS + " architectures; column " + ARCHITECTURE_COLUMN + " lacks "
                    + missing.size() + ": " + (missing.size() > MISSING_LISTED ? missing.subList(0, MISSING_LISTED) + " and " + (missing.size() - MISSING_LISTED) + " more" : missing), null);
        }
        return new Loaded(List.copyOf(codes), Map.copyOf(fitness), best);
    }

    /** Every code of the space: code i holds the base-5 digits of i, one per edge. */
    private static Stream<ArchitectureCode> allCodes()
    {
        return IntStream.range(0, CELLS).mapToObj(index -> {
            int[] values = new int[NasBench201SearchSpace.EDGES];
            for (int edge = NasBench201SearchSpace.EDGES - 1, rest = index; edge >= 0; edge--, rest /= NasBench201SearchSpace.OPS.size()) {
                values[edge] = rest % NasBench201SearchSpace.OPS.size();
            }
            return ArchitectureCode.of(values);
        });
    }

    private double accuracy(int lineNumber, String column, String cell)
    {
        double value;
        try {
            value = Double.parseDouble(cell);
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException(notANumber(lineNumber, column, cell), e);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(notANumber(lineNumber, column, cell));
        }
        return value;
    }

    private String notANumber(int lineNumber, String column, String cell)
    {
        return "NAS-Bench-201 table [" + file + "], line " + lineNumber + ", column " + column + ": [" + cell + "] is not a number; expected a finite accuracy";
    }

    private int requireColumn(List<String> columns, String name)
    {
        int index = columns.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("NAS-Bench-201 table [" + file + "] has no column " + name + "; its header is " + columns);
        }
        return index;
    }

    private IllegalArgumentException malformed(int lineNumber, String problem, Throwable cause)
    {
        return new IllegalArgumentException("NAS-Bench-201 table [" + file + "], line " + lineNumber + ": " + problem, cause);
    }
}
