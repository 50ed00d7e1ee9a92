package org.atnas.core.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
