package org.atnas.core.search;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.atnas.api.NonFiniteLossException;
import org.atnas.api.cluster.ClusterJobException;
import org.atnas.api.cluster.ClusterMember;
import org.atnas.api.cluster.MemberLostException;
import org.atnas.core.search.ClusterWire.PairResult;
import org.atnas.core.search.ClusterWire.RemotePair;
import org.atnas.core.search.ClusterWire.StepResult;
import org.atnas.core.search.ClusterWire.WorkerPairs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The coordinator of a search on a cluster (Sec. 3.4 across JVMs): places the 𝒦 workers of Eq. 7
 * on the members that run {@code atnas worker}, worker k on accepted member k mod M, and runs each
 * meta-step's pairs there. Every member gets W and the pairs of its workers (task seeds and
 * architecture codes: tasks are made on the member); it returns each pair's meta-gradient, which
 * {@link MetaStep} averages in the pairs' order, so where a worker ran changes no bit of the result.
 *
 * <p>A member that leaves mid-step: its workers' pairs run again on the members that remain. If
 * none remains, the meta-step is abandoned like a stop: W is untouched and the search ends with a
 * checkpoint of the step before. Started on the first meta-step, so that commands that only
 * evaluate a run never join a cluster. Writes {@code cluster.jsonl}, one line per meta-step with
 * its compute and communication times.
 */
final class ClusterCoordinator
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCoordinator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterSetup setup;
    private final int workers;
    private final Path log;
    private final StopSignal stop;
    private final String session = UUID.randomUUID().toString();
    private final Set<ClusterMember> left = ConcurrentHashMap.newKeySet();
    private List<ClusterMember> accepted;
    private boolean started;

    /**
     * @param workers 𝒦
     * @param runDirectory where {@code cluster.jsonl} goes
     */
    ClusterCoordinator(ClusterSetup setup, int workers, Path runDirectory, StopSignal stop)
    {
        this.setup = requireNonNull(setup, "setup is null");
        this.workers = workers;
        this.log = runDirectory.resolve("cluster.jsonl");
        this.stop = requireNonNull(stop, "stop is null");
    }

    /**
     * One line of {@code cluster.jsonl}: the times of one meta-step on the cluster.
     *
     * @param step the meta-step's number
     * @param members members that computed it
     * @param pairs its (architecture, task) pairs
     * @param wallMs from sending W to the last reply, decoded
     * @param computeMs the longest member's time on its pairs
     * @param communicationMs the rest of the wall time: encoding, the network, decoding, waiting
     * @param applyMs taking the meta-gradients into the backend and Adam's step, on the coordinator
     * @param bytesOut bytes sent (W and pairs, every member)
     * @param bytesIn bytes received (the pairs' meta-gradients)
     * @param rerun whether a member left and its workers ran again elsewhere
     */
    record StepTimes(int step, int members, int pairs, double wallMs, double computeMs, double communicationMs, double applyMs, long bytesOut, long bytesIn, boolean rerun) {}

    /** A meta-step's pairs' results in the pairs' order, and its times without the outer update's. */
    record Outcome(List<PairResult> results, StepTimes times) {}

    /**
     * Runs the pairs of meta-step {@code number} on the cluster with W = {@code weights}.
     *
     * @throws NonFiniteLossException when a member met a NaN or infinite loss
     * @throws StopSignal.WorkAbandonedException if a stop is requested or every worker left (W is untouched)
     * @throws ClusterJobException if the cluster cannot be joined or a member fails otherwise
     */
    Outcome run(int number, List<MetaStep.Pair> pairs, Map<String, float[]> weights)
    {
        start();
        long start = System.nanoTime();
        byte[] encodedWeights = ClusterWire.weights(weights);
        Map<Integer, List<Integer>> byWorker = new TreeMap<>();
        for (int p = 0; p < pairs.size(); p++) {
            byWorker.computeIfAbsent(pairs.get(p).worker(), key -> new ArrayList<>()).add(p);
        }
        PairResult[] results = new PairResult[pairs.size()];
        List<Integer> pending = new ArrayList<>(byWorker.keySet());
        long computeNanos = 0;
        long bytesOut = 0;
        long bytesIn = 0;
        boolean rerun = false;
        while (!pending.isEmpty()) {
            List<ClusterMember> live = accepted.stream().filter(member -> !left.contains(member)).toList();
            if (live.isEmpty()) {
                LOG.error("Every worker has left the cluster during meta-step {}: the search stops with the checkpoint of the meta-step before", number);
                throw new StopSignal.WorkAbandonedException();
            }
            Map<ClusterMember, List<Integer>> placement = new LinkedHashMap<>();
            for (int worker : pending) {
                ClusterMember home = accepted.get(worker % accepted.size());
                ClusterMember member = left.contains(home) ? live.get(worker % live.size()) : home;
                placement.computeIfAbsent(member, key -> new ArrayList<>()).add(worker);
            }
            Map<ClusterMember, CompletableFuture<byte[]>> replies = new LinkedHashMap<>();
            for (Map.Entry<ClusterMember, List<Integer>> entry : placement.entrySet()) {
                List<WorkerPairs> work = new ArrayList<>();
                for (int worker : entry.getValue()) {
                    List<RemotePair> remote = new ArrayList<>();
                    for (int p : byWorker.get(worker)) {
                        MetaStep.Pair pair = pairs.get(p);
                        long seed = pair.taskSeed().orElseThrow(() -> new IllegalStateException("A pair without a task seed cannot run on a cluster"));
                        remote.add(new RemotePair(seed, pair.architecture()));
                    }
                    work.add(new WorkerPairs(worker, remote));
                }
                byte[] job = ClusterWire.step(new ClusterWire.Step(session, number, encodedWeights, work));
                bytesOut += job.length;
                replies.put(entry.getKey(), setup.service().submit(entry.getKey(), job));
            }
            pending = new ArrayList<>();
            for (Map.Entry<ClusterMember, CompletableFuture<byte[]>> reply : replies.entrySet()) {
                ClusterMember member = reply.getKey();
                List<Integer> placed = placement.get(member);
                byte[] bytes;
                try {
                    bytes = await(reply.getValue());
                }
                catch (MemberLostException e) {
                    left.add(member);
                    rerun = true;
                    pending.addAll(placed);
                    LOG.warn("Worker {} left the cluster during meta-step {}; its workers {} run again on the workers that remain", member, number, placed);
                    continue;
                }
                bytesIn += bytes.length;
                StepResult result = ClusterWire.readStepResult(bytes);
                if (result.nonFinite() != null) {
                    throw new NonFiniteLossException(result.nonFinite() + " (on worker " + member + ")");
                }
                computeNanos = Math.max(computeNanos, result.computeNanos());
                for (int i = 0; i < placed.size(); i++) {
                    List<Integer> indices = byWorker.get(placed.get(i));
                    List<PairResult> own = result.workers().get(i);
                    for (int j = 0; j < indices.size(); j++) {
                        results[indices.get(j)] = own.get(j);
                    }
                }
            }
            pending.sort(Integer::compare);
        }
        double wallMs = (System.nanoTime() - start) / 1e6;
        double computeMs = computeNanos / 1e6;
        int members = (int) accepted.stream().filter(member -> !left.contains(member)).count();
        return new Outcome(List.of(results), new StepTimes(number, members, pairs.size(), wallMs, computeMs, wallMs - computeMs, 0, bytesOut, bytesIn, rerun));
    }

    /** Appends a meta-step's times, with its outer update's, to {@code cluster.jsonl}. */
    void record(StepTimes times, double applyMs)
    {
        StepTimes line = new StepTimes(times.step(), times.members(), times.pairs(), times.wallMs(), times.computeMs(), times.communicationMs(), applyMs, times.bytesOut(), times.bytesIn(), times.rerun());
        try (BufferedWriter writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            writer.write(JSON.writeValueAsString(line));
            writer.write('\n');
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot write [" + log + "]: " + e.getMessage(), e);
        }
    }

    /** The members that accepted the search, in placement order: worker k runs on member k mod M. */
    List<ClusterMember> accepted()
    {
        start();
        return accepted;
    }

    /** Joins the cluster, waits for the workers and starts the session on each; refused workers are named and left out. */
    private synchronized void start()
    {
        if (started) {
            return;
        }
        started = true;
        setup.service().start((from, job) -> {
            throw new IllegalStateException("This member coordinates a search and runs no jobs; start workers with atnas worker");
        });
        setup.service().onMemberLeft(left::add);
        ClusterMember self = setup.service().self();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(setup.waitSeconds());
        List<ClusterMember> others = others(self);
        if (others.size() < setup.waitFor()) {
            LOG.info("Waiting up to {} s for {} worker(s) to join the cluster at {}", setup.waitSeconds(), setup.waitFor(), self);
        }
        while (others.size() < setup.waitFor()) {
            if (System.nanoTime() > deadline) {
                throw new ClusterJobException("Only " + others.size() + " of " + setup.waitFor() + " workers (key [cluster.wait-for]) joined the cluster within " + setup.waitSeconds()
                        + " s (key [cluster.wait-seconds]); members: " + setup.service().members() + ". Start each worker with atnas worker --set cluster=" + setup.service().name()
                        + " and this search's member list");
            }
            if (stop.isRequested()) {
                throw new StopSignal.WorkAbandonedException();
            }
            sleep();
            others = others(self);
        }
        LOG.info("Cluster of {} member(s) besides this coordinator ({}): starting the search's session on each", others.size(), self);
        Map<ClusterMember, Integer> hosted = new HashMap<>();
        for (int k = 0; k < workers; k++) {
            hosted.merge(others.get(k % others.size()), 1, Integer::sum);
        }
        Map<ClusterMember, CompletableFuture<byte[]>> replies = new LinkedHashMap<>();
        for (ClusterMember member : others) {
            // a member that hosts no worker of this placement still takes some when another leaves
            ClusterWire.Session start = new ClusterWire.Session(session, setup.fingerprint(), setup.configuration(), Math.max(1, hosted.getOrDefault(member, 0)));
            replies.put(member, setup.service().submit(member, ClusterWire.session(start)));
        }
        List<ClusterMember> ready = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (Map.Entry<ClusterMember, CompletableFuture<byte[]>> reply : replies.entrySet()) {
            String refusal;
            try {
                refusal = ClusterWire.readStatus(await(reply.getValue()));
            }
            catch (MemberLostException e) {
                refusal = "it left the cluster";
            }
            catch (ClusterJobException e) {
                refusal = e.getMessage();
            }
            if (refusal == null) {
                ready.add(reply.getKey());
            }
            else {
                refusals.add("worker " + reply.getKey() + " refused: " + refusal);
                LOG.warn("Worker {} refused: {}", reply.getKey(), refusal);
            }
        }
        if (ready.isEmpty()) {
            throw new ClusterJobException("No worker can take part in the search: " + String.join("; ", refusals));
        }
        accepted = List.copyOf(ready);
        LOG.info("Search workers: {} (𝒦 = {} workers of Eq. 7; worker k on member k mod {})", accepted, workers, accepted.size());
    }

    private List<ClusterMember> others(ClusterMember self)
    {
        return setup.service().members().stream().filter(member -> !member.equals(self)).toList();
    }

    /** The reply, waiting in short slices so that a stop request ends the wait. */
    private byte[] await(CompletableFuture<byte[]> reply)
    {
        while (true) {
            if (stop.isRequested()) {
                throw new StopSignal.WorkAbandonedException();
            }
            try {
                return reply.get(200, TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException e) {
                // check the stop request again
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for a worker", e);
            }
            catch (ExecutionException e) {
                if (e.getCause() instanceof ClusterJobException failure) {
                    throw failure;
                }
                throw new ClusterJobException("A worker's job failed: " + e.getCause(), e.getCause());
            }
        }
    }

    private void sleep()
    {
        try {
            Thread.sleep(200);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for workers", e);
        }
    }

    /** Ends the session on the workers that remain, then leaves the cluster. */
    @Override
    public synchronized void close()
    {
        if (!started) {
            return;
        }
        try {
            if (accepted != null) {
                List<CompletableFuture<byte[]>> ends = new ArrayList<>();
                for (ClusterMember member : accepted) {
                    if (!left.contains(member)) {
                        ends.add(setup.service().submit(member, ClusterWire.end(session)));
                    }
                }
                for (CompletableFuture<byte[]> end : ends) {
                    try {
                        end.get(10, TimeUnit.SECONDS);
                    }
                    catch (ExecutionException | TimeoutException e) {
                        // the worker drops the session when it sees the coordinator leave
                        LOG.warn("A worker did not confirm the end of the session: {}", e.getMessage());
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        }
        finally {
            setup.service().close();
        }
    }
}
