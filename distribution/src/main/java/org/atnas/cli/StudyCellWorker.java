package org.atnas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.atnas.api.cluster.ClusterMember;
import org.atnas.core.search.ClusterFingerprint;
import org.atnas.core.study.CellJob;
import org.atnas.core.study.FolderArchive;
import org.atnas.core.study.StudyFile;
import org.atnas.core.study.StudyPlan;

import static java.util.Objects.requireNonNull;

/**
 * Runs the study cells a coordinator sends to this worker ({@code atnas study FILE --set
 * cluster=...}): one at a time, in a temporary study folder, as {@code atnas study FILE --cell ID}
 * would, with this installation's plugins and data; answers with the cell's folder as a zip archive
 * and deletes its copy. A cell whose plugins or data (SHA-256) differ from the coordinator's is
 * refused with what differs.
 */
final class StudyCellWorker
{
    private final Launcher launcher;
    private final Consumer<String> notices;

    /**
     * @param launcher this worker's launcher, whose plugins run the cells
     * @param notices what the worker tells its user, one line each
     */
    StudyCellWorker(Launcher launcher, Consumer<String> notices)
    {
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.notices = requireNonNull(notices, "notices is null");
    }

    /**
     * Runs one cell job.
     *
     * @return the cell's folder as a zip archive
     * @throws IllegalArgumentException if this worker's plugins or data differ from the coordinator's
     * @throws IllegalStateException if the cell fails, with its last error line
     */
    synchronized byte[] handle(ClusterMember from, byte[] bytes)
    {
        CellJob job = CellJob.decode(bytes);
        Path work;
        try {
            work = Files.createTempDirectory("atnas-cell-");
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot create a folder for cell " + job.cell() + ": " + e.getMessage(), e);
        }
        try {
            Path file = work.resolve(job.fileName());
            Files.writeString(file, job.fileText());
            Path study = work.resolve("study");
            Path folder = Files.createDirectories(study.resolve("cells").resolve(job.cell()));
            List<String> command = new ArrayList<>(List.of("study", file.toString(), "--dir", study.toString(), "--cell", job.cell()));
            job.overrides().forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
            StudyPlan plan = StudyPlan.of(StudyFile.read(file), job.overrides());
            StudyCell cell = new StudyCell(plan, plan.cells().stream().filter(planned -> planned.id().equals(job.cell())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("The study file of " + from + " has no cell [" + job.cell() + "]")), folder);
            Optional<String> differences = ClusterFingerprint.of(launcher.plugins(), cell.dataPath()).differences(job.fingerprint());
            if (differences.isPresent()) {
                notices.accept("Refused cell " + job.cell() + " of " + from + ": " + differences.get());
                throw new IllegalArgumentException("Worker " + from + " refused cell " + job.cell() + ": " + differences.get());
            }
            notices.accept("Running cell " + job.cell() + " of " + from);
            int status;
            try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(folder.resolve(StudyCell.LOG), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
                status = launcher.writingTo(log, log).execute(command.toArray(String[]::new));
            }
            if (status != 0 || !Files.isRegularFile(folder.resolve(StudyCell.RESULT))) {
                notices.accept("Cell " + job.cell() + " failed: " + cell.lastError());
                throw new IllegalStateException("Cell " + job.cell() + " failed on its worker (exit " + status + "): " + cell.lastError());
            }
            notices.accept("Cell " + job.cell() + " done");
            return FolderArchive.zip(folder);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare cell " + job.cell() + " in [" + work + "]: " + e.getMessage(), e);
        }
        finally {
            StudyCell.clear(work);
        }
    }
}
