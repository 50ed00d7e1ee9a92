package org.atnas.core.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.atnas.core.config.Configuration;
import org.atnas.core.config.ConfigurationException;
import org.atnas.core.config.CoreSettings;
import org.atnas.core.search.FinalTraining;
import org.atnas.core.search.SearchSettings;

import static java.util.Objects.requireNonNull;

/**
 * What a study file asks for: the axes (configuration keys with several values), the seeds, the
 * shared settings and the budget rule, expanded into cells (variant × budget × seed). Every cell
 * gets the same budget, split between the search and the final training; a fixed architecture
 * spends both parts on its one network.
 */
public final class StudyPlan
{
    public static final String SEEDS = "study.seeds";
    public static final String CPU_MINUTES = "study.budget.cpu-minutes";
    public static final String STEPS = "study.budget.steps";
    public static final String TRAINING_SHARE = "study.final-training-share";
    public static final String TASKS = "study.tasks";
    public static final String EXCLUDE = "study.exclude";
    public static final String NAME = "study.name";
    /** The name of the budget in {@code study.exclude} and in a cell's values. */
    public static final String BUDGET = "budget";
    private static final Set<String> STUDY_KEYS = Set.of(SEEDS, CPU_MINUTES, STEPS, TRAINING_SHARE, TASKS, EXCLUDE, NAME);
    /** Keys the budget rule and the study's folders set; a study file that set them would be overruled. */
    private static final Set<String> RESERVED = Set.of(CoreSettings.SEED.key(), CoreSettings.RUNS_DIRECTORY.key(), CoreSettings.RUN_NAME.key(), SearchSettings.CPU_BUDGET.key(),
            FinalTraining.CPU_BUDGET.key(), FinalTraining.SOURCE.key(), FinalTraining.FROM_SCRATCH.key());

    /** How a cell's budget is counted. */
    public enum BudgetUnit
    {
        CPU_MINUTES("CPU minutes"), STEPS("meta-steps");

        private final String label;

        BudgetUnit(String label)
        {
            this.label = label;
        }

        public String label()
        {
            return label;
        }
    }

    /**
     * A variant: one value of each axis.
     *
     * @param label the values joined, as tables and folders show it
     * @param values each axis key's value, in the file's order
     */
    public record Variant(String label, Map<String, String> values)
    {
        public Variant
        {
            requireNonNull(label, "label is null");
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /**
     * One run of the study.
     *
     * @param id its folder's name under {@code cells/}
     * @param budget its whole budget, in the plan's unit
     */
    public record Cell(String id, Variant variant, long seed, double budget) {}

    private record Axis(StudyFile.Line line, List<String> values) {}

    private final StudyFile file;
    private final String name;
    private final List<Long> seeds;
    private final BudgetUnit unit;
    private final StudyFile.Line budgetLine;
    private final List<Double> budgets;
    private final double trainingShare;
    private final int tasks;
    private final List<StudyFile.Line> shared;
    private final List<Axis> axes;
    private final Map<String, String> overrides;
    private final List<Cell> cells;

    private StudyPlan(StudyFile file, Map<String, String> overrides)
    {
        this.file = file;
        Map<String, StudyFile.Line> study = new LinkedHashMap<>();
        List<StudyFile.Line> settings = new ArrayList<>();
        List<Axis> axes = new ArrayList<>();
        for (StudyFile.Line line : file.lines()) {
            if (line.key().startsWith("study.")) {
                if (!STUDY_KEYS.contains(line.key())) {
                    throw error(line, "unknown study key [" + line.key() + "]; expected one of " + new java.util.TreeSet<>(STUDY_KEYS));
                }
                study.put(line.key(), line);
            }
            else if (RESERVED.contains(line.key())) {
                throw error(line, "key [" + line.key() + "] is set by the study for each cell (" + reason(line.key()) + "); remove it from the study file");
            }
            else if (line.value().contains("|")) {
                axes.add(new Axis(line, values(line, "axis")));
            }
            else {
                settings.add(line);
            }
        }
        this.shared = List.copyOf(settings);
        this.axes = List.copyOf(axes);
        for (String key : overrides.keySet()) {
            if (key.startsWith("study.")) {
                throw new ConfigurationException("--set " + key + ": study keys belong in the study file [" + file.file() + "]");
            }
            if (RESERVED.contains(key)) {
                throw new ConfigurationException("--set " + key + ": the study sets it for each cell (" + reason(key) + ")");
            }
            axes.stream().filter(axis -> axis.line().key().equals(key)).findFirst().ifPresent(axis -> {
                throw new ConfigurationException("--set " + key + ": the study varies it (" + file.at(axis.line()).replace(": ", "") + "); change the study file instead");
            });
        }
        this.overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
        this.name = Optional.ofNullable(study.get(NAME)).map(StudyFile.Line::value).orElse(stem(file.file()));
        StudyFile.Line seedsLine = Optional.ofNullable(study.get(SEEDS))
                .orElseThrow(() -> new ConfigurationException("Study file [" + file.file() + "] has no " + SEEDS + "; expected for example " + SEEDS + " = 1, 2, 3"));
        this.seeds = seeds(seedsLine);
        StudyFile.Line minutes = study.get(CPU_MINUTES);
        StudyFile.Line steps = study.get(STEPS);
        if (minutes == null && steps == null) {
            throw new ConfigurationException("Study file [" + file.file() + "] has no budget; expected " + CPU_MINUTES + " = N (CPU minutes per cell, search and final training together) or "
                    + STEPS + " = N (meta-steps per cell)");
        }
        if (minutes != null && steps != null) {
            throw error(steps, "the budget is set twice (" + CPU_MINUTES + " on line " + minutes.number() + "); expected one budget rule");
        }
        this.unit = minutes != null ? BudgetUnit.CPU_MINUTES : BudgetUnit.STEPS;
        this.budgetLine = minutes != null ? minutes : steps;
        this.budgets = budgets(budgetLine, unit);
        this.trainingShare = Optional.ofNullable(study.get(TRAINING_SHARE)).map(line -> number(line, 0, 0.95, "a share of the budget from 0 (no final training) to 0.95")).orElse(0.5);
        this.tasks = Optional.ofNullable(study.get(TASKS)).map(line -> (int) Math.round(number(line, 2, 1_000_000, "a whole number of meta-test tasks, at least 2"))).orElse(600);
        List<Map<String, String>> excluded = excludes(study.get(EXCLUDE));
        this.cells = expand(excluded);
        if (unit == BudgetUnit.STEPS) {
            for (double budget : budgets) {
                if (trainingShare > 0 && (searchSteps(budget) < 1 || budget - searchSteps(budget) < 1)) {
                    throw error(budgetLine, "a budget of " + (long) budget + " meta-steps cannot be split into a search and a final training with share " + trainingShare
                            + "; expected at least one meta-step for each");
                }
            }
        }
    }

    /**
     * Reads the plan of a study file.
     *
     * @throws ConfigurationException naming the line that is wrong: an unknown study key, an empty
     *     or repeated axis value, seeds that are not distinct whole numbers, a missing budget
     */
    public static StudyPlan of(StudyFile file)
    {
        return of(file, Map.of());
    }

    /**
     * Reads the plan of a study file with shared settings given on the command line ({@code --set}),
     * which win over the file's shared settings.
     *
     * @throws ConfigurationException as {@link #of(StudyFile)}, and for an override of a study key, of a
     *     key the study sets for each cell, or of an axis
     */
    public static StudyPlan of(StudyFile file, Map<String, String> overrides)
    {
        return new StudyPlan(requireNonNull(file, "file is null"), requireNonNull(overrides, "overrides is null"));
    }

    /** The {@code --set} overrides of every cell. */
    public Map<String, String> overrides()
    {
        return overrides;
    }

    private static String reason(String key)
    {
        if (key.equals(CoreSettings.SEED.key())) {
            return "its seed from " + SEEDS;
        }
        if (key.equals(CoreSettings.RUNS_DIRECTORY.key()) || key.equals(CoreSettings.RUN_NAME.key())) {
            return "its folder under the study's folder";
        }
        return "from the budget rule";
    }

    private ConfigurationException error(StudyFile.Line line, String message)
    {
        return new ConfigurationException(file.at(line) + message);
    }

    private List<String> values(StudyFile.Line line, String what)
    {
        List<String> values = new ArrayList<>();
        for (String part : line.value().split("\\|", -1)) {
            String value = part.strip();
            if (value.isEmpty()) {
                throw error(line, "the " + what + " [" + line.key() + "] has an empty value in [" + line.value() + "]; expected values separated by |");
            }
            if (values.contains(value)) {
                throw error(line, "the " + what + " [" + line.key() + "] lists [" + value + "] twice; expected each variant once");
            }
            values.add(value);
        }
        return values;
    }

    private List<Long> seeds(StudyFile.Line line)
    {
        List<Long> seeds = new ArrayList<>();
        for (String part : line.value().split(",", -1)) {
            long seed;
            try {
                seed = Long.parseLong(part.strip());
            }
            catch (NumberFormatException e) {
                throw error(line, "seed [" + part.strip() + "] is not a whole number; expected seeds separated by commas, such as 1, 2, 3");
            }
            if (seeds.contains(seed)) {
                throw error(line, "seed " + seed + " is listed twice; expected distinct seeds");
            }
            seeds.add(seed);
        }
        return List.copyOf(seeds);
    }

    private List<Double> budgets(StudyFile.Line line, BudgetUnit unit)
    {
        List<Double> budgets = new ArrayList<>();
        for (String value : values(line, "budget")) {
            double budget;
            try {
                budget = Double.parseDouble(value);
            }
            catch (NumberFormatException e) {
                throw error(line, "budget [" + value + "] is not a number; expected " + unit.label() + " per cell");
            }
            if (!(budget > 0) || Double.isInfinite(budget) || (unit == BudgetUnit.STEPS && budget != Math.rint(budget))) {
                throw error(line, "budget [" + value + "] is not a positive " + (unit == BudgetUnit.STEPS ? "whole number of meta-steps" : "number of CPU minutes"));
            }
            budgets.add(budget);
        }
        return List.copyOf(budgets);
    }

    private double number(StudyFile.Line line, double min, double max, String expected)
    {
        double value;
        try {
            value = Double.parseDouble(line.value());
        }
        catch (NumberFormatException e) {
            throw error(line, "[" + line.value() + "] is not a number; expected " + expected);
        }
        if (!(value >= min && value <= max)) {
            throw error(line, "[" + line.value() + "] is out of range; expected " + expected);
        }
        return value;
    }

    /** {@code study.exclude = search.method=random & budget=20; ...}: cells the study leaves out. */
    private List<Map<String, String>> excludes(StudyFile.Line line)
    {
        if (line == null) {
            return List.of();
        }
        List<Map<String, String>> excludes = new ArrayList<>();
        for (String rule : line.value().split(";")) {
            Map<String, String> conditions = new LinkedHashMap<>();
            for (String condition : rule.split("&")) {
                int equals = condition.indexOf('=');
                if (equals <= 0) {
                    throw error(line, "[" + condition.strip() + "] is not key=value; expected rules such as search.method=random & budget=20, separated by ;");
                }
                String key = condition.substring(0, equals).strip();
                String value = condition.substring(equals + 1).strip();
                List<String> known = key.equals(BUDGET) ? budgets.stream().map(StudyPlan::format).toList()
                        : axes.stream().filter(axis -> axis.line().key().equals(key)).findFirst().map(Axis::values)
                        .orElseThrow(() -> error(line, "[" + key + "] is not an axis of the study; expected one of " + axisKeys()));
                if (!known.contains(value)) {
                    throw error(line, "[" + value + "] is not a value of [" + key + "]; expected one of " + known);
                }
                conditions.put(key, value);
            }
            excludes.add(conditions);
        }
        return excludes;
    }

    private List<String> axisKeys()
    {
        List<String> keys = new ArrayList<>(axes.stream().map(axis -> axis.line().key()).toList());
        if (budgets.size() > 1) {
            keys.add(BUDGET);
        }
        return keys;
    }

    private List<Cell> expand(List<Map<String, String>> excluded)
    {
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("", Map.of()));
        for (Axis axis : axes) {
            List<Variant> next = new ArrayList<>();
            for (Variant variant : variants) {
                for (String value : axis.values()) {
                    Map<String, String> values = new LinkedHashMap<>(variant.values());
                    values.put(axis.line().key(), value);
                    next.add(new Variant(variant.label().isEmpty() ? value : variant.label() + " " + value, values));
                }
            }
            variants = next;
        }
        List<Cell> cells = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        // budgets outermost, then seeds: a study stopped early has every variant on its first seeds
        // at the first budget, the comparison at equal cost, before the trend over budgets
        for (double budget : budgets) {
            for (long seed : seeds) {
                for (Variant variant : variants) {
                    Map<String, String> values = new LinkedHashMap<>(variant.values());
                    values.put(BUDGET, format(budget));
                    if (excluded.stream().anyMatch(rule -> rule.entrySet().stream().allMatch(condition -> condition.getValue().equals(values.get(condition.getKey()))))) {
                        continue;
                    }
                    String label = variant.label().isEmpty() ? "default" : variant.label();
                    String id = folderName(label + (budgets.size() > 1 ? "-b" + format(budget) : "") + "-s" + seed);
                    if (!ids.add(id)) {
                        throw new ConfigurationException("Study file [" + file.file() + "]: two cells would share the folder [" + id + "]; expected axis values that differ in letters or digits");
                    }
                    cells.add(new Cell(id, new Variant(label, variant.values()), seed, budget));
                }
            }
        }
        if (cells.isEmpty()) {
            throw error(Optional.ofNullable(file.lines().stream().filter(line -> line.key().equals(EXCLUDE)).findFirst().orElse(null)).orElseThrow(), "every cell is excluded");
        }
        return List.copyOf(cells);
    }

    private static String folderName(String label)
    {
        return label.replaceAll("[^A-Za-z0-9._-]+", "-");
    }

    /** A budget as tables, folders and exclude rules write it: {@code 20}, {@code 7.5}. */
    public static String format(double budget)
    {
        return budget == Math.rint(budget) ? Long.toString((long) budget) : String.format(Locale.ROOT, "%s", budget);
    }

    private static String stem(Path file)
    {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private long searchSteps(double budget)
    {
        return Math.round(budget * (1 - trainingShare));
    }

    /**
     * The configuration of a cell's search: the shared settings and the variant's values (each
     * from its line), the seed, the budget rule's split, and its folder {@code cellFolder/search}.
     * The final training reads its part of the budget ({@code train.*}) from this configuration.
     */
    public Configuration configuration(Cell cell, Path cellFolder)
    {
        Configuration configuration = Configuration.empty();
        for (StudyFile.Line line : shared) {
            configuration = configuration.with(Map.of(line.key(), line.value()), source(line));
        }
        if (!overrides.isEmpty()) {
            configuration = configuration.with(overrides, "--set on the command line");
        }
        for (Axis axis : axes) {
            configuration = configuration.with(Map.of(axis.line().key(), cell.variant().values().get(axis.line().key())), source(axis.line()));
        }
        StudyFile.Line seedsLine = file.lines().stream().filter(line -> line.key().equals(SEEDS)).findFirst().orElseThrow();
        configuration = configuration.with(Map.of(CoreSettings.SEED.key(), Long.toString(cell.seed())), source(seedsLine));
        Map<String, String> budget = new LinkedHashMap<>();
        if (unit == BudgetUnit.CPU_MINUTES) {
            budget.put(SearchSettings.CPU_BUDGET.key(), Double.toString(cell.budget() * (1 - trainingShare)));
            budget.put(FinalTraining.CPU_BUDGET.key(), Double.toString(cell.budget() * trainingShare));
            // the CPU minutes end each part; steps only where the study file caps them
            putIfAbsent(configuration, budget, SearchSettings.STEPS.key(), Integer.toString(100_000_000));
            putIfAbsent(configuration, budget, FinalTraining.STEPS.key(), Integer.toString(100_000_000));
        }
        else {
            long search = trainingShare > 0 ? searchSteps(cell.budget()) : (long) cell.budget();
            // the warm-up is part of the search's meta-steps: search.steps counts those after it
            int warmup = configuration.get(SearchSettings.WARMUP_STEPS.key()).map(entry -> SearchSettings.WARMUP_STEPS.parse(entry.value()))
                    .orElseGet(() -> SearchSettings.WARMUP_STEPS.defaultValue().orElseThrow());
            if (search <= warmup) {
                throw error(budgetLine, "the search's " + search + " meta-steps of a " + format(cell.budget()) + "-step budget do not cover " + SearchSettings.WARMUP_STEPS.key() + " = "
                        + warmup + "; expected a larger budget or fewer warm-up steps");
            }
            budget.put(SearchSettings.STEPS.key(), Long.toString(search - warmup));
            budget.put(FinalTraining.STEPS.key(), Long.toString(Math.max(1, (long) cell.budget() - search)));
        }
        configuration = configuration.with(budget, "the budget rule (" + file.at(budgetLine).replace(": ", "") + ")");
        return configuration.with(Map.of(CoreSettings.RUNS_DIRECTORY.key(), cellFolder.toString(), CoreSettings.RUN_NAME.key(), "search"), "the study's folder");
    }

    private static void putIfAbsent(Configuration configuration, Map<String, String> budget, String key, String value)
    {
        if (configuration.get(key).isEmpty()) {
            budget.put(key, value);
        }
    }

    private String source(StudyFile.Line line)
    {
        return "study file " + file.file() + " line " + line.number();
    }

    public StudyFile file()
    {
        return file;
    }

    public String name()
    {
        return name;
    }

    public List<Cell> cells()
    {
        return cells;
    }

    public List<Long> seeds()
    {
        return seeds;
    }

    public BudgetUnit unit()
    {
        return unit;
    }

    public List<Double> budgets()
    {
        return budgets;
    }

    /** The share of a cell's budget that goes to the final training; 0: none, the search's best is tested directly. */
    public double trainingShare()
    {
        return trainingShare;
    }

    /** Meta-test tasks of each cell's final evaluation. */
    public int tasks()
    {
        return tasks;
    }

    /** The axes' keys, in the file's order. */
    public List<String> axes()
    {
        return axes.stream().map(axis -> axis.line().key()).toList();
    }
}
