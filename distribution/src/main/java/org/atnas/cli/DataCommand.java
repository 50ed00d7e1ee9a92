package org.atnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.atnas.core.Atnas;
import org.atnas.core.adapt.Episodes;
import org.atnas.core.ServiceType;
import org.atnas.core.config.CoreSettings;
import org.atnas.core.config.ResolvedConfiguration;
import org.atnas.core.data.ClassSplit;
import org.atnas.core.data.DataSettings;
import org.atnas.core.data.Datasets;
import org.atnas.core.data.FewShotBaseline;
import org.atnas.core.data.ImageClass;
import org.atnas.core.data.ImageDataset;
import org.atnas.core.data.Preprocessing;
import org.atnas.core.data.TaskPicture;
import org.atnas.core.data.TaskSampler;
import org.atnas.core.run.AtomicFiles;
import org.atnas.core.run.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code atnas data inspect|baseline}. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Few-shot data sets: look at one, or measure the pixel-space baselines on it.",
        subcommands = {DataCommand.Inspect.class, DataCommand.Baseline.class})
final class DataCommand
{
    @ParentCommand
    AtnasCommand parent;

    /** {@code --dataset} and {@code --path}, shortcuts for {@code data.dataset} and {@code data.path}. */
    static final class DataOptions
    {
        @Option(names = "--dataset", paramLabel = "NAME", description = "Sets data.dataset: glyphs, omniglot, mini-imagenet, image-folder, idx, fashion-mnist, cifar10 or svhn.")
        String dataset;

        @Option(names = "--path", paramLabel = "PATH", description = "Sets data.path (comma-separated for several Omniglot zips).")
        String path;

        @Mixin
        ConfigOptions config;

        /**
         * The configured data set and its split.
         *
         * @param configuration the configuration in force
         * @param dataset the loaded data set
         * @param split its classes by split
         */
        record Loaded(ResolvedConfiguration configuration, ImageDataset dataset, ClassSplit split) {}

        /** The configuration with the shortcuts applied. */
        ResolvedConfiguration configuration(Launcher launcher)
        {
            return start(launcher).configuration();
        }

        /** Loads the configured data set (with the shortcuts applied) and splits it. */
        Loaded load(Launcher launcher)
        {
            ResolvedConfiguration configuration = start(launcher).configuration();
            ImageDataset dataset = Datasets.load(configuration, ProgressLine.of(launcher, "images read"));
            return new Loaded(configuration, dataset, Datasets.split(configuration, dataset));
        }

        /** The configuration with the shortcuts applied; no component service is needed. */
        private Atnas start(Launcher launcher)
        {
            Map<String, String> fixed = new LinkedHashMap<>();
            if (dataset != null) {
                fixed.put(DataSettings.DATASET.key(), dataset);
            }
            if (path != null) {
                fixed.put(DataSettings.PATH.key(), path);
            }
            return launcher.start(config.load(launcher, fixed, "--dataset/--path"), EnumSet.noneOf(ServiceType.class));
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Loads a data set, prints its classes and images per split, and writes a picture of one sampled meta-train task into a run directory.")
    static final class Inspect
            implements Runnable
    {
        @ParentCommand
        DataCommand parent;

        @Mixin
        DataOptions data;

        @Override
        public void run()
        {
            Launcher launcher = parent.parent.launcher;
            long start = System.nanoTime();
            DataOptions.Loaded loaded = data.load(launcher);
            double seconds = (System.nanoTime() - start) / 1e9;
            ResolvedConfiguration configuration = loaded.configuration();
            ImageDataset dataset = loaded.dataset();
            ClassSplit split = loaded.split();
            RunDirectory run = RunDirectory.create(configuration, "data-inspect", Clock.systemDefaultZone());
            TaskSampler sampler;
            double microsPerTask;
            try {
                run.writeJson("split.json", split.describe());
                sampler = Datasets.sampler(configuration, "meta-train", split.train(), dataset);
                AtomicFiles.write(run.path().resolve("task.png"), TaskPicture.png(sampler.sampleWithClasses(configuration.get(CoreSettings.SEED)), 5));
                microsPerTask = sampler.microsecondsPerTask(2_000);
            }
            catch (RuntimeException | Error e) {
                run.removeAfterFailure(e);
                throw e;
            }

            PrintWriter out = launcher.out();
            out.printf(Locale.ROOT, "Data set %s: %,d classes, %,d images of %s, loaded in %.1f s%n", dataset.name(), dataset.classes().size(), dataset.imageCount(), dataset.shape(), seconds);
            out.println("normalisation: " + dataset.normalization());
            out.println();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"SPLIT", "CLASSES", "IMAGES", "GROUPS"});
            addRow(rows, "meta-train", split.train());
            addRow(rows, "meta-val", split.validation());
            addRow(rows, "meta-test", split.test());
            Table.print(out, rows);
            for (String warning : split.warnings(configuration.get(DataSettings.WAYS))) {
                launcher.err().println("warning: " + warning);
            }
            launcher.err().flush();
            out.println();
            out.println("Split:        " + run.path().resolve("split.json"));
            out.println("Task picture: " + run.path().resolve("task.png") + " (a " + sampler.ways() + "-way meta-train task)");
            out.printf(Locale.ROOT, "Sampling:     %.1f µs per %d-way %d-shot %d-query task (mean of 2,000 after 2,000 warm-up)%n", microsPerTask, sampler.ways(),
                    configuration.get(DataSettings.SHOTS), configuration.get(DataSettings.QUERIES));
        }

        private static void addRow(List<String[]> rows, String name, List<ImageClass> classes)
        {
            List<String> groups = classes.stream().map(ImageClass::group).distinct().toList();
            String shown = groups.size() <= 6 ? String.join(", ", groups) : String.join(", ", groups.subList(0, 5)) + ", ... (" + groups.size() + ")";
            rows.add(new String[] {name, String.format(Locale.ROOT, "%,d", classes.size()), String.format(Locale.ROOT, "%,d", classes.stream().mapToInt(ImageClass::size).sum()), shown});
        }
    }

    @Command(name = "baseline", mixinStandardHelpOptions = true,
            description = "The 1-nearest-neighbour and nearest-class-mean accuracy (pixel space) on meta-test tasks: mean and 95%% confidence interval, the floor a learned method must beat.")
    static final class Baseline
            implements Runnable
    {
        @ParentCommand
        DataCommand parent;

        @Mixin
        DataOptions data;

        @Option(names = "--tasks", defaultValue = "600", paramLabel = "N", description = "Meta-test tasks (default: ${DEFAULT-VALUE}).")
        int tasks;

        @Option(names = "--episodes", paramLabel = "DIR",
                description = "Measures on these fixed episodes instead of sampled meta-test tasks (DIR/<episode>/support/<class>/<image>, DIR/<episode>/query/<class>/<image>), "
                        + "with the configured data set's preprocessing.")
        Path episodes;

        @Override
        public void run()
        {
            Launcher launcher = parent.parent.launcher;
            if (episodes != null) {
                runEpisodes(launcher);
                return;
            }
            DataOptions.Loaded loaded = data.load(launcher);
            ResolvedConfiguration configuration = loaded.configuration();
            ImageDataset dataset = loaded.dataset();
            ClassSplit split = loaded.split();
            int ways = configuration.get(DataSettings.WAYS);
            int shots = configuration.get(DataSettings.SHOTS);
            int queries = configuration.get(DataSettings.QUERIES);
            TaskSampler sampler = Datasets.sampler(configuration, "meta-test", split.test(), dataset);
            FewShotBaseline.Result result = FewShotBaseline.evaluate(sampler, tasks, configuration.get(CoreSettings.SEED));
            RunDirectory run = RunDirectory.create(configuration, "data-baseline", Clock.systemDefaultZone());
            run.writeJson("split.json", split.describe());
            run.writeJson("baseline.json", new FewShotBaseline.Summary(dataset.name(), ways + "-way " + shots + "-shot " + queries + "-query", tasks, split.test().size(), result));

            PrintWriter out = launcher.out();
            out.printf(Locale.ROOT, "%s, %d-way %d-shot %d-query, %d meta-test tasks from %,d classes (chance %.1f%%)%n",
                    dataset.name(), ways, shots, queries, tasks, split.test().size(), 100.0 / ways);
            out.printf(Locale.ROOT, "1-nearest neighbour (pixels)  %6.2f%% ± %.2f%n", 100 * result.nearestNeighbour().mean(), 100 * result.nearestNeighbour().confidence95());
            out.printf(Locale.ROOT, "nearest class mean (pixels)   %6.2f%% ± %.2f%n", 100 * result.nearestClassMean().mean(), 100 * result.nearestClassMean().confidence95());
            out.println();
            out.println("Run directory: " + run.path());
        }

        /** The baselines on fixed episodes, with the preprocessing of the configured data set (which is not loaded when its loader needs no statistics). */
        private void runEpisodes(Launcher launcher)
        {
            ResolvedConfiguration configuration = data.configuration(launcher);
            Preprocessing preprocessing = Preprocessing.of(configuration);
            Episodes fixed = Episodes.read(episodes, preprocessing);
            Episodes.Baselines baselines = fixed.baselines(preprocessing);
            RunDirectory run = RunDirectory.create(configuration, "data-baseline", Clock.systemDefaultZone());
            AtomicFiles.writeString(run.path().resolve("episodes-nearest-neighbour.csv"), baselines.nearestNeighbour().csv());
            AtomicFiles.writeString(run.path().resolve("episodes-nearest-class-mean.csv"), baselines.nearestClassMean().csv());

            PrintWriter out = launcher.out();
            out.printf(Locale.ROOT, "%d episodes from %s, images as %s (%s)%n", fixed.episodes().size(), episodes, configuration.get(DataSettings.DATASET), preprocessing);
            out.println("1-nearest neighbour (pixels)  " + EvaluateCommand.meanAndInterval(baselines.nearestNeighbour()));
            out.println("nearest class mean (pixels)   " + EvaluateCommand.meanAndInterval(baselines.nearestClassMean()));
            out.println();
            out.println("Run directory: " + run.path());
        }
    }
}
