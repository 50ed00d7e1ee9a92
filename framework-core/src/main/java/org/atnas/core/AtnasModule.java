package org.atnas.core;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import org.atnas.api.Evolver;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.Predictor;
import org.atnas.api.SearchSpace;
import org.atnas.api.WeightBackend;
import org.atnas.core.config.ResolvedConfiguration;
import org.atnas.core.plugin.PluginRegistry;

import static java.util.Objects.requireNonNull;

/**
 * Guice wiring of the selected components: each service interface is bound to the component the
 * configuration selects (made once, on first use, by its plugin's factory behind its class loader:
 * {@link Components} keeps it, so a command that does not use a service never starts it), the
 * predictor to a maker of new instances. The engine's parts ({@link org.atnas.core.search.SearchModule})
 * are injected with these.
 */
public final class AtnasModule
        extends AbstractModule
{
    private final PluginRegistry registry;
    private final ResolvedConfiguration configuration;

    public AtnasModule(PluginRegistry registry, ResolvedConfiguration configuration)
    {
        this.registry = requireNonNull(registry, "registry is null");
        this.configuration = requireNonNull(configuration, "configuration is null");
    }

    @Override
    protected void configure()
    {
        bind(PluginRegistry.class).toInstance(registry);
        bind(ResolvedConfiguration.class).toInstance(configuration);
        bind(Components.class).toInstance(new Components(configuration));
    }

    @Provides
    SearchSpace searchSpace(Components components)
    {
        return components.get(ServiceType.SEARCH_SPACE, SearchSpace.class);
    }

    @Provides
    WeightBackend backend(Components components)
    {
        return components.get(ServiceType.BACKEND, WeightBackend.class);
    }

    @Provides
    MetaOptimizer metaOptimizer(Components components)
    {
        return components.get(ServiceType.META_OPTIMIZER, MetaOptimizer.class);
    }

    @Provides
    Evolver evolver(Components components)
    {
        return components.get(ServiceType.EVOLVER, Evolver.class);
    }

    @Provides
    Predictors predictors(Components components)
    {
        return () -> components.create(ServiceType.PREDICTOR, Predictor.class);
    }
}
