package org.atnas.core.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code checkpoints/latest} may name one folder of the run's checkpoints and nothing else. */
class CheckpointLatestTest
{
    @TempDir
    Path run;

    @Test
    void pointerEscapingTheCheckpointsFolderIsRefused()
            throws IOException
    {
        Path checkpoints = Files.createDirectories(run.resolve("checkpoints"));
        Path latest = checkpoints.resolve("latest");
        Files.writeString(latest, "../../../../etc\n");
        assertThatThrownBy(() -> Checkpoint.readLatest(run))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Checkpoint pointer [" + latest + "] holds [../../../../etc]; expected the name of one folder inside [" + checkpoints + "], such as step-0000004");
    }

    @Test
    void pointerMustBeOneFolderName()
            throws IOException
    {
        Path checkpoints = Files.createDirectories(run.resolve("checkpoints"));
        Path latest = checkpoints.resolve("latest");
        for (String value : new String[] {"/etc", "step-0000004/../..", "step-0000004/sub", "..", ".", "", "a\\..\\..", "step\u0000"}) {
            Files.writeString(latest, value);
            assertThatThrownBy(() -> Checkpoint.readLatest(run))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Checkpoint pointer [" + latest + "] holds [" + value + "]; expected the name of one folder inside [" + checkpoints + "], such as step-0000004");
        }
        Files.writeString(latest, "step-0000004\n");
        assertThatThrownBy(() -> Checkpoint.readLatest(run))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Checkpoint [" + checkpoints.resolve("step-0000004") + "] is incomplete: manifest.json is missing");
    }

    @Test
    void noPointerValueLeadsOutsideTheCheckpointsFolder()
            throws IOException
    {
        Path checkpoints = Files.createDirectories(run.resolve("checkpoints"));
        Path latest = checkpoints.resolve("latest");
        Random random = new Random(18);
        String alphabet = "./\\:~ a1\u0000\n\u00e9";
        for (int iteration = 0; iteration < 1_000; iteration++) {
            StringBuilder value = new StringBuilder();
            for (int length = random.nextInt(12); length > 0; length--) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            Files.writeString(latest, value);
            // a pointer that passes names a folder right inside checkpoints, which here is never complete
            assertThatThrownBy(() -> Checkpoint.readLatest(run))
                    .as("pointer [%s]", value)
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .satisfiesAnyOf(
                            e -> assertThat(e).hasMessageStartingWith("Checkpoint pointer [" + latest + "] holds ["),
                            e -> assertThat(e).hasMessageMatching("Checkpoint \\[" + java.util.regex.Pattern.quote(checkpoints.toString()) + "/[^/]+\\] is incomplete: manifest.json is missing"));
        }
    }
}
