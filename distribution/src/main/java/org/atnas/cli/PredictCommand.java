package org.atnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.atnas.core.adapt.AdaptedModel;
import org.atnas.core.adapt.Predictions;
import org.atnas.core.data.UserImages;
import org.atnas.core.run.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code atnas predict}: a network saved by {@code atnas adapt --save}, on images. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predicts the class of images with a network saved by atnas adapt --save (no run directory needed).",
                "The images are predicted in one batch, as adapt predicts a query folder."})
final class PredictCommand
        implements Runnable
{
    @ParentCommand
    AtnasCommand parent;

    @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "A folder written by atnas adapt --save.")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGES", description = "Image files, or folders of images.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--output", paramLabel = "FILE", description = "Also writes the predictions as CSV into this file.")
    Path output;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides a key of the model's configuration (for example backend=nd4j); repeatable.")
    List<String> overrides = new ArrayList<>();

    @Override
    public void run()
    {
        Launcher launcher = parent.launcher;
        AdaptedModel.Loaded loaded = AdaptedModel.load(launcher.plugins(), model, overrides);
        UserImages.Images files = UserImages.files(images, loaded.description().preprocessing());
        Predictions predictions = new Predictions(loaded.description().classes(), files, loaded.predict(files.batch(loaded.description().preprocessing())));
        PrintWriter out = launcher.out();
        AdaptCommand.printPredictions(out, predictions, Path.of(""));
        if (output != null) {
            AtomicFiles.writeString(output, predictions.csv(Path.of("")));
            out.println();
            out.println("Written: " + output);
        }
    }
}
