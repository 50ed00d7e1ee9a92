package org.atnas.core.adapt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.atnas.core.data.UserImages;
import org.atnas.core.run.AtomicFiles;

import static java.util.Objects.requireNonNull;

/**
 * The predictions for a user's images: one row per file with the predicted class, the probability of
 * each class and, for a query set of class folders, the true class; written as {@code predictions.csv}.
 *
 * @param classes the classes, in label order
 * @param images the predicted images (and their classes, if known)
 * @param probabilities {@code [images, classes]} row-major
 */
public record Predictions(List<String> classes, UserImages.Images images, float[] probabilities)
{
    public static final String FILE = "predictions.csv";

    public Predictions
    {
        classes = List.copyOf(requireNonNull(classes, "classes is null"));
        requireNonNull(images, "images is null");
        requireNonNull(probabilities, "probabilities is null");
        if (probabilities.length != images.size() * classes.size()) {
            throw new IllegalArgumentException(images.size() + " images of " + classes.size() + " classes need " + images.size() * classes.size() + " probabilities, got " + probabilities.length);
        }
    }

    /** The predicted class of image {@code index}. */
    public String predicted(int index)
    {
        return classes.get(FewShotAdapter.argMax(probabilities, index, classes.size()));
    }

    public float probability(int index, int classIndex)
    {
        return probabilities[index * classes.size() + classIndex];
    }

    /** The probability of the predicted class of image {@code index}. */
    public float confidence(int index)
    {
        return probability(index, FewShotAdapter.argMax(probabilities, index, classes.size()));
    }

    /** The true class of image {@code index}, if the images have classes. */
    public Optional<String> trueClass(int index)
    {
        return images.labelled() ? Optional.of(images.classes().get(images.labels()[index])) : Optional.empty();
    }

    /** The fraction of images predicted as their true class, if they have classes. */
    public Optional<Double> accuracy()
    {
        if (!images.labelled()) {
            return Optional.empty();
        }
        int correct = 0;
        for (int i = 0; i < images.size(); i++) {
            if (predicted(i).equals(trueClass(i).orElseThrow())) {
                correct++;
            }
        }
        return Optional.of((double) correct / images.size());
    }

    /**
     * The CSV: {@code file,predicted,p(<class>)...[,true]}, files relative to {@code base} where they
     * lie below it; fields with commas, quotes or line breaks quoted.
     */
    public String csv(Path base)
    {
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("file", "predicted"));
        classes.forEach(name -> header.add("p(" + name + ")"));
        if (images.labelled()) {
            header.add("true");
        }
        line(out, header);
        for (int i = 0; i < images.size(); i++) {
            List<String> row = new ArrayList<>(List.of(displayName(base, i), predicted(i)));
            for (int c = 0; c < classes.size(); c++) {
                row.add(String.format(Locale.ROOT, "%.6f", probability(i, c)));
            }
            trueClass(i).ifPresent(row::add);
            line(out, row);
        }
        return out.toString();
    }

    /** Writes {@link #csv} as {@code folder/predictions.csv}; returns the file. */
    public Path write(Path folder, Path base)
    {
        Path file = folder.resolve(FILE);
        AtomicFiles.writeString(file, csv(base));
        return file;
    }

    /** Image {@code index}'s path relative to {@code base}, or as given when it is not below it. */
    public String displayName(Path base, int index)
    {
        Path file = images.files().get(index);
        return (file.startsWith(base) ? base.relativize(file) : file).toString().replace('\\', '/');
    }

    private static void line(StringBuilder out, List<String> fields)
    {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String field = fields.get(i);
            out.append(field.matches(".*[,\"\\r\\n].*") ? "\"" + field.replace("\"", "\"\"") + "\"" : field);
        }
        out.append('\n');
    }
}
