package org.atnas.core.plugin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Setting;
import org.atnas.core.ServiceType;

import static java.util.Objects.requireNonNull;

/**
 * Every component the installed plugins offer, by service and name. Built once at start-up; a
 * conflict (two plugins offering one name, a setting key outside its component's prefix or
 * declared twice) fails here and names the plugin folders.
 */
public final class PluginRegistry
{
    private static final String NAME_PATTERN = "[a-z0-9]+(-[a-z0-9]+)*";

    private final List<InstalledPlugin> plugins;
    private final Map<ServiceType, Map<String, RegisteredComponent>> components;

    public PluginRegistry(List<InstalledPlugin> plugins)
    {
        this.plugins = List.copyOf(requireNonNull(plugins, "plugins is null"));
        Map<ServiceType, Map<String, RegisteredComponent>> byService = new HashMap<>();
        for (ServiceType service : ServiceType.values()) {
            byService.put(service, new TreeMap<>());
        }
        Map<String, RegisteredComponent> settingOwners = new HashMap<>();
        for (InstalledPlugin plugin : this.plugins) {
            for (ComponentFactory<?> factory : plugin.components()) {
                RegisteredComponent component = register(plugin, factory, byService);
                for (Setting<?> setting : factory.settings()) {
                    if (!setting.key().startsWith(factory.name() + ".")) {
                        throw new PluginLoadException("Plugin folder [" + plugin.location() + "]: " + component.service().label() + " [" + factory.name() + "] declares setting [" + setting.key() + "]; its keys must start with [" + factory.name() + ".]");
                    }
                    RegisteredComponent owner = settingOwners.putIfAbsent(setting.key(), component);
                    if (owner != null) {
                        throw new PluginLoadException("Setting [" + setting.key() + "] is declared twice: by " + owner.service().label() + " [" + owner.name() + "] in [" + owner.plugin().location() + "] and by " + component.service().label() + " [" + factory.name() + "] in [" + plugin.location() + "]");
                    }
                }
            }
        }
        Map<ServiceType, Map<String, RegisteredComponent>> frozen = new HashMap<>();
        byService.forEach((service, named) -> frozen.put(service, Collections.unmodifiableMap(named)));
        this.components = Map.copyOf(frozen);
    }

    private static RegisteredComponent register(InstalledPlugin plugin, ComponentFactory<?> factory, Map<ServiceType, Map<String, RegisteredComponent>> byService)
    {
        Class<?> type = factory.service();
        ServiceType service = ServiceType.ofType(type).orElseThrow(() -> new PluginLoadException(
                "Plugin folder [" + plugin.location() + "] offers component [" + factory.name() + "] of type " + type.getName() + ", which is not an atnas service; expected one of "
                        + Arrays.stream(ServiceType.values()).map(value -> value.type().getSimpleName()).toList()));
        String name = factory.name();
        if (name == null || !name.matches(NAME_PATTERN)) {
            throw new PluginLoadException("Plugin folder [" + plugin.location() + "] offers a " + service.label() + " named [" + name + "]; names are lower-case words, digits and dashes");
        }
        if (service.isOptional() && name.equals(ServiceType.NONE)) {
            throw new PluginLoadException("Plugin folder [" + plugin.location() + "] offers a " + service.label() + " named [none], which is reserved for 'no " + service.label() + "'");
        }
        RegisteredComponent component = new RegisteredComponent(service, factory, plugin);
        RegisteredComponent previous = byService.get(service).putIfAbsent(name, component);
        if (previous != null) {
            throw new PluginLoadException(service.title() + " [" + name + "] is offered by two plugins: [" + previous.plugin().location() + "] and [" + plugin.location() + "]");
        }
        return component;
    }

    public List<InstalledPlugin> plugins()
    {
        return plugins;
    }

    /** The components of a service, by name, in name order. */
    public Map<String, RegisteredComponent> components(ServiceType service)
    {
        return components.get(service);
    }

    public Optional<RegisteredComponent> find(ServiceType service, String name)
    {
        return Optional.ofNullable(components.get(service).get(name));
    }

    /** Every component of every service. */
    public List<RegisteredComponent> all()
    {
        List<RegisteredComponent> all = new ArrayList<>();
        for (ServiceType service : ServiceType.values()) {
            all.addAll(components.get(service).values());
        }
        return all;
    }
}
