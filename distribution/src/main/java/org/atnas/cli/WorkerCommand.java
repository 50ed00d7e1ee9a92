package org.atnas.cli;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.atnas.api.cluster.ClusterService;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.search.ClusterWorker;
import org.atnas.core.study.CellJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code atnas worker}: a cluster member that runs the meta-step pairs of searches (Sec. 3.4 across JVMs) and the cells of studies. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Joins a cluster and runs the meta-steps' pairs of a search started with atnas search --set cluster=hazelcast, and the cells of a study started with atnas study FILE --set cluster=hazelcast, with this installation's plugins and data.",
                "A search whose API version, plugins or data (SHA-256) differ from this worker's is refused with what differs. Runs until Ctrl-C."})
final class WorkerCommand
        implements Runnable
{
    /** How long the JVM's exit waits for the worker to leave the cluster. */
    private static final int LEAVE_WAIT_SECONDS = 10;

    @ParentCommand
    AtnasCommand parent;

    @Mixin
    ConfigOptions config;

    @Override
    public void run()
    {
        Launcher launcher = parent.launcher;
        PrintWriter err = launcher.err();
        Atnas atnas = launcher.start(config.load(launcher, Map.of(), "--set"), EnumSet.of(ServiceType.CLUSTER));
        ClusterService service = atnas.components().create(ServiceType.CLUSTER, ClusterService.class)
                .orElseThrow(() -> new IllegalArgumentException("atnas worker needs a cluster service: --set cluster=NAME (installed: " + atnas.registry().components(ServiceType.CLUSTER).keySet() + ")"));
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch left = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                left.await(LEAVE_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "atnas-worker-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (service; ClusterWorker worker = new ClusterWorker(launcher.plugins(), line -> {
            err.println(line);
            err.flush();
        })) {
            // a study's cells and a search's meta-steps come through the same door
            StudyCellWorker cells = new StudyCellWorker(launcher, line -> {
                err.println(line);
                err.flush();
            });
            service.start((from, job) -> CellJob.isCellJob(job) ? cells.handle(from, job) : worker.handle(from, job));
            service.onMemberLeft(worker::memberLeft);
            err.println("Worker " + service.self() + " joined the cluster " + service.members() + "; serving searches and study cells until stopped (Ctrl-C)");
            err.flush();
            stop.await();
            err.println("Leaving the cluster ...");
            err.flush();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            left.countDown();
        }
    }
}
