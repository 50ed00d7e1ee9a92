package org.atnas.searchspace.nasbench201;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
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

import org.atnas.api.ArchitectureCode;
import org.atnas.api.FitnessTable;

import static java.util.Objects.requireNonNull;

/**
 * The NAS-Bench-201 table ({@code nats_bench_tss.csv}), read on first use: 15,625 rows of
 * {@code CIFAR10TestAccuracy200Epochs, CIFAR100TestAccuracy200Epochs, ImageNetTestAccuracy200Epochs,
 * ArchitectureString, UniqueString}. Columns are found by header name.
 */
final class LazyFitnessTable
        implements FitnessTable
{
    private static final String ARCHITECTURE_COLUMN = "ArchitectureString";

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
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new IllegalArgumentException("NAS-Bench-201 table [" + file + "] is empty, expected a header line");
            }
            List<String> columns = Arrays.asList(header.strip().split(",", -1));
            int metricColumn = requireColumn(columns, metric.column());
            int architectureColumn = requireColumn(columns, ARCHITECTURE_COLUMN);
            String line;
            int lineNumber = 1;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != columns.size()) {
                    throw malformed(lineNumber, "has " + cells.length + " columns, expected " + columns.size());
                }
                ArchitectureCode code;
                double value;
                try {
                    code = space.fromNotation(cells[architectureColumn]);
                    value = Double.parseDouble(cells[metricColumn]);
                }
                catch (IllegalArgumentException e) {
                    throw malformed(lineNumber, e.getMessage());
                }
                if (!Double.isFinite(value)) {
                    throw malformed(lineNumber, "has " + metric.column() + " = " + cells[metricColumn] + ", expected a finite number");
                }
                if (fitness.put(code, value) != null) {
                    throw malformed(lineNumber, "repeats architecture " + cells[architectureColumn]);
                }
                codes.add(code);
                best = Math.max(best, value);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read NAS-Bench-201 table [" + file + "]: " + e.getMessage(), e);
        }
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("NAS-Bench-201 table [" + file + "] has no rows");
        }
        return new Loaded(List.copyOf(codes), Map.copyOf(fitness), best);
    }

    private int requireColumn(List<String> columns, String name)
    {
        int index = columns.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("NAS-Bench-201 table [" + file + "] has no column " + name + "; its header is " + columns);
        }
        return index;
    }

    private IllegalArgumentException malformed(int lineNumber, String problem)
    {
        return new IllegalArgumentException("NAS-Bench-201 table [" + file + "], line " + lineNumber + ": " + problem);
    }
}
