package org.atnas.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.atnas.api.cluster.ClusterJobException;
import org.atnas.api.cluster.ClusterMember;
import org.atnas.api.cluster.ClusterService;
import org.atnas.api.cluster.MemberLostException;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.config.Configuration;
import org.atnas.core.search.ClusterFingerprint;
import org.atnas.core.search.ClusterSettings;
import org.atnas.core.study.CellJob;
import org.atnas.core.study.FolderArchive;
import org.atnas.core.study.StudyPlan;

import static java.util.Objects.requireNonNull;

/**
 * A study's cells on a cluster ({@code atnas study FILE --set cluster=NAME ...}): this JVM joins the
 * cluster as its coordinator and hands whole cells to the other members ({@code atnas worker}), one
 * at a time each; a member runs its cell in a folder of its own and answers with the folder, which
 * replaces the cell's folder here. A member that leaves takes its cell's work with it: the cell
 * goes back to the queue and runs again from its start (same seed, same result) on another member.
 */
final class StudyOnCluster
{
    private static final long POLL_MILLIS = 200;

    private final Launcher launcher;
    private final StudyPlan plan;
    private final Path file;
    private final Map<String, String> cluster;

    /**
     * @param cluster the cluster's keys of the study's {@code --set} values ({@code cluster} and its service's settings)
     */
    StudyOnCluster(Launcher launcher, StudyPlan plan, Path file, Map<String, String> cluster)
    {
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.plan = requireNonNull(plan, "plan is null");
        this.file = requireNonNull(file, "file is null");
        this.cluster = Map.copyOf(cluster);
    }

    private record Running(StudyCell cell, CompletableFuture<byte[]> reply) {}

    /**
     * Runs the pending cells on the cluster's other members.
     *
     * @return whether every cell finished (false: stopped by a signal)
     * @throws StudyCellFailedException naming the cells that failed, once the running ones have answered
     * @throws ClusterJobException if no worker is in the cluster for {@code cluster.wait-seconds}
     */
    boolean run(List<StudyCell> pending, int total, BooleanSupplier stopping)
    {
        Atnas atnas = launcher.start(Configuration.empty().with(cluster, "--set"), EnumSet.of(ServiceType.CLUSTER));
        int waitFor = atnas.configuration().get(ClusterSettings.WAIT_FOR);
        long waitNanos = TimeUnit.SECONDS.toNanos(atnas.configuration().get(ClusterSettings.WAIT_SECONDS));
        ClusterService service = atnas.components().create(ServiceType.CLUSTER, ClusterService.class).orElseThrow();
        Deque<StudyCell> queue = new ArrayDeque<>(pending);
        Map<ClusterMember, Running> busy = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        int done = total - pending.size();
        try (service) {
            service.start((from, job) -> {
                throw new IllegalStateException("Member " + service.self() + " coordinates a study; it runs no jobs");
            });
            say("Coordinating the study from " + service.self() + "; waiting up to " + TimeUnit.NANOSECONDS.toSeconds(waitNanos) + " s for " + waitFor + " worker(s) (key [cluster.wait-for])");
            long waitingSince = System.nanoTime();
            while (workers(service).size() < waitFor) {
                if (System.nanoTime() - waitingSince > waitNanos) {
                    throw new ClusterJobException("Only " + workers(service).size() + " of " + waitFor + " workers (key [cluster.wait-for]) joined the cluster within "
                            + TimeUnit.NANOSECONDS.toSeconds(waitNanos) + " s (key [cluster.wait-seconds]); members: " + service.members() + ". Start each worker with atnas worker --set cluster="
                            + service.name() + " and the same member list");
                }
                pause();
            }
            long idleSince = -1;
            while (!queue.isEmpty() || !busy.isEmpty()) {
                if (stopping.getAsBoolean()) {
                    // the members' running cells are lost with this coordinator: they run again when the study continues
                    return false;
                }
                List<ClusterMember> workers = workers(service);
                for (ClusterMember member : workers) {
                    if (queue.isEmpty() || !failures.isEmpty()) {
                        break;
                    }
                    if (!busy.containsKey(member)) {
                        StudyCell cell = queue.poll();
                        cell.prepare(plan.configuration(cell.cell(), cell.folder()));
                        CellJob job = new CellJob(ClusterFingerprint.of(launcher.plugins(), cell.dataPath()), file.getFileName().toString(), plan.file().text(), cell.cell().id(), plan.overrides());
                        say("[started] " + cell.cell().id() + " on " + member + ": " + cell.phase().label());
                        busy.put(member, new Running(cell, service.submit(member, job.encode())));
                    }
                }
                for (Map.Entry<ClusterMember, Running> entry : List.copyOf(busy.entrySet())) {
                    if (!entry.getValue().reply().isDone()) {
                        continue;
                    }
                    busy.remove(entry.getKey());
                    StudyCell cell = entry.getValue().cell();
                    try {
                        receive(cell, entry.getValue().reply().join());
                        done++;
                        StudyCommand.finishedLine(launcher, cell, done, total);
                    }
                    catch (CompletionException e) {
                        if (e.getCause() instanceof MemberLostException) {
                            queue.addFirst(cell);
                            say("Member " + entry.getKey() + " left the cluster while it ran cell " + cell.cell().id() + ": the cell goes back to the queue and runs again from its start");
                        }
                        else {
                            failures.add("cell " + cell.cell().id() + " failed on " + entry.getKey() + ": " + e.getCause().getMessage());
                        }
                    }
                }
                if (!failures.isEmpty() && busy.isEmpty()) {
                    break;
                }
                if (busy.isEmpty() && !queue.isEmpty() && workers.isEmpty()) {
                    if (idleSince < 0) {
                        idleSince = System.nanoTime();
                        say("No worker is left in the cluster; waiting up to " + TimeUnit.NANOSECONDS.toSeconds(waitNanos) + " s (key [cluster.wait-seconds]) for one to join");
                    }
                    else if (System.nanoTime() - idleSince > waitNanos) {
                        throw new ClusterJobException("No worker joined the cluster within " + TimeUnit.NANOSECONDS.toSeconds(waitNanos) + " s (key [cluster.wait-seconds]); " + queue.size()
                                + " cells did not run. Start workers with atnas worker --set cluster=" + service.name() + " and run the study again: the finished cells are kept");
                    }
                }
                else {
                    idleSince = -1;
                }
                pause();
            }
        }
        if (!failures.isEmpty()) {
            throw new StudyCellFailedException(String.join("; ", failures) + "; the finished cells are kept: run the study again to continue");
        }
        return true;
    }

    private static List<ClusterMember> workers(ClusterService service)
    {
        return service.members().stream().filter(member -> !member.equals(service.self())).toList();
    }

    /** Puts the member's folder of the cell in place of this one's: unpacked beside it, then swapped. */
    private static void receive(StudyCell cell, byte[] archive)
    {
        Path folder = cell.folder();
        Path incoming = folder.resolveSibling("." + folder.getFileName() + ".incoming");
        StudyCell.clear(incoming);
        FolderArchive.unzip(archive, incoming);
        if (!Files.isRegularFile(incoming.resolve(StudyCell.RESULT))) {
            StudyCell.clear(incoming);
            throw new CompletionException(new ClusterJobException("the member's folder of cell " + cell.cell().id() + " has no " + StudyCell.RESULT));
        }
        StudyCell.clear(folder);
        try {
            Files.move(incoming, folder, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot move the received cell folder [" + incoming + "] to [" + folder + "]: " + e.getMessage(), e);
        }
    }

    private void say(String line)
    {
        launcher.err().printf(Locale.ROOT, "%s%n", line);
        launcher.err().flush();
    }

    private static void pause()
    {
        try {
            Thread.sleep(POLL_MILLIS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the study's cells ran on the cluster", e);
        }
    }
}
