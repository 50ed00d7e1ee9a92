package org.atnas.core.adapt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.InnerLoop;
import org.atnas.api.Task;
import org.atnas.core.bench.Statistics;
import org.atnas.core.data.DataException;
import org.atnas.core.data.FewShotBaseline;
import org.atnas.core.data.Preprocessing;
import org.atnas.core.data.UserImages;
import org.atnas.core.run.AtomicFiles;

import static java.util.Objects.requireNonNull;

/**
 * Fixed few-shot tasks a user wrote down: {@code DIR/<episode>/support/<class>/*} and
 * {@code DIR/<episode>/query/<class>/*}, each episode any number of ways and shots. The support set
 * is the one the network adapts on and the query set the one it is scored on: nothing is resampled
 * or swapped. Episodes in folder-name order.
 *
 * @param folder the folder of episodes
 * @param episodes the episodes
 */
public record Episodes(Path folder, List<Episode> episodes)
{
    public static final String CSV = "episodes.csv";

    public Episodes
    {
        requireNonNull(folder, "folder is null");
        episodes = List.copyOf(requireNonNull(episodes, "episodes is null"));
    }

    /**
     * One episode.
     *
     * @param name its folder's name
     * @param support its support set, labelled in class-name order
     * @param query its query set, labelled with the support set's classes
     */
    public record Episode(String name, UserImages.Images support, UserImages.Images query)
    {
        public int ways()
        {
            return support.classes().size();
        }
    }

    /**
     * Reads every episode under {@code folder}.
     *
     * @throws DataException naming the folder: missing, without episodes, an episode without
     *     {@code support} or {@code query}, a query set without class folders, and every error of {@link UserImages}
     */
    public static Episodes read(Path folder, Preprocessing preprocessing)
    {
        if (!Files.isDirectory(folder)) {
            throw new DataException("Episodes folder [" + folder + "] does not exist or is not a folder");
        }
        List<Path> children;
        try (Stream<Path> list = Files.list(folder)) {
            children = list.filter(Files::isDirectory).filter(path -> !path.getFileName().toString().startsWith(".")).sorted().toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list episodes folder [" + folder + "]: " + e.getMessage(), e);
        }
        if (children.isEmpty()) {
            throw new DataException("Episodes folder [" + folder + "] holds no episode; expected " + folder + "/<episode>/support/<class>/<image> and " + folder + "/<episode>/query/<class>/<image>");
        }
        List<Episode> episodes = new ArrayList<>();
        for (Path episode : children) {
            for (String part : List.of("support", "query")) {
                if (!Files.isDirectory(episode.resolve(part))) {
                    throw new DataException("Episode [" + episode + "] has no " + part + " folder; expected " + episode.resolve(part) + "/<class>/<image>");
                }
            }
            UserImages.Images support = UserImages.classFolders(episode.resolve("support"), "Support folder", preprocessing);
            UserImages.Images query = UserImages.query(episode.resolve("query"), support.classes(), preprocessing);
            if (!query.labelled()) {
                throw new DataException("Query folder [" + episode.resolve("query") + "] of an episode holds images without classes; expected " + episode.resolve("query") + "/<class>/<image>");
            }
            episodes.add(new Episode(episode.getFileName().toString(), support, query));
        }
        return new Episodes(folder, episodes);
    }

    /**
     * The accuracy on one episode.
     *
     * @param accuracy the fraction of its queries predicted right
     */
    public record Score(String episode, int ways, int supportImages, int queryImages, double accuracy) {}

    /**
     * Mean accuracy over episodes and the half-width of its 95% confidence interval (1.96 standard
     * errors of the mean over episodes, as the meta-test reports it).
     */
    public record Summary(List<Score> episodes, double meanAccuracy, double confidence95)
    {
        public Summary
        {
            episodes = List.copyOf(episodes);
        }

        static Summary of(List<Score> scores)
        {
            double[] accuracies = scores.stream().mapToDouble(Score::accuracy).toArray();
            double interval = accuracies.length < 2 ? Double.NaN : 1.96 * Statistics.standardDeviation(accuracies) / Math.sqrt(accuracies.length);
            return new Summary(scores, Statistics.mean(accuracies), interval);
        }

        /** {@code episode,ways,support,queries,accuracy}, one line per episode. */
        public String csv()
        {
            StringBuilder out = new StringBuilder("episode,ways,support,queries,accuracy\n");
            for (Score score : episodes) {
                String name = score.episode().matches(".*[,\"\\r\\n].*") ? "\"" + score.episode().replace("\"", "\"\"") + "\"" : score.episode();
                out.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.6f\n", name, score.ways(), score.supportImages(), score.queryImages(), score.accuracy()));
            }
            return out.toString();
        }

        /** Writes {@link #csv} as {@code folder/episodes.csv}; returns the file. */
        public Path write(Path folder)
        {
            Path file = folder.resolve(CSV);
            AtomicFiles.writeString(file, csv());
            return file;
        }
    }

    /** The architecture adapted to each episode's support set and scored on its query set. */
    public Summary evaluate(FewShotAdapter adapter, ArchitectureCode code, HeadInit headInit, InnerLoop innerLoop, Preprocessing preprocessing)
    {
        List<Score> scores = new ArrayList<>();
        for (Episode episode : episodes) {
            FewShotAdapter.Adapted adapted = adapter.adapt(code, episode.support().batch(preprocessing), episode.ways(), episode.query().batch(preprocessing), headInit, innerLoop, false);
            scores.add(score(episode, adapted.accuracy(episode.query().labels())));
        }
        return Summary.of(scores);
    }

    /**
     * The pixel-space baselines on each episode.
     *
     * @param nearestNeighbour 1-NN's
     * @param nearestClassMean the nearest class mean's
     */
    public record Baselines(Summary nearestNeighbour, Summary nearestClassMean) {}

    public Baselines baselines(Preprocessing preprocessing)
    {
        List<Score> nearest = new ArrayList<>();
        List<Score> classMean = new ArrayList<>();
        for (int i = 0; i < episodes.size(); i++) {
            Episode episode = episodes.get(i);
            Task task = new Task(episode.ways(), episode.support().batch(preprocessing), episode.query().batch(preprocessing), i);
            nearest.add(score(episode, FewShotBaseline.nearestNeighbourAccuracy(task)));
            classMean.add(score(episode, FewShotBaseline.nearestClassMeanAccuracy(task)));
        }
        return new Baselines(Summary.of(nearest), Summary.of(classMean));
    }

    private static Score score(Episode episode, double accuracy)
    {
        return new Score(episode.name(), episode.ways(), episode.support().size(), episode.query().size(), accuracy);
    }
}
