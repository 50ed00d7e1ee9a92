package org.atnas.core.search;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.atnas.api.SearchSpace;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.config.ResolvedConfiguration;
import org.atnas.core.data.ClassSplit;
import org.atnas.core.data.Datasets;
import org.atnas.core.data.ImageDataset;

import static java.util.Objects.requireNonNull;

/**
 * The checks a command makes across keys, beyond each key's own type: the search plan
 * ({@link SearchPlan#read}: B_arch against K, the fixed code) and the data (loading, the split,
 * a task sampler for each split: enough classes for N ways, images for K shots and Q queries).
 * {@code config check} runs them so that a file it calls OK is one {@code search} accepts; every
 * problem is reported, not only the first.
 */
public final class ConfigurationCheck
{
    /**
     * What was checked and what is wrong.
     *
     * @param checked one line per check that ran
     * @param problems the errors, each naming the key or file
     */
    public record Result(List<String> checked, List<String> problems)
    {
        public Result
        {
            checked = List.copyOf(checked);
            problems = List.copyOf(problems);
        }
    }

    private ConfigurationCheck() {}

    public static Result run(Atnas atnas)
    {
        requireNonNull(atnas, "atnas is null");
        ResolvedConfiguration configuration = atnas.configuration();
        List<String> checked = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (configuration.selected(ServiceType.SEARCH_SPACE).isPresent()) {
            checked.add("search plan");
            try {
                SearchPlan.read(configuration, atnas.instance(SearchSpace.class));
            }
            catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        ImageDataset dataset;
        ClassSplit split;
        try {
            dataset = Datasets.load(configuration);
            split = Datasets.split(configuration, dataset);
        }
        catch (IllegalArgumentException | UncheckedIOException e) {
            problems.add(e.getMessage());
            return new Result(checked, problems);
        }
        checked.add(String.format(Locale.ROOT, "data (%s: %,d classes, %,d images; meta-train %,d, meta-val %,d, meta-test %,d classes)", dataset.name(), dataset.classes().size(),
                dataset.imageCount(), split.train().size(), split.validation().size(), split.test().size()));
        sampler(configuration, "meta-train", split, dataset, problems);
        sampler(configuration, "meta-val", split, dataset, problems);
        sampler(configuration, "meta-test", split, dataset, problems);
        return new Result(checked, problems);
    }

    private static void sampler(ResolvedConfiguration configuration, String name, ClassSplit split, ImageDataset dataset, List<String> problems)
    {
        try {
            Datasets.sampler(configuration, name, switch (name) {
                case "meta-train" -> split.train();
                case "meta-val" -> split.validation();
                default -> split.test();
            }, dataset);
        }
        catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }
}
