package org.atnas.core.data;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserImagesTest
{
    private static final Preprocessing GREY_8 = new Preprocessing(1, 8, 8, true, Preprocessing.AREA_AVERAGE, new float[] {0}, new float[] {1});

    @TempDir
    Path temporary;

    private Path image(String relative)
    {
        Path file = temporary.resolve(relative);
        Fixtures.write(file, Fixtures.png(16, 2, 2, 6, Color.BLACK));
        return file;
    }

    @Test
    void readsClassFoldersInNameOrderAndPassesOverFilesThatAreNoImages()
            throws Exception
    {
        image("support/b/1.png");
        image("support/a/1.png");
        image("support/a/2.png");
        Files.writeString(temporary.resolve("support/a/notes.txt"), "not an image");
        UserImages.Images support = UserImages.classFolders(temporary.resolve("support"), "Support folder", GREY_8);
        assertThat(support.classes()).containsExactly("a", "b");
        assertThat(support.labels()).containsExactly(0, 0, 1);
        assertThat(support.files()).extracting(path -> temporary.relativize(path).toString()).containsExactly("support/a/1.png", "support/a/2.png", "support/b/1.png");
        assertThat(support.pixels()).hasSize(3 * 64);
    }

    @Test
    void aQueryFolderOfImagesHasNoClassesAndOneOfClassFoldersTheSupportSetsLabels()
    {
        image("query/x.png");
        image("query/y.png");
        image("labelled/b/z.png");
        UserImages.Images unlabelled = UserImages.query(temporary.resolve("query"), List.of("a", "b"), GREY_8);
        assertThat(unlabelled.labelled()).isFalse();
        assertThat(unlabelled.size()).isEqualTo(2);
        UserImages.Images labelled = UserImages.query(temporary.resolve("labelled"), List.of("a", "b"), GREY_8);
        assertThat(labelled.classes()).containsExactly("a", "b");
        assertThat(labelled.labels()).containsExactly(1);
    }

    @Test
    void badFoldersAndFilesAreNamed()
            throws Exception
    {
        Path missing = temporary.resolve("missing");
        assertThatThrownBy(() -> UserImages.classFolders(missing, "Support folder", GREY_8))
                .isInstanceOf(DataException.class)
                .hasMessage("Support folder [" + missing + "] does not exist or is not a folder");

        Path flat = temporary.resolve("flat");
        image("flat/1.png");
        assertThatThrownBy(() -> UserImages.classFolders(flat, "Support folder", GREY_8))
                .hasMessage("Support folder [" + flat + "] holds no class folder; expected " + flat + "/<class>/<image>");

        Path one = temporary.resolve("one");
        image("one/a/1.png");
        assertThatThrownBy(() -> UserImages.classFolders(one, "Support folder", GREY_8))
                .hasMessage("Support folder [" + one + "] holds 1 class folder (a); a task needs at least 2 classes");

        Path emptyClass = temporary.resolve("empty-class");
        image("empty-class/a/1.png");
        Files.createDirectories(emptyClass.resolve("b"));
        Files.writeString(emptyClass.resolve("b/readme.txt"), "no image here");
        assertThatThrownBy(() -> UserImages.classFolders(emptyClass, "Support folder", GREY_8))
                .hasMessage("Class folder [" + emptyClass.resolve("b") + "] holds no image (.png, .jpg, .jpeg, .gif, .bmp)");

        Path broken = temporary.resolve("broken");
        image("broken/a/1.png");
        Files.createDirectories(broken.resolve("b"));
        Files.write(broken.resolve("b/2.png"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> UserImages.classFolders(broken, "Support folder", GREY_8))
                .isInstanceOf(DataException.class)
                .hasMessage("Cannot decode image [" + broken.resolve("b/2.png") + "]: not a PNG or JPEG image");

        Path stranger = temporary.resolve("stranger");
        image("stranger/c/1.png");
        assertThatThrownBy(() -> UserImages.query(stranger, List.of("a", "b"), GREY_8))
                .hasMessage("Query class [c] (" + stranger.resolve("c") + ") is not a class of the support set; its classes: a, b");

        Path mixed = temporary.resolve("mixed");
        image("mixed/a/1.png");
        image("mixed/2.png");
        assertThatThrownBy(() -> UserImages.query(mixed, List.of("a", "b"), GREY_8))
                .hasMessage("Query folder [" + mixed + "] holds both images and class folders; expected either images or <class>/<image> folders");

        Path empty = Files.createDirectories(temporary.resolve("empty"));
        assertThatThrownBy(() -> UserImages.query(empty, List.of("a", "b"), GREY_8))
                .hasMessage("Query folder [" + empty + "] holds no image (.png, .jpg, .jpeg, .gif, .bmp) and no class folder");

        assertThatThrownBy(() -> UserImages.files(List.of(temporary.resolve("nothing.png")), GREY_8))
                .hasMessage("Image [" + temporary.resolve("nothing.png") + "] does not exist");
        assertThatThrownBy(() -> UserImages.files(List.of(empty), GREY_8))
                .hasMessage("Image folder [" + empty + "] holds no image (.png, .jpg, .jpeg, .gif, .bmp)");
    }
}
