package org.atnas.core.adapt;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.atnas.core.data.DataException;
import org.atnas.core.data.Preprocessing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EpisodesTest
{
    private static final Preprocessing GREY_8 = new Preprocessing(1, 8, 8, true, Preprocessing.AREA_AVERAGE, new float[] {0}, new float[] {1});

    @TempDir
    Path temporary;

    /** A white 8×8 image with a black square at (x, y). */
    private void square(Path file, int x, int y)
            throws IOException
    {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, 8, 8);
        graphics.setColor(Color.BLACK);
        graphics.fillRect(x, y, 3, 3);
        graphics.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    @Test
    void baselinesScoreEachEpisodesQueriesAgainstItsOwnSupportSet()
            throws IOException
    {
        // episode 1: queries lie on their own class's support image; episode 2: each query lies on the other class's
        square(temporary.resolve("1/support/left/a.png"), 0, 0);
        square(temporary.resolve("1/support/right/a.png"), 5, 5);
        square(temporary.resolve("1/query/left/b.png"), 0, 0);
        square(temporary.resolve("1/query/right/b.png"), 5, 5);
        square(temporary.resolve("2/support/left/a.png"), 0, 0);
        square(temporary.resolve("2/support/right/a.png"), 5, 5);
        square(temporary.resolve("2/support/third/a.png"), 0, 5);
        square(temporary.resolve("2/query/left/b.png"), 5, 5);
        square(temporary.resolve("2/query/right/b.png"), 0, 0);
        Episodes episodes = Episodes.read(temporary, GREY_8);
        assertThat(episodes.episodes()).extracting(Episodes.Episode::name).containsExactly("1", "2");
        assertThat(episodes.episodes()).extracting(Episodes.Episode::ways).containsExactly(2, 3);

        Episodes.Baselines baselines = episodes.baselines(GREY_8);
        assertThat(baselines.nearestNeighbour().episodes()).extracting(Episodes.Score::accuracy).containsExactly(1.0, 0.0);
        assertThat(baselines.nearestNeighbour().meanAccuracy()).isEqualTo(0.5);
        assertThat(baselines.nearestNeighbour().confidence95()).isCloseTo(1.96 * Math.sqrt(0.5) / Math.sqrt(2), within(1e-12));
        assertThat(baselines.nearestNeighbour().csv()).isEqualTo("""
                episode,ways,support,queries,accuracy
                1,2,2,2,1.000000
                2,3,3,2,0.000000
                """);
    }

    @Test
    void layoutErrorsNameTheFolder()
            throws IOException
    {
        Path missing = temporary.resolve("missing");
        assertThatThrownBy(() -> Episodes.read(missing, GREY_8))
                .isInstanceOf(DataException.class)
                .hasMessage("Episodes folder [" + missing + "] does not exist or is not a folder");
        Path empty = Files.createDirectories(temporary.resolve("empty"));
        assertThatThrownBy(() -> Episodes.read(empty, GREY_8))
                .hasMessage("Episodes folder [" + empty + "] holds no episode; expected " + empty + "/<episode>/support/<class>/<image> and " + empty + "/<episode>/query/<class>/<image>");
        Path noQuery = temporary.resolve("no-query");
        square(noQuery.resolve("e/support/a/1.png"), 0, 0);
        square(noQuery.resolve("e/support/b/1.png"), 5, 5);
        assertThatThrownBy(() -> Episodes.read(noQuery, GREY_8))
                .hasMessage("Episode [" + noQuery.resolve("e") + "] has no query folder; expected " + noQuery.resolve("e/query") + "/<class>/<image>");
        Path flatQuery = temporary.resolve("flat-query");
        square(flatQuery.resolve("e/support/a/1.png"), 0, 0);
        square(flatQuery.resolve("e/support/b/1.png"), 5, 5);
        square(flatQuery.resolve("e/query/1.png"), 5, 5);
        assertThatThrownBy(() -> Episodes.read(flatQuery, GREY_8))
                .hasMessage("Query folder [" + flatQuery.resolve("e/query") + "] of an episode holds images without classes; expected " + flatQuery.resolve("e/query") + "/<class>/<image>");
    }
}
