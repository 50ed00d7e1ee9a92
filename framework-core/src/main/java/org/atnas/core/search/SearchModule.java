package org.atnas.core.search;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import org.atnas.api.BackendCapability;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.MetaUpdate;
import org.atnas.api.SearchSpace;
import org.atnas.api.Supernet;
import org.atnas.api.SupernetState;
import org.atnas.api.WeightBackend;
import org.atnas.core.Predictors;

import static java.util.Objects.requireNonNull;

/**
 * The engine's parts for one search (or one evaluation of its result): binds the run's plan, data,
 * directory, provenance and checkpoint, and makes the supernet, its workers, the constrained space
 * and the predictor screen. The services themselves ({@link SearchSpace}, {@link WeightBackend},
 * {@link MetaOptimizer}, {@link org.atnas.api.Evolver}, {@link Predictors}) come from the parent
 * injector, the plugins' ({@link org.atnas.core.AtnasModule}), or from a test's module.
 */
public final class SearchModule
        extends AbstractModule
{
    private final SearchPlan plan;
    private final SearchData data;
    private final Path runDirectory;
    private final Provenance provenance;
    private final Optional<Checkpoint> resume;
    private final Optional<SupernetState> initialWeights;
    private Optional<ClusterSetup> cluster = Optional.empty();

    /**
     * @param runDirectory where metrics and checkpoints go (it must exist)
     * @param resume the checkpoint to continue from, or empty for a new supernet
     */
    public SearchModule(SearchPlan plan, SearchData data, Path runDirectory, Provenance provenance, Optional<Checkpoint> resume)
    {
        this(plan, data, runDirectory, provenance, resume, Optional.empty());
    }

    /**
     * @param initialWeights where a new supernet starts (a final training's: the search's W), when
     *     there is no checkpoint to resume; empty for the backend's initialisation
     */
    public SearchModule(SearchPlan plan, SearchData data, Path runDirectory, Provenance provenance, Optional<Checkpoint> resume, Optional<SupernetState> initialWeights)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.data = requireNonNull(data, "data is null");
        this.runDirectory = requireNonNull(runDirectory, "runDirectory is null");
        this.provenance = requireNonNull(provenance, "provenance is null");
        this.resume = requireNonNull(resume, "resume is null");
        this.initialWeights = requireNonNull(initialWeights, "initialWeights is null");
    }

    /** Places the meta-steps' workers on a cluster instead of this JVM's threads (fitness is still evaluated here). */
    public SearchModule onCluster(ClusterSetup setup)
    {
        this.cluster = Optional.of(setup);
        return this;
    }

    @Override
    protected void configure()
    {
        // explicitly here: a just-in-time binding would be made in the parent injector and shared by every engine under it
        bind(Resources.class).in(Singleton.class);
        bind(StopSignal.class).in(Singleton.class);
        bind(SearchPlan.class).toInstance(plan);
        bind(SearchData.class).toInstance(data);
        bind(Provenance.class).toInstance(provenance);
        bind(new TypeLiteral<Optional<Checkpoint>>() {}).toInstance(resume);
    }

    @Provides
    @Singleton
    ConstrainedSpace constrainedSpace(SearchSpace space)
    {
        return new ConstrainedSpace(space, plan.population().maxMultiplyAdds(), data.input(), data.classes());
    }

    /**
     * W: a new supernet, or the checkpoint's.
     *
     * @throws IllegalArgumentException if the backend lacks a capability the meta-optimizer needs,
     *     or the checkpoint's population is not of this space
     */
    @Provides
    @Singleton
    Supernet supernet(WeightBackend backend, MetaOptimizer optimizer, SearchSpace space, SubnetDescriptions descriptions, Resources resources)
    {
        Set<BackendCapability> missing = new HashSet<>(optimizer.requiredCapabilities());
        missing.removeAll(backend.capabilities());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Meta-optimizer [" + optimizer.name() + "] needs " + missing + ", which backend [" + backend.name()
                    + "] does not offer; select a backend that offers it (key [backend]) or configure [" + optimizer.name() + "] not to need it (atnas config defaults lists its keys)");
        }
        resume.ifPresent(checkpoint -> checkpoint.population().codes().forEach(space::validate));
        Supernet supernet = resources.register(backend.createSupernet(descriptions.supernet(), MetaUpdate.adam(plan.metaStep().metaLearningRate()), plan.seed()));
        resume.map(Checkpoint::state).or(() -> initialWeights).ifPresent(supernet::restore);
        return supernet;
    }

    @Provides
    @Singleton
    WorkerPool workers(Supernet supernet, Resources resources, StopSignal stop)
    {
        return resources.register(new WorkerPool(supernet, plan.metaStep().workers(), stop));
    }

    @Provides
    @Singleton
    Optional<ClusterCoordinator> cluster(Resources resources, StopSignal stop)
    {
        return cluster.map(setup -> resources.register(new ClusterCoordinator(setup, plan.metaStep().workers(), runDirectory, stop)));
    }

    /** The predictor in the loop, with the pairs of the checkpoint, when a predictor is configured. */
    @Provides
    @Singleton
    Optional<PredictorScreen> screen(Predictors predictors, SearchSpace space)
    {
        if (predictors.create().isEmpty()) {
            return Optional.empty();
        }
        PredictorScreen screen = new PredictorScreen(() -> predictors.create().orElseThrow(), space, plan.fitness().predictorPairs(), plan.fitness().predictorFraction());
        resume.ifPresent(checkpoint -> checkpoint.predictorPairs().forEach(pair -> screen.record(pair.code(), pair.requireFitness())));
        return Optional.of(screen);
    }

    @Provides
    @Singleton
    SearchRecorder recorder(SearchSpace space, SubnetDescriptions descriptions, Resources resources)
    {
        return resources.register(new SearchRecorder(runDirectory, space, descriptions, provenance, resume.map(Checkpoint::step)));
    }
}
