package org.atnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.InnerLoop;
import org.atnas.core.adapt.AdaptRun;
import org.atnas.core.adapt.AdaptedModel;
import org.atnas.core.adapt.FewShotAdapter;
import org.atnas.core.adapt.HeadInit;
import org.atnas.core.adapt.Predictions;
import org.atnas.core.data.UserImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code atnas adapt}: a search's architecture adapted to the user's own classes, and its predictions. */
@Command(name = "adapt", mixinStandardHelpOptions = true,
        description = {"Adapts a search's architecture, from its meta-trained weights, to your own classes and predicts new images.",
                "--support is a folder of class folders (any number of classes and images; folder names are the labels). Predicts --query (a folder",
                "of images, or of class folders for the accuracy too) into predictions.csv in a new output folder; --save keeps the adapted network",
                "for atnas predict."})
final class AdaptCommand
        implements Runnable
{
    @ParentCommand
    AtnasCommand parent;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A search's run directory.")
    Path runDirectory;

    @Option(names = "--support", required = true, paramLabel = "DIR", description = "The support set: DIR/<class>/<image>.")
    Path support;

    @Option(names = "--query", paramLabel = "DIR", description = "Images to predict: DIR/<image>, or DIR/<class>/<image> to measure the accuracy too.")
    Path query;

    @Option(names = "--code", paramLabel = "CODE", description = "Adapts this architecture (a code, the space's notation or a name such as darts-v2) instead of the best measured one.")
    String code;

    @Option(names = "--steps", paramLabel = "N", description = "Inner SGD steps (default: the run's evaluate.inner-steps).")
    Integer steps;

    @Option(names = "--lr", paramLabel = "X", description = "Inner learning rate (default: the run's evaluate.inner-lr).")
    Double learningRate;

    @Option(names = "--head-init", defaultValue = "zero", paramLabel = "INIT",
            description = "How the classifier head for your classes starts: zero (default), mean-row (every row the mean of the meta-trained rows; predicts as zero does) "
                    + "or meta-trained (the meta-trained rows; at most the run's task.ways classes).")
    String headInit;

    @Option(names = "--output", paramLabel = "DIR", description = "Where predictions.csv goes (a new or empty folder; default: a new adapt-<time> folder under runs.directory).")
    Path output;

    @Option(names = "--save", paramLabel = "MODEL_DIR", description = "Saves the adapted network (safetensors, genotype, model.json) into this new folder, for atnas predict.")
    Path save;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides a key of the run's configuration; repeatable.")
    List<String> overrides = new ArrayList<>();

    @Override
    public void run()
    {
        Launcher launcher = parent.launcher;
        HeadInit init = HeadInit.fromKey("--head-init", headInit);
        AdaptRun run = AdaptRun.open(launcher.plugins(), runDirectory, overrides);
        ArchitectureCode architecture = run.architecture(Optional.ofNullable(code));
        InnerLoop innerLoop = run.innerLoop(Optional.ofNullable(steps), Optional.ofNullable(learningRate));
        UserImages.Images supportImages = UserImages.classFolders(support, "Support folder", run.preprocessing());
        Optional<UserImages.Images> queryImages = Optional.ofNullable(query).map(folder -> UserImages.query(folder, supportImages.classes(), run.preprocessing()));
        if (queryImages.isEmpty() && save == null) {
            throw new IllegalArgumentException("Nothing to do: give --query to predict images, --save to keep the adapted network, or both");
        }
        // the output folder is checked before the work, so that a taken --output fails at once
        Optional<Path> folder = queryImages.isPresent() ? Optional.of(run.createOutput(Optional.ofNullable(output), "adapt", Clock.systemDefaultZone())) : Optional.empty();
        PrintWriter err = launcher.err();
        err.printf(Locale.ROOT, "Adapting %s to %d classes (%d support images; %d inner steps, lr %s) ...%n", architecture.format(), supportImages.classes().size(), supportImages.size(),
                innerLoop.steps(), innerLoop.learningRate());
        err.flush();
        // without --query the adapted weights are still needed for --save; the support set is then predicted as a check
        UserImages.Images predicted = queryImages.orElse(supportImages);
        FewShotAdapter.Adapted adapted = run.adapter().adapt(architecture, supportImages.batch(run.preprocessing()), supportImages.classes().size(),
                predicted.batch(run.preprocessing()), init, innerLoop, save != null);
        PrintWriter out = launcher.out();
        out.printf(Locale.ROOT, "%s adapted to %d classes (%s) from checkpoint at meta-step %d: %d support images, %d inner steps (lr %s), head %s%n",
                architecture.format(), supportImages.classes().size(), shortList(supportImages.classes()), run.checkpoint().step(), supportImages.size(),
                innerLoop.steps(), innerLoop.learningRate(), init.key());
        if (queryImages.isPresent()) {
            Predictions predictions = new Predictions(supportImages.classes(), queryImages.get(), adapted.probabilities());
            Path file = predictions.write(folder.orElseThrow(), query);
            out.println();
            printPredictions(out, predictions, query);
            out.println();
            predictions.accuracy().ifPresent(accuracy -> out.printf(Locale.ROOT, "Accuracy: %.2f%% (%d query images, chance %.1f%%)%n", 100 * accuracy,
                    predictions.images().size(), 100.0 / supportImages.classes().size()));
            out.println("Written: " + file);
        }
        if (save != null) {
            AdaptedModel.save(save, run, architecture, supportImages.classes(), adapted, init, innerLoop.steps(), innerLoop.learningRate());
            out.println("Saved: " + save + " (atnas predict " + save + " IMAGES...)");
        }
    }

    /** Up to 5 names, then how many more. */
    private static String shortList(List<String> names)
    {
        return names.size() <= 5 ? String.join(", ", names) : String.join(", ", names.subList(0, 5)) + ", ... " + (names.size() - 5) + " more";
    }

    /** The table of predictions: file, predicted class, its probability, and the true class when known. */
    static void printPredictions(PrintWriter out, Predictions predictions, Path base)
    {
        boolean labelled = predictions.images().labelled();
        List<String[]> rows = new ArrayList<>();
        rows.add(labelled ? new String[] {"FILE", "PREDICTED", "PROBABILITY", "TRUE"} : new String[] {"FILE", "PREDICTED", "PROBABILITY"});
        for (int i = 0; i < predictions.images().size(); i++) {
            String file = predictions.displayName(base, i);
            String probability = String.format(Locale.ROOT, "%.3f", predictions.confidence(i));
            rows.add(labelled ? new String[] {file, predictions.predicted(i), probability, predictions.trueClass(i).orElseThrow()} : new String[] {file, predictions.predicted(i), probability});
        }
        Table.print(out, rows);
    }
}
