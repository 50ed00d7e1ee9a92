package org.atnas.core.data;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import org.atnas.api.ImageShape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TaskPictureTest
{
    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);

    /** Classes named like Omniglot's and Mini-ImageNet's longest: alphabet folders and WordNet ids with words. */
    static TaskSampler sampler()
    {
        List<String> names = List.of("Japanese_(hiragana)/character13", "Blackfoot_(Canadian_Aboriginal_Syllabics)/character02", "Mkhedruli_(Georgian)/character40",
                "n01532829_house_finch_and_its_relatives", "Inuktitut_(Canadian_Aboriginal_Syllabics)/character07");
        List<ImageClass> classes = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(1);
        for (String name : names) {
            byte[] pixels = new byte[4 * SHAPE.size()];
            random.nextBytes(pixels);
            String group = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
            classes.add(new ImageClass(name, group, SHAPE, pixels));
        }
        return new TaskSampler("meta-train", classes, Normalization.unit(1), 5, 1, 2);
    }

    @Test
    void longClassNamesAreWrappedWhole()
            throws Exception
    {
        FontMetrics metrics = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (String name : List.of("Blackfoot_(Canadian_Aboriginal_Syllabics)", "n01532829_house_finch_and_its_relatives", "Supercalifragilisticexpialidocious", "character02")) {
            List<String> lines = TaskPicture.wrap(name, metrics, 72);
            // nothing is cut: the lines together are the name, each as wide as the column at most
            assertThat(String.join("", lines)).isEqualTo(name);
            assertThat(lines).allMatch(line -> metrics.stringWidth(line) <= 72);
        }
        assertThat(TaskPicture.wrap("Blackfoot_(Canadian_Aboriginal_Syllabics)", metrics, 72)).first().isEqualTo("Blackfoot_");
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(TaskPicture.png(sampler().sampleWithClasses(3), 2)));
        assertThat(picture.getWidth()).isEqualTo(64 + 5 * (72 + 6));
    }
}
