package org.atnas.core.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.atnas.core.bench.Statistics;

import static java.util.Objects.requireNonNull;

/**
 * A study's answer: each variant's meta-test accuracy over its seeds (mean and Student-t 95%
 * interval), and the paired difference of every two variants on the seeds both ran — a seed fixes
 * the tasks, so pairing removes the tasks' difficulty from the comparison.
 */
public final class StudySummary
{
    /**
     * A variant at one budget.
     *
     * @param confidence95 half-width of the 95% interval of the mean over seeds; NaN with one seed
     */
    public record Variant(String variant, double budget, int seeds, double mean, double standardDeviation, double confidence95, double cpuMinutes) {}

    /**
     * {@code variant} minus {@code versus}, over the seeds both ran at one budget.
     *
     * @param confidence95 half-width of the 95% interval of the mean difference; NaN with one seed
     */
    public record Difference(String variant, String versus, double budget, int seeds, double mean, double confidence95)
    {
        /** Whether the interval excludes 0: the seeds say which variant is better. */
        public boolean isSignificant()
        {
            return !Double.isNaN(confidence95) && Math.abs(mean) > confidence95;
        }
    }

    private final List<Variant> variants;
    private final List<Difference> differences;

    private StudySummary(List<Variant> variants, List<Difference> differences)
    {
        this.variants = List.copyOf(variants);
        this.differences = List.copyOf(differences);
    }

    /** The summary of finished cells, variants in the order their first cell appears. */
    public static StudySummary of(List<CellResult> cells)
    {
        requireNonNull(cells, "cells is null");
        Map<String, Map<Double, Map<Long, CellResult>>> byVariant = new LinkedHashMap<>();
        for (CellResult cell : cells) {
            byVariant.computeIfAbsent(cell.variant(), variant -> new LinkedHashMap<>()).computeIfAbsent(cell.budget(), budget -> new LinkedHashMap<>()).put(cell.seed(), cell);
        }
        List<Variant> variants = new ArrayList<>();
        for (var variant : byVariant.entrySet()) {
            for (var budget : variant.getValue().entrySet()) {
                double[] accuracies = budget.getValue().values().stream().mapToDouble(CellResult::accuracy).toArray();
                double cpu = budget.getValue().values().stream().mapToDouble(CellResult::cpuMinutes).average().orElseThrow();
                double deviation = accuracies.length > 1 ? Statistics.standardDeviation(accuracies) : Double.NaN;
                variants.add(new Variant(variant.getKey(), budget.getKey(), accuracies.length, Statistics.mean(accuracies), deviation, halfWidth(accuracies), cpu));
            }
        }
        List<Difference> differences = new ArrayList<>();
        List<String> names = new ArrayList<>(byVariant.keySet());
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                for (var budget : byVariant.get(names.get(i)).entrySet()) {
                    Map<Long, CellResult> other = byVariant.get(names.get(j)).get(budget.getKey());
                    if (other == null) {
                        continue;
                    }
                    double[] paired = budget.getValue().entrySet().stream().filter(seed -> other.containsKey(seed.getKey()))
                            .mapToDouble(seed -> seed.getValue().accuracy() - other.get(seed.getKey()).accuracy()).toArray();
                    if (paired.length > 0) {
                        differences.add(new Difference(names.get(i), names.get(j), budget.getKey(), paired.length, Statistics.mean(paired), halfWidth(paired)));
                    }
                }
            }
        }
        return new StudySummary(variants, differences);
    }

    private static double halfWidth(double[] values)
    {
        if (values.length < 2) {
            return Double.NaN;
        }
        return StudentT.quantile(values.length - 1, 0.95) * Statistics.standardDeviation(values) / Math.sqrt(values.length);
    }

    public List<Variant> variants()
    {
        return variants;
    }

    public List<Difference> differences()
    {
        return differences;
    }

    /** {@code results.csv}: one row per finished cell. */
    public static String resultsCsv(List<String> axes, List<CellResult> cells)
    {
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("cell", "variant"));
        header.addAll(axes);
        header.addAll(List.of("seed", "budget", "budget_unit", "cpu_minutes", "search_steps", "training_steps", "code", "genotype", "parameters", "multiply_adds",
                "meta_val_fitness", "meta_test_accuracy", "ci95", "tasks"));
        csv.append(String.join(",", header)).append('\n');
        for (CellResult cell : cells) {
            List<String> row = new ArrayList<>(List.of(cell.id(), cell.variant()));
            axes.forEach(axis -> row.add(cell.values().getOrDefault(axis, "")));
            row.addAll(List.of(Long.toString(cell.seed()), StudyPlan.format(cell.budget()), cell.unit(), number(cell.cpuMinutes()), Integer.toString(cell.searchSteps()),
                    Integer.toString(cell.trainingSteps()), cell.code(), cell.genotype(), Long.toString(cell.parameters()), Long.toString(cell.multiplyAdds()),
                    number(cell.fitness()), number(cell.accuracy()), number(cell.confidence95()), Integer.toString(cell.tasks())));
            csv.append(row.stream().map(StudySummary::field).collect(Collectors.joining(","))).append('\n');
        }
        return csv.toString();
    }

    /** {@code summary.csv}: a {@code variant} row per variant and budget, a {@code difference} row per pair. */
    public String summaryCsv()
    {
        StringBuilder csv = new StringBuilder("kind,variant,versus,budget,seeds,mean,ci95,low,high,cpu_minutes\n");
        for (Variant variant : variants) {
            csv.append(String.join(",", "variant", field(variant.variant()), "", StudyPlan.format(variant.budget()), Integer.toString(variant.seeds()), number(variant.mean()),
                    number(variant.confidence95()), number(variant.mean() - variant.confidence95()), number(variant.mean() + variant.confidence95()), number(variant.cpuMinutes()))).append('\n');
        }
        for (Difference difference : differences) {
            csv.append(String.join(",", "difference", field(difference.variant()), field(difference.versus()), StudyPlan.format(difference.budget()), Integer.toString(difference.seeds()),
                    number(difference.mean()), number(difference.confidence95()), number(difference.mean() - difference.confidence95()),
                    number(difference.mean() + difference.confidence95()), "")).append('\n');
        }
        return csv.toString();
    }

    private static String number(double value)
    {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6f", value);
    }

    private static String field(String value)
    {
        return value.contains(",") || value.contains("\"") || value.contains("\n") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
