package org.atnas.core;

import java.util.List;
import java.util.Set;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import org.atnas.core.config.Configuration;
import org.atnas.core.config.ResolvedConfiguration;
import org.atnas.core.plugin.InstalledPlugin;
import org.atnas.core.plugin.PluginRegistry;

import static java.util.Objects.requireNonNull;

/**
 * The engine started for one command: the installed plugins, the configuration resolved against
 * them, and the Guice injector that hands out the selected components.
 */
public final class Atnas
{
    private final PluginRegistry registry;
    private final ResolvedConfiguration configuration;
    private final Injector injector;

    private Atnas(PluginRegistry registry, ResolvedConfiguration configuration, Injector injector)
    {
        this.registry = registry;
        this.configuration = configuration;
        this.injector = injector;
    }

    /**
     * Registers the plugins' components, resolves the configuration for the services a command
     * needs and wires them.
     *
     * @throws org.atnas.core.plugin.PluginLoadException if plugins conflict
     * @throws org.atnas.core.config.ConfigurationException if the configuration does not fit the plugins
     */
    public static Atnas start(List<InstalledPlugin> plugins, Configuration configuration, Set<ServiceType> services)
    {
        PluginRegistry registry = new PluginRegistry(requireNonNull(plugins, "plugins is null"));
        ResolvedConfiguration resolved = ResolvedConfiguration.resolve(configuration, registry, services);
        Injector injector = Guice.createInjector(Stage.DEVELOPMENT, new AtnasModule(registry, resolved));
        return new Atnas(registry, resolved, injector);
    }

    public PluginRegistry registry()
    {
        return registry;
    }

    public ResolvedConfiguration configuration()
    {
        return configuration;
    }

    public Components components()
    {
        return instance(Components.class);
    }

    /**
     * The selected component of a service interface bound by {@link AtnasModule}.
     *
     * @throws ComponentStartException if its factory fails
     */
    public <T> T instance(Class<T> type)
    {
        return Injection.instance(injector, type);
    }

    /** The injector of the selected components, the parent of an engine's ({@link org.atnas.core.search.SearchEngine}). */
    public Injector injector()
    {
        return injector;
    }
}
