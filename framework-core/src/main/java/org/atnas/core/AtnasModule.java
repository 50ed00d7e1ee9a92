package org.atnas.core;

import java.util.EnumMap;
import java.util.Map;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.util.Types;
import org.atnas.api.Evolver;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.SearchSpace;
import org.atnas.api.WeightBackend;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.core.config.ResolvedConfiguration;
import org.atnas.core.plugin.PluginRegistry;
import org.atnas.core.plugin.RegisteredComponent;

import static java.util.Objects.requireNonNull;

/**
 * Guice wiring: one map binding (name to factory) per service type, filled from the installed
 * plugins, and the selected component of each service as a binding of its interface.
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
        for (ServiceType service : ServiceType.values()) {
            MapBinder<String, ComponentFactory<?>> factories = MapBinder.newMapBinder(binder(), TypeLiteral.get(String.class), factoryType(service));
            for (RegisteredComponent component : registry.components(service).values()) {
                factories.addBinding(component.name()).toInstance(component.factory());
            }
        }
    }

    @Provides
    @Singleton
    Components components(Injector injector)
    {
        Map<ServiceType, Map<String, ComponentFactory<?>>> factories = new EnumMap<>(ServiceType.class);
        for (ServiceType service : ServiceType.values()) {
            factories.put(service, injector.getInstance(mapKey(service)));
        }
        return new Components(configuration, factories);
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

    /** {@code ComponentFactory<S>} for the service interface S: each service gets a map of its own type. */
    @SuppressWarnings("unchecked")
    private static TypeLiteral<ComponentFactory<?>> factoryType(ServiceType service)
    {
        return (TypeLiteral<ComponentFactory<?>>) TypeLiteral.get(Types.newParameterizedType(ComponentFactory.class, service.type()));
    }

    @SuppressWarnings("unchecked")
    private static Key<Map<String, ComponentFactory<?>>> mapKey(ServiceType service)
    {
        return (Key<Map<String, ComponentFactory<?>>>) Key.get(Types.mapOf(String.class, factoryType(service).getType()));
    }
}
