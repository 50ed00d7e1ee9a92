package org.atnas.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import org.atnas.api.plugin.ComponentFactory;
import org.atnas.core.config.ConfigurationException;
import org.atnas.core.config.ResolvedConfiguration;
import org.atnas.core.plugin.ContextClassLoaderProxy;
import org.atnas.core.plugin.RegisteredComponent;
import org.atnas.core.plugin.ThreadContextClassLoader;

import static java.util.Objects.requireNonNull;

/**
 * Creates the configured components: each one once (a predictor once per call), with its plugin's
 * class loader as the thread context class loader, behind a proxy that sets it on every call.
 */
public final class Components
{
    private final ResolvedConfiguration configuration;
    private final Map<ServiceType, Object> created = new EnumMap<>(ServiceType.class);

    public Components(ResolvedConfiguration configuration)
    {
        this.configuration = requireNonNull(configuration, "configuration is null");
    }

    /**
     * The selected component of a service, created on first use.
     *
     * @throws IllegalStateException if the command did not ask for the service, or it is {@code none}
     * @throws ComponentStartException naming the component and its plugin folder if its factory fails
     */
    public synchronized <T> T get(ServiceType service, Class<T> type)
    {
        if (service.isOptional()) {
            throw new IllegalStateException(service.label() + " instances are made per use: call create");
        }
        Object component = created.get(service);
        if (component == null) {
            component = create(service, type).orElseThrow(() -> new IllegalStateException("No " + service.label() + " is selected"));
            created.put(service, component);
        }
        return type.cast(component);
    }

    /** A new instance of the selected component, or empty when the selection is {@code none}. */
    // "try": the ThreadContextClassLoader resource only scopes the context class loader, it is never referenced
    @SuppressWarnings("try")
    public <T> Optional<T> create(ServiceType service, Class<T> type)
    {
        if (!service.type().equals(type)) {
            throw new IllegalArgumentException(type.getName() + " is not the type of " + service);
        }
        Optional<RegisteredComponent> selected = configuration.selected(service);
        if (selected.isEmpty()) {
            return Optional.empty();
        }
        RegisteredComponent component = selected.get();
        ComponentFactory<?> factory = component.factory();
        ClassLoader loader = component.plugin().classLoader();
        Object instance;
        try (var ignored = new ThreadContextClassLoader(loader)) {
            instance = factory.create(configuration.contextFor(component));
        }
        catch (ConfigurationException e) {
            throw e;
        }
        catch (RuntimeException | LinkageError e) {
            throw new ComponentStartException(service.title() + " [" + component.name() + "] from plugin folder [" + component.plugin().location() + "] failed to start: " + e.getMessage(), e);
        }
        if (!type.isInstance(instance)) {
            throw new ComponentStartException(service.title() + " [" + component.name() + "] from plugin folder [" + component.plugin().location() + "] made a " + (instance == null ? "null" : instance.getClass().getName()) + ", expected a " + type.getName());
        }
        return Optional.of(ContextClassLoaderProxy.wrap(type, type.cast(instance), loader));
    }
}
