package org.atnas.core.search;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import org.atnas.api.BackendWorker;
import org.atnas.api.MetaGradient;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.MetaUpdate;
import org.atnas.api.NonFiniteLossException;
import org.atnas.api.Subnet;
import org.atnas.api.Supernet;
import org.atnas.api.SupernetState;
import org.atnas.api.WeightBackend;
import org.atnas.api.cluster.ClusterMember;
import org.atnas.api.cluster.JobHandler;
import org.atnas.core.Atnas;
import org.atnas.core.config.Configuration;
import org.atnas.core.data.DataSettings;
import org.atnas.core.plugin.InstalledPlugin;
import org.atnas.core.search.ClusterWire.PairResult;
import org.atnas.core.search.ClusterWire.RemotePair;
import org.atnas.core.search.ClusterWire.WorkerPairs;

import static java.util.Objects.requireNonNull;

/**
 * A cluster member's side of a search ({@code atnas worker}): serves one coordinator's session at a
 * time with this JVM's own plugins and data. A session starts only if the API version, the plugins
 * and the data's SHA-256 are the coordinator's; otherwise the worker refuses it and says what
 * differs. Each meta-step brings W and the pairs of the workers this member runs; the member makes
 * each task from its seed, runs the meta-optimizer on its own backend workers (threads) and sends
 * back every pair's meta-gradient.
 */
public final class ClusterWorker
        implements JobHandler, AutoCloseable
{
    private final List<InstalledPlugin> plugins;
    private final Consumer<String> notices;
    private Session session;

    /**
     * @param plugins this JVM's installed plugins
     * @param notices what the worker tells its user (a session started, was refused, ended), one line each
     */
    public ClusterWorker(List<InstalledPlugin> plugins, Consumer<String> notices)
    {
        this.plugins = List.copyOf(plugins);
        this.notices = requireNonNull(notices, "notices is null");
    }

    /** The parts of one search on this member. */
    private record Session(String id, ClusterMember coordinator, SearchRun run, Supernet supernet, WorkerPool pool, MetaOptimizer optimizer, SubnetDescriptions descriptions)
            implements AutoCloseable
    {
        @Override
        public void close()
        {
            try {
                pool.close();
            }
            finally {
                supernet.close();
            }
        }
    }

    @Override
    public byte[] handle(ClusterMember from, byte[] job)
    {
        try (DataInputStream in = ClusterWire.open(job)) {
            byte kind = in.readByte();
            return switch (kind) {
                case ClusterWire.SESSION -> start(from, ClusterWire.readSession(in));
                case ClusterWire.STEP -> step(ClusterWire.readStep(in));
                case ClusterWire.END -> end(in.readUTF());
                default -> throw new IllegalArgumentException("Unknown job kind " + kind + " from " + from);
            };
        }
        catch (IOException e) {
            throw new IllegalArgumentException("Malformed job from " + from + ": " + e.getMessage(), e);
        }
    }

    private synchronized byte[] start(ClusterMember from, ClusterWire.Session start)
    {
        if (session != null) {
            if (!session.coordinator().equals(from)) {
                String refusal = "it serves the search of " + session.coordinator() + " already";
                notices.accept("Refused the search of " + from + ": " + refusal);
                return ClusterWire.status(refusal);
            }
            closeSession();
        }
        Configuration configuration = Configuration.empty().with(new LinkedHashMap<>(start.configuration()), "the coordinator " + from);
        Optional<String> dataPath = Optional.ofNullable(start.configuration().get(DataSettings.PATH.key()));
        Optional<String> differences = ClusterFingerprint.of(plugins, dataPath).differences(start.fingerprint());
        if (differences.isPresent()) {
            notices.accept("Refused the search of " + from + ": " + differences.get());
            return ClusterWire.status(differences.get());
        }
        Atnas atnas = Atnas.start(plugins, configuration, SearchRun.SERVICES);
        SearchRun run = SearchRun.prepare(atnas);
        SubnetDescriptions descriptions = new SubnetDescriptions(run.space(), run.data());
        // W is the coordinator's from the first meta-step on: the initialisation here is overwritten
        Supernet supernet = atnas.instance(WeightBackend.class).createSupernet(descriptions.supernet(), MetaUpdate.adam(run.plan().metaStep().metaLearningRate()), run.plan().seed());
        WorkerPool pool;
        try {
            pool = new WorkerPool(supernet, start.workers(), new StopSignal());
        }
        catch (RuntimeException e) {
            supernet.close();
            throw e;
        }
        session = new Session(start.id(), from, run, supernet, pool, atnas.instance(MetaOptimizer.class), descriptions);
        notices.accept("Serving the search of " + from + " with " + start.workers() + " worker thread(s)");
        return ClusterWire.status(null);
    }

    private synchronized byte[] step(ClusterWire.Step step)
            throws IOException
    {
        if (session == null || !session.id().equals(step.session())) {
            throw new IllegalStateException("This worker serves no session " + step.session() + "; the coordinator must start one first");
        }
        Session current = session;
        current.supernet().restore(new SupernetState(ClusterWire.readWeights(step.weights()), Map.of(), Map.of(), Map.of()));
        long start = System.nanoTime();
        List<List<Function<BackendWorker, PairResult>>> jobs = current.pool().emptyJobs();
        // the 𝒦 workers this member runs share its threads; a pair's result does not depend on the thread
        int[][] slots = new int[step.workers().size()][];
        for (int w = 0; w < step.workers().size(); w++) {
            WorkerPairs worker = step.workers().get(w);
            List<Function<BackendWorker, PairResult>> own = jobs.get(w % jobs.size());
            slots[w] = new int[worker.pairs().size()];
            for (int p = 0; p < worker.pairs().size(); p++) {
                RemotePair pair = worker.pairs().get(p);
                own.add(backend -> run(backend, current, step.number(), pair));
                slots[w][p] = own.size() - 1;
            }
        }
        List<List<PairResult>> results;
        try {
            results = current.pool().run(jobs);
        }
        catch (NonFiniteLossException e) {
            return ClusterWire.stepResult(new ClusterWire.StepResult(System.nanoTime() - start, List.of(), e.getMessage()));
        }
        long computeNanos = System.nanoTime() - start;
        List<List<PairResult>> byWorker = new ArrayList<>();
        for (int w = 0; w < slots.length; w++) {
            List<PairResult> own = new ArrayList<>();
            for (int slot : slots[w]) {
                own.add(results.get(w % jobs.size()).get(slot));
            }
            byWorker.add(own);
        }
        return ClusterWire.stepResult(new ClusterWire.StepResult(computeNanos, byWorker, null));
    }

    /** One pair, as {@link MetaStep} runs it locally; the meta-gradient leaves the backend as values. */
    private static PairResult run(BackendWorker worker, Session session, int stepNumber, RemotePair pair)
    {
        MetaGradient result;
        try (Subnet subnet = worker.compile(session.descriptions().of(pair.architecture()))) {
            result = session.optimizer().metaGradient(worker, subnet, session.run().data().training().sample(pair.taskSeed()), session.run().plan().metaStep().innerLoop());
        }
        catch (NonFiniteLossException e) {
            throw e.within("Meta-step " + stepNumber + ", architecture " + pair.architecture());
        }
        try {
            return new PairResult(result.adaptation().queryLoss(), result.adaptation().queryAccuracy(), result.gradient().values());
        }
        finally {
            result.gradient().close();
        }
    }

    private synchronized byte[] end(String id)
    {
        if (session != null && session.id().equals(id)) {
            notices.accept("The search of " + session.coordinator() + " ended");
            closeSession();
        }
        return ClusterWire.status(null);
    }

    /** Drops the session of a coordinator that left the cluster. */
    public synchronized void memberLeft(ClusterMember member)
    {
        if (session != null && session.coordinator().equals(member)) {
            notices.accept("The coordinator " + member + " left the cluster; its session is dropped");
            closeSession();
        }
    }

    private void closeSession()
    {
        Session ending = session;
        session = null;
        ending.close();
    }

    @Override
    public synchronized void close()
    {
        if (session != null) {
            closeSession();
        }
    }
}
