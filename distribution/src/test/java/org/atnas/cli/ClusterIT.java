package org.atnas.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.atnas.api.SupernetState;
import org.atnas.api.cluster.ClusterService;
import org.atnas.api.cluster.JobHandler;
import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.config.Configuration;
import org.atnas.core.plugin.InstalledPlugin;
import org.atnas.core.plugin.PluginLoader;
import org.atnas.core.search.ClusterWorker;
import org.atnas.core.search.MetaSearch;
import org.atnas.core.search.SearchEngine;
import org.atnas.core.search.SearchListener;
import org.atnas.core.search.SearchRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The meta-search on a Hazelcast cluster of embedded members in this JVM, on loopback with fixed
 * ports, with the assembled distribution's plugins (DJL, DARTS, GA, MAML): the same bits as one JVM
 * with as many worker threads, also when a member dies mid-step; a worker whose plugins differ is
 * refused.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterIT
{
    private static final Path DISTRIBUTION = Path.of(System.getProperty("atnas.distribution", "target/atnas-0.1.0"));
    /** SearchIT's tiny search, 4 meta-steps after warm-up, 𝒦 = 2 workers. */
    private static final List<String> TINY = with(SearchIT.TINY, List.of("search.steps=4", "search.workers=2"));
    /** Loaded once: a native library binds to one class loader per JVM, so every member here shares these. */
    private static List<InstalledPlugin> plugins;

    private final List<AutoCloseable> members = new ArrayList<>();

    @TempDir
    Path temporary;

    @BeforeAll
    static void loadPlugins()
    {
        plugins = new PluginLoader(ClusterIT.class.getClassLoader()).loadFolders(DISTRIBUTION.resolve("plugins"));
    }

    @AfterEach
    void stopMembers()
            throws Exception
    {
        for (AutoCloseable member : members) {
            member.close();
        }
    }

    private static List<String> clusterSettings(int port, int... others)
    {
        StringBuilder list = new StringBuilder("127.0.0.1:" + port);
        for (int other : others) {
            list.append(",127.0.0.1:").append(other);
        }
        int first = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(port), java.util.stream.IntStream.of(others)).min().orElseThrow();
        return List.of("cluster=hazelcast", "hazelcast.port=" + port, "hazelcast.members=" + list, "hazelcast.cluster-name=cluster-it-" + first, "cluster.wait-seconds=40");
    }

    /** An {@code atnas worker} in this JVM; {@code wrap} may replace its job handler. */
    private ClusterService worker(List<InstalledPlugin> installed, List<String> settings, List<String> notices, java.util.function.BiFunction<ClusterService, JobHandler, JobHandler> wrap)
    {
        Atnas atnas = Atnas.start(installed, Configuration.load(Optional.empty(), settings), EnumSet.of(ServiceType.CLUSTER));
        ClusterService service = atnas.components().create(ServiceType.CLUSTER, ClusterService.class).orElseThrow();
        ClusterWorker worker = new ClusterWorker(installed, notices::add);
        members.add(worker);
        members.add(service);
        service.start(wrap.apply(service, worker));
        service.onMemberLeft(worker::memberLeft);
        return service;
    }

    /** A handler whose member leaves the cluster while it holds its third meta-step's job, which never gets an answer. */
    private static JobHandler diesOnThirdStep(ClusterService service, JobHandler handler, AtomicInteger steps)
    {
        return (from, job) -> {
            // byte 4 of a job is its kind (after the wire version); 2 is a meta-step
            if (job[4] != 2 || steps.incrementAndGet() != 3) {
                return handler.handle(from, job);
            }
            new Thread(service::close).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try {
                    service.members();
                    Thread.sleep(100);
                }
                catch (RuntimeException e) {
                    break;
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw new IllegalStateException("this member has left the cluster");
        };
    }

    private record Result(MetaSearch.Outcome outcome, int steps, SupernetState state, List<String> population, Optional<Path> checkpoint) {}

    private Result search(String name, List<String> settings)
            throws Exception
    {
        SearchRun run = SearchRun.prepare(Atnas.start(plugins, Configuration.load(Optional.empty(), settings), SearchRun.SERVICES));
        Path directory = Files.createDirectories(temporary.resolve(name));
        try (SearchEngine engine = run.engine(directory, Optional.empty())) {
            MetaSearch search = engine.search();
            MetaSearch.Outcome outcome = search.run(new SearchListener()
            {
                @Override
                public void started(int startStep, int totalSteps) {}

                @Override
                public void step(Step step) {}

                @Override
                public void checkpoint(Path folder) {}
            });
            List<String> population = search.population().individuals().stream().map(individual -> individual.code() + " " + individual.fitness()).toList();
            return new Result(outcome, search.step(), search.supernet().state(), population, search.lastCheckpoint());
        }
    }

    private static List<String> with(List<String> base, List<String> more)
    {
        List<String> all = new ArrayList<>(base);
        all.addAll(more);
        return all;
    }

    private static void assertSameBits(SupernetState actual, SupernetState expected)
    {
        assertThat(actual.parameters().keySet()).isEqualTo(expected.parameters().keySet());
        expected.parameters().forEach((name, values) -> assertThat(actual.parameters().get(name)).as(name).containsExactly(values));
        expected.firstMoments().forEach((name, values) -> assertThat(actual.firstMoments().get(name)).as(name).containsExactly(values));
        expected.secondMoments().forEach((name, values) -> assertThat(actual.secondMoments().get(name)).as(name).containsExactly(values));
        assertThat(actual.steps()).isEqualTo(expected.steps());
    }

    @Test
    void twoMembersOfOneWorkerGiveTheBitsOfOneJvmWithTwoWorkersAlsoWhenOneDiesMidStep()
            throws Exception
    {
        Result local = search("local", TINY);

        List<String> notices = new CopyOnWriteArrayList<>();
        worker(plugins, with(TINY, clusterSettings(5782, 5781, 5783)), notices, (service, handler) -> handler);
        worker(plugins, with(TINY, clusterSettings(5783, 5781, 5782)), notices, (service, handler) -> handler);
        Result cluster = search("cluster", with(TINY, with(clusterSettings(5781, 5782, 5783), List.of("cluster.wait-for=2"))));
        assertThat(cluster.outcome()).isEqualTo(MetaSearch.Outcome.FINISHED);
        assertSameBits(cluster.state(), local.state());
        assertThat(cluster.population()).isEqualTo(local.population());
        List<String> lines = Files.readAllLines(temporary.resolve("cluster/cluster.jsonl"));
        assertThat(lines).hasSize(6).allSatisfy(line -> assertThat(line).contains("\"members\":2,\"pairs\":8,").contains("\"rerun\":false"));
        assertThat(notices).contains("Serving the search of 127.0.0.1:5781 with 1 worker thread(s)", "The search of 127.0.0.1:5781 ended");
        stopMembers();
        members.clear();

        // the second member leaves while it holds the jobs of meta-step 3: they run again on the first
        AtomicInteger steps = new AtomicInteger();
        worker(plugins, with(TINY, clusterSettings(5785, 5784, 5786)), notices, (service, handler) -> handler);
        worker(plugins, with(TINY, clusterSettings(5786, 5784, 5785)), notices, (service, handler) -> diesOnThirdStep(service, handler, steps));
        Result survived = search("survived", with(TINY, with(clusterSettings(5784, 5785, 5786), List.of("cluster.wait-for=2"))));
        assertThat(survived.outcome()).isEqualTo(MetaSearch.Outcome.FINISHED);
        assertSameBits(survived.state(), local.state());
        assertThat(Files.readAllLines(temporary.resolve("survived/cluster.jsonl")).get(2)).contains("\"members\":1,").contains("\"rerun\":true");
    }

    @Test
    void aSearchWhoseOnlyWorkerDiesStopsWithTheCheckpointOfTheStepBefore()
            throws Exception
    {
        AtomicInteger steps = new AtomicInteger();
        worker(plugins, with(TINY, clusterSettings(5788, 5787)), new CopyOnWriteArrayList<>(), (service, handler) -> diesOnThirdStep(service, handler, steps));
        Result stopped = search("stopped", with(TINY, with(clusterSettings(5787, 5788), List.of("search.checkpoint-every=1"))));
        assertThat(stopped.outcome()).isEqualTo(MetaSearch.Outcome.STOPPED);
        assertThat(stopped.steps()).isEqualTo(2);
        assertThat(stopped.checkpoint()).hasValueSatisfying(path -> assertThat(path.getFileName().toString()).isEqualTo("step-0000002"));
    }

    @Test
    void aWorkerWithOtherPluginsIsRefusedWithWhatDiffers()
    {
        List<String> notices = new CopyOnWriteArrayList<>();
        List<InstalledPlugin> fewer = plugins.stream().filter(plugin -> !plugin.name().equals("predictor-weka")).toList();
        worker(fewer, with(TINY, clusterSettings(5790, 5789)), notices, (service, handler) -> handler);
        String difference = "plugins differ: the coordinator has [predictor-weka 0.1.0] that this worker lacks, this worker has none that the coordinator lacks";
        assertThatThrownBy(() -> search("refused", with(TINY, clusterSettings(5789, 5790))))
                .hasMessage("No worker can take part in the search: worker 127.0.0.1:5790 refused: " + difference);
        assertThat(notices).containsExactly("Refused the search of 127.0.0.1:5789: " + difference);
    }
}
