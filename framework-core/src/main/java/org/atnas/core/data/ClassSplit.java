package org.atnas.core.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static java.util.Objects.requireNonNull;

/**
 * The meta-train, meta-val and meta-test classes of a data set. The three never share a class (a
 * rotated class counts as its base class).
 */
public final class ClassSplit
{
    private final List<ImageClass> train;
    private final List<ImageClass> validation;
    private final List<ImageClass> test;

    public ClassSplit(List<ImageClass> train, List<ImageClass> validation, List<ImageClass> test)
    {
        this.train = List.copyOf(requireNonNull(train, "train is null"));
        this.validation = List.copyOf(requireNonNull(validation, "validation is null"));
        this.test = List.copyOf(requireNonNull(test, "test is null"));
        Set<String> seen = new HashSet<>();
        for (List<ImageClass> part : List.of(this.train, this.validation, this.test)) {
            Set<String> bases = new HashSet<>();
            for (ImageClass imageClass : part) {
                bases.add(baseName(imageClass));
            }
            for (String base : bases) {
                if (!seen.add(base)) {
                    throw new IllegalArgumentException("Class " + base + " is in two splits");
                }
            }
        }
    }

    /**
     * Explicit split by group or class names: the classes whose group or name is listed in
     * {@code validationNames} are meta-val, in {@code testNames} meta-test, the rest meta-train.
     *
     * @throws DataException naming a listed name that matches no class, or a name listed twice
     */
    public static ClassSplit byNames(ImageDataset dataset, List<String> validationNames, List<String> testNames)
    {
        return byNames(dataset, List.of(), validationNames, testNames);
    }

    /**
     * As {@link #byNames(ImageDataset, List, List)}, with the meta-train groups or classes named
     * too: then a class in none of the three lists is not used at all (a smaller meta-train set,
     * or classes kept out of every split).
     *
     * @throws DataException for a name that is neither a group nor a class, or one in two lists
     */
    public static ClassSplit byNames(ImageDataset dataset, List<String> trainNames, List<String> validationNames, List<String> testNames)
    {
        Set<String> known = new HashSet<>(dataset.groups());
        dataset.classes().forEach(imageClass -> known.add(imageClass.name()));
        for (String name : concat(trainNames, concat(validationNames, testNames))) {
            if (!known.contains(name)) {
                throw new DataException("Split names [" + name + "], which is neither a group nor a class of " + dataset.name() + "; groups: " + new ArrayList<>(dataset.groups()));
            }
        }
        Set<String> both = new HashSet<>(validationNames);
        both.retainAll(testNames);
        if (!both.isEmpty()) {
            throw new DataException("Split names " + both + " both in meta-val and meta-test");
        }
        Set<String> trainAndOther = new HashSet<>(trainNames);
        trainAndOther.retainAll(concat(validationNames, testNames));
        if (!trainAndOther.isEmpty()) {
            throw new DataException("Split names " + trainAndOther + " both in meta-train and in meta-val or meta-test");
        }
        List<ImageClass> train = new ArrayList<>();
        List<ImageClass> validation = new ArrayList<>();
        List<ImageClass> test = new ArrayList<>();
        for (ImageClass imageClass : dataset.classes()) {
            if (validationNames.contains(imageClass.group()) || validationNames.contains(imageClass.name())) {
                validation.add(imageClass);
            }
            else if (testNames.contains(imageClass.group()) || testNames.contains(imageClass.name())) {
                test.add(imageClass);
            }
            else if (trainNames.isEmpty() || trainNames.contains(imageClass.group()) || trainNames.contains(imageClass.name())) {
                train.add(imageClass);
            }
        }
        return new ClassSplit(train, validation, test);
    }

    /**
     * A seeded random split of the groups (so that an alphabet stays whole) by fractions of
     * meta-train, meta-val and meta-test (the rest).
     */
    public static ClassSplit byFractions(ImageDataset dataset, double trainFraction, double validationFraction, long seed)
    {
        if (trainFraction <= 0 || validationFraction < 0 || trainFraction + validationFraction >= 1) {
            throw new DataException("Split fractions must leave classes for every split: meta-train " + trainFraction + ", meta-val " + validationFraction);
        }
        List<String> groups = new ArrayList<>(dataset.groups());
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = groups.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String swap = groups.get(i);
            groups.set(i, groups.get(j));
            groups.set(j, swap);
        }
        int trainCount = (int) Math.round(groups.size() * trainFraction);
        int validationCount = (int) Math.round(groups.size() * validationFraction);
        List<String> validation = groups.subList(trainCount, Math.min(groups.size(), trainCount + validationCount));
        List<String> test = groups.subList(Math.min(groups.size(), trainCount + validationCount), groups.size());
        return byNames(dataset, List.copyOf(validation), List.copyOf(test));
    }

    /** This split with every meta-train class joined by its 90°, 180° and 270° rotations as classes of their own. */
    public ClassSplit withTrainRotations()
    {
        List<ImageClass> rotated = new ArrayList<>();
        for (ImageClass imageClass : train) {
            rotated.add(imageClass);
            for (int turns = 1; turns <= 3; turns++) {
                rotated.add(imageClass.rotated(turns));
            }
        }
        return new ClassSplit(rotated, validation, test);
    }

    public List<ImageClass> train()
    {
        return train;
    }

    public List<ImageClass> validation()
    {
        return validation;
    }

    public List<ImageClass> test()
    {
        return test;
    }

    /** The split by name ({@code meta-train}, {@code meta-val}, {@code meta-test}) for the run directory. */
    public Map<String, List<String>> describe()
    {
        Map<String, List<String>> description = new LinkedHashMap<>();
        description.put("meta-train", train.stream().map(ImageClass::name).toList());
        description.put("meta-val", validation.stream().map(ImageClass::name).toList());
        description.put("meta-test", test.stream().map(ImageClass::name).toList());
        return description;
    }

    private static String baseName(ImageClass imageClass)
    {
        int at = imageClass.quarterTurns() == 0 ? -1 : imageClass.name().lastIndexOf('@');
        return at < 0 ? imageClass.name() : imageClass.name().substring(0, at);
    }

    /**
     * A warning for each split with fewer classes than a task's ways: {@code data inspect} shows
     * such a split, but a search or an evaluation that samples tasks from it refuses it.
     */
    public List<String> warnings(int ways)
    {
        List<String> warnings = new ArrayList<>();
        Map<String, List<ImageClass>> splits = new LinkedHashMap<>();
        splits.put("meta-train", train);
        splits.put("meta-val", validation);
        splits.put("meta-test", test);
        splits.forEach((name, classes) -> {
            if (classes.size() < ways) {
                warnings.add("The " + name + " split has " + classes.size() + " classes, fewer than the " + ways + " ways of a task (task.ways): no task can be drawn from it");
            }
        });
        return warnings;
    }

    private static List<String> concat(List<String> first, List<String> second)
    {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
