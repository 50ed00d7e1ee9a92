package org.atnas.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster as a user runs it: two {@code atnas worker} processes of the assembled distribution
 * on 127.0.0.1 with fixed ports, a search whose meta-steps run on them (the same population as one
 * JVM with as many worker threads), and a tiny study whose cells they run, one of them killed while
 * it runs a cell, which goes back to the queue and runs on the other.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ClusterProcessesIT
{
    private static final Path DISTRIBUTION = Path.of(System.getProperty("atnas.distribution", "target/atnas-0.1.0"));
    private static final int COORDINATOR = 5791;
    private static final List<Integer> WORKERS = List.of(5792, 5793);

    @TempDir
    Path temporary;

    private final Map<Integer, Process> workers = new LinkedHashMap<>();

    @AfterEach
    void stopWorkers()
            throws InterruptedException
    {
        for (Process worker : workers.values()) {
            worker.destroy();
            if (!worker.waitFor(30, TimeUnit.SECONDS)) {
                worker.destroyForcibly();
            }
        }
    }

    private static List<String> cluster(int port)
    {
        return List.of("--set", "cluster=hazelcast", "--set", "hazelcast.port=" + port, "--set", "hazelcast.members=127.0.0.1:5791,127.0.0.1:5792,127.0.0.1:5793",
                "--set", "hazelcast.cluster-name=cluster-processes-it", "--set", "cluster.wait-seconds=60");
    }

    private void startWorkers()
            throws IOException, InterruptedException
    {
        for (int port : WORKERS) {
            List<String> command = new ArrayList<>(List.of(DISTRIBUTION.resolve("bin/atnas").toAbsolutePath().toString(), "worker"));
            command.addAll(cluster(port));
            workers.put(port, new ProcessBuilder(command).directory(DISTRIBUTION.toFile()).redirectErrorStream(true)
                    .redirectOutput(temporary.resolve("worker-" + port + ".log").toFile()).start());
        }
        for (int port : WORKERS) {
            waitFor(temporary.resolve("worker-" + port + ".log"), Pattern.compile("Worker 127\\.0\\.0\\.1:" + port + " joined the cluster"), workers.get(port));
        }
    }

    @Test
    void aSearchAndAStudyRunOnTwoWorkerProcesses()
            throws Exception
    {
        startWorkers();

        // the meta-steps on the two workers: the population of one JVM with two worker threads
        List<String> tiny = new ArrayList<>();
        SearchIT.TINY.forEach(setting -> tiny.addAll(List.of("--set", setting)));
        tiny.addAll(List.of("--set", "search.workers=2", "--set", "runs.directory=" + temporary.resolve("runs")));
        List<String> clustered = new ArrayList<>(List.of("search"));
        clustered.addAll(tiny);
        clustered.addAll(cluster(COORDINATOR));
        clustered.addAll(List.of("--set", "cluster.wait-for=2", "--set", "run.name=cluster"));
        LauncherTest.Result onCluster = LauncherTest.run(DISTRIBUTION, clustered.toArray(String[]::new));
        assertThat(onCluster.status()).as(onCluster.err()).isZero();
        List<String> alone = new ArrayList<>(List.of("search"));
        alone.addAll(tiny);
        alone.addAll(List.of("--set", "run.name=alone"));
        LauncherTest.Result oneJvm = LauncherTest.run(DISTRIBUTION, alone.toArray(String[]::new));
        assertThat(oneJvm.status()).as(oneJvm.err()).isZero();
        assertThat(Files.readString(temporary.resolve("runs/cluster/population.json"))).isEqualTo(Files.readString(temporary.resolve("runs/alone/population.json")));

        // the study: a cell per worker; the worker that runs atnas-s1 is killed, and its cell runs again on the other
        Path file = temporary.resolve("tiny.properties");
        Files.writeString(file, StudyIT.STUDY);
        List<String> study = new ArrayList<>(List.of(DISTRIBUTION.resolve("bin/atnas").toAbsolutePath().toString(), "study", file.toString(), "--dir", temporary.resolve("study").toString()));
        study.addAll(cluster(COORDINATOR));
        study.addAll(List.of("--set", "cluster.wait-for=2"));
        Path log = temporary.resolve("study.log");
        Process coordinator = new ProcessBuilder(study).directory(DISTRIBUTION.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Matcher started = waitFor(log, Pattern.compile("\\[started] atnas-s1 on 127\\.0\\.0\\.1:(\\d+)"), coordinator);
        int killed = Integer.parseInt(started.group(1));
        workers.remove(killed).destroyForcibly().waitFor();
        assertThat(coordinator.waitFor(5, TimeUnit.MINUTES)).as("the study ends").isTrue();
        String output = Files.readString(log);
        assertThat(coordinator.exitValue()).as(output).isZero();
        int survivor = WORKERS.stream().filter(port -> port != killed).findFirst().orElseThrow();
        assertThat(output).contains("Member 127.0.0.1:" + killed + " left the cluster while it ran cell atnas-s1: the cell goes back to the queue and runs again from its start\n",
                "[started] atnas-s1 on 127.0.0.1:" + survivor + ": search\n", "[2/2] ");
        assertThat(Files.readAllLines(temporary.resolve("study/results.csv"))).hasSize(3);
        assertThat(temporary.resolve("study/report.html")).isRegularFile();
        for (String cell : List.of("atnas-s1", "fixed-s1")) {
            assertThat(temporary.resolve("study/cells").resolve(cell).resolve(StudyCell.RESULT)).isRegularFile();
            assertThat(Files.readString(temporary.resolve("study/cells").resolve(cell).resolve(StudyCell.LOG))).contains("== search: atnas search --config ");
        }
        assertThat(Files.readString(temporary.resolve("worker-" + survivor + ".log"))).contains("Running cell atnas-s1 of 127.0.0.1:" + COORDINATOR, "Cell atnas-s1 done");
        // the same results as the study run in one process, but for the CPU minutes
        LauncherTest.Result local = LauncherTest.run(DISTRIBUTION, "study", file.toString(), "--dir", temporary.resolve("local").toString());
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(StudyIT.withoutCpuMinutes(temporary.resolve("study/results.csv"))).isEqualTo(StudyIT.withoutCpuMinutes(temporary.resolve("local/results.csv")));
    }

    /** Waits until the process's log has a line matching {@code pattern}; fails if the process ends first. */
    private static Matcher waitFor(Path log, Pattern pattern, Process process)
            throws IOException, InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            Matcher matcher = pattern.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (matcher.find()) {
                return matcher;
            }
            assertThat(process.isAlive()).as("%s is running; its log:%n%s", process, Files.exists(log) ? Files.readString(log) : "").isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("No line matching " + pattern + " in " + log + " within 3 minutes:\n" + Files.readString(log));
    }
}
