package org.atnas.core.study;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.atnas.core.search.ClusterFingerprint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CellJobTest
{
    @TempDir
    Path temporary;

    @Test
    void aCellJobReadsBackAsWritten()
    {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("data.path", "/data/omniglot small1.zip");
        overrides.put("djl.threads", "1");
        // a study file longer than writeUTF's 65,535 bytes, with text beyond Latin-1
        String text = "study.seeds = 3\n# ±95% 𝒦\n" + "#".repeat(70_000) + "\n";
        CellJob job = new CellJob(new ClusterFingerprint("1.2", List.of("backend-djl 0.1.0", "evolution-ga 0.1.0"), "SHA-256 ab of 2 files"), "omniglot.properties", text, "atnas-b2-s1", overrides);

        byte[] bytes = job.encode();
        assertThat(CellJob.isCellJob(bytes)).isTrue();
        assertThat(CellJob.decode(bytes)).isEqualTo(job);
        // a meta-search job starts with its wire version, 1
        assertThat(CellJob.isCellJob(new byte[] {0, 0, 0, 1, 2})).isFalse();
        assertThat(CellJob.isCellJob(new byte[] {0x43, 0x45})).isFalse();
        assertThatThrownBy(() -> CellJob.decode(new byte[] {0, 0, 0, 1, 2})).isInstanceOf(IllegalArgumentException.class).hasMessage("Not a study cell job");
        assertThatThrownBy(() -> CellJob.decode(java.util.Arrays.copyOf(bytes, 30))).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Malformed study cell job: ");
    }

    @Test
    void aFolderTravelsWhole()
            throws IOException
    {
        Path folder = Files.createDirectories(temporary.resolve("cell/search/checkpoints/step-8"));
        Files.writeString(temporary.resolve("cell/cell.json"), "{\"accuracy\": 0.41}");
        Files.write(folder.resolve("weights.bin"), new byte[] {1, 2, 3, (byte) 255});
        Files.createDirectories(temporary.resolve("cell/empty"));

        FolderArchive.unzip(FolderArchive.zip(temporary.resolve("cell")), temporary.resolve("copy"));

        assertThat(Files.readString(temporary.resolve("copy/cell.json"))).isEqualTo("{\"accuracy\": 0.41}");
        assertThat(Files.readAllBytes(temporary.resolve("copy/search/checkpoints/step-8/weights.bin"))).containsExactly(1, 2, 3, (byte) 255);
    }

    @Test
    void anArchiveCannotWriteOutsideItsFolder()
            throws IOException
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("../escaped.txt"));
            zip.write(1);
            zip.closeEntry();
        }
        assertThatThrownBy(() -> FolderArchive.unzip(bytes.toByteArray(), temporary.resolve("target")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Archive entry [../escaped.txt] would land outside [" + temporary.resolve("target") + "]");
        assertThat(temporary.resolve("escaped.txt")).doesNotExist();
    }
}
