package org.atnas.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.atnas.api.plugin.ComponentContext;
import org.atnas.api.plugin.Setting;
import org.atnas.core.ServiceType;
import org.atnas.core.data.DataSettings;
import org.atnas.core.plugin.PluginRegistry;
import org.atnas.core.plugin.RegisteredComponent;

import static java.util.Objects.requireNonNull;

/**
 * The configuration checked against the installed components: the selected component of each
 * service a command needs, and every known key parsed to its type. Fails on every problem with
 * messages that name the key, the value, where it came from and what was expected, all at once.
 */
public final class ResolvedConfiguration
        implements SettingValues
{
    private final Configuration raw;
    private final Map<ServiceType, RegisteredComponent> selected;
    private final Map<String, Setting<?>> settings;
    private final Map<String, Object> values;
    private final List<String> warnings;

    private ResolvedConfiguration(Configuration raw, Map<ServiceType, RegisteredComponent> selected, Map<String, Setting<?>> settings, Map<String, Object> values,
            List<String> warnings)
    {
        this.warnings = List.copyOf(warnings);
        this.raw = raw;
        this.selected = selected;
        this.settings = settings;
        this.values = values;
    }

    /**
     * Resolves {@code raw} for a command that needs {@code services}.
     *
     * A key of an installed component that is not selected is ignored with a {@link #warnings()
     * warning}, so that one {@code --set backend=nd4j} swaps the component of a file written for
     * another.
     *
     * @throws ConfigurationException for an unknown component name, a key that no installed
     *     component declares, or a malformed value
     */
    public static ResolvedConfiguration resolve(Configuration raw, PluginRegistry registry, Set<ServiceType> services)
    {
        requireNonNull(raw, "raw is null");
        requireNonNull(registry, "registry is null");
        Map<String, Setting<?>> settings = new LinkedHashMap<>();
        CoreSettings.all().forEach(setting -> settings.put(setting.key(), setting));
        Map<String, Object> values = new HashMap<>();
        // every problem is collected and reported at once: a user fixes a file in one pass
        List<String> errors = new ArrayList<>();
        parseAll(raw, settings.values(), values, errors);

        // the component each service's key names, if installed: its keys are known even when this command does not use it
        Map<ServiceType, RegisteredComponent> selected = new EnumMap<>(ServiceType.class);
        Map<ServiceType, RegisteredComponent> named = new EnumMap<>(ServiceType.class);
        for (ServiceType service : ServiceType.values()) {
            String name = (String) values.get(service.key());
            Optional<RegisteredComponent> component = registry.find(service, name);
            if (component.isPresent()) {
                named.put(service, component.get());
            }
            else if (services.contains(service) && !(service.isOptional() && name.equals(ServiceType.NONE))) {
                List<String> known = new ArrayList<>(registry.components(service).keySet());
                if (service.isOptional()) {
                    known.add(0, ServiceType.NONE);
                }
                errors.add("Unknown " + service.label() + " [" + name + "] for key [" + service.key() + "]" + sourceOf(raw, service.key()) + "; known: " + known);
            }
        }
        List<Setting<?>> componentSettings = new ArrayList<>();
        named.forEach((service, component) -> {
            if (services.contains(service)) {
                selected.put(service, component);
            }
            for (Setting<?> setting : component.factory().settings()) {
                settings.put(setting.key(), setting);
                componentSettings.add(setting);
            }
        });

        // ignored keys by the component that declares them, in the order the configuration holds them
        Map<RegisteredComponent, List<String>> ignored = new LinkedHashMap<>();
        Map<RegisteredComponent, Set<String>> sources = new LinkedHashMap<>();
        for (Map.Entry<String, Configuration.Entry> entry : raw.entries().entrySet()) {
            if (!settings.containsKey(entry.getKey())) {
                Optional<RegisteredComponent> owner = registry.all().stream()
                        .filter(component -> component.factory().settings().stream().anyMatch(setting -> setting.key().equals(entry.getKey())))
                        .findFirst();
                if (owner.isEmpty()) {
                    errors.add(unknownKey(entry.getKey(), entry.getValue(), settings.keySet()));
                    continue;
                }
                ignored.computeIfAbsent(owner.get(), component -> new ArrayList<>()).add(entry.getKey());
                sources.computeIfAbsent(owner.get(), component -> new LinkedHashSet<>()).add(entry.getValue().source());
            }
        }
        List<String> warnings = new ArrayList<>();
        ignored.forEach((component, keys) -> {
            ServiceType service = component.service();
            String current = (String) values.get(service.key());
            warnings.add((keys.size() == 1 ? "Configuration key " : "Configuration keys ") + keys + " (from " + String.join(", ", sources.get(component)) + ") of "
                    + service.label() + " [" + component.name() + "] ignored: " + service.key() + " = " + current);
        });
        parseAll(raw, componentSettings, values, errors);
        if (!errors.isEmpty()) {
            throw ConfigurationException.of(errors);
        }
        return new ResolvedConfiguration(raw, Map.copyOf(selected), Collections.unmodifiableMap(settings), values, warnings);
    }

    private static void parseAll(Configuration raw, Collection<Setting<?>> settings, Map<String, Object> values, List<String> errors)
    {
        for (Setting<?> setting : settings) {
            Optional<Configuration.Entry> entry = raw.get(setting.key());
            if (entry.isPresent()) {
                try {
                    values.put(setting.key(), setting.parse(entry.get().value()));
                }
                catch (IllegalArgumentException e) {
                    errors.add("Invalid value [" + entry.get().value() + "] for key [" + setting.key() + "] (from " + entry.get().source() + "): expected " + e.getMessage());
                }
            }
            else {
                setting.defaultValue().ifPresent(value -> values.put(setting.key(), value));
            }
        }
    }

    private static String unknownKey(String key, Configuration.Entry entry, Set<String> known)
    {
        String suggestion = known.stream()
                .filter(candidate -> editDistance(candidate, key) <= Math.max(2, key.length() / 5))
                .min((a, b) -> Integer.compare(editDistance(a, key), editDistance(b, key)))
                .map(candidate -> "; did you mean [" + candidate + "]?")
                .orElse("");
        return "Unknown configuration key [" + key + "] (from " + entry.source() + "): no selected component reads it" + suggestion;
    }

    private static String sourceOf(Configuration raw, String key)
    {
        return raw.get(key).map(entry -> " (from " + entry.source() + ")").orElse(" (default)");
    }

    static int editDistance(String a, String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** One line per installed but unselected component whose keys the configuration sets: they are ignored. */
    public List<String> warnings()
    {
        return warnings;
    }

    /** The selected component of a service the command needs; empty for {@code predictor = none}. */
    public Optional<RegisteredComponent> selected(ServiceType service)
    {
        return Optional.ofNullable(selected.get(service));
    }

    /** The selected components of the services the command needs. */
    public Map<ServiceType, RegisteredComponent> selected()
    {
        return selected;
    }

    /**
     * The value of a core setting (or any known setting).
     *
     * @throws ConfigurationException naming the key if it has neither value nor default
     */
    public <T> T get(Setting<T> setting)
    {
        return find(setting).orElseThrow(() -> new ConfigurationException("Missing value for key [" + setting.key() + "]: " + setting.description()));
    }

    @SuppressWarnings("unchecked")
    public <T> Optional<T> find(Setting<T> setting)
    {
        if (settings.get(setting.key()) != setting) {
            throw new IllegalArgumentException("Setting [" + setting.key() + "] is not known to this configuration");
        }
        return Optional.ofNullable((T) values.get(setting.key()));
    }

    /** What a component's factory reads its settings through. */
    public ComponentContext contextFor(RegisteredComponent component)
    {
        List<Setting<?>> declared = component.factory().settings();
        return new ComponentContext()
        {
            @Override
            public <T> T get(Setting<T> setting)
            {
                return find(setting).orElseThrow(() -> new ConfigurationException("Missing value for key [" + setting.key() + "]: " + setting.description()));
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> Optional<T> find(Setting<T> setting)
            {
                if (!declared.contains(setting)) {
                    throw new IllegalArgumentException(component.service().label() + " [" + component.name() + "] reads setting [" + setting.key() + "], which its factory does not declare");
                }
                return Optional.ofNullable((T) values.get(setting.key()));
            }
        };
    }

    /** Every known key with a value (configured or default) as text, in documentation order: core first. */
    public Map<String, String> effective()
    {
        Map<String, String> effective = new LinkedHashMap<>();
        for (Setting<?> setting : settings.values()) {
            Optional<String> text = raw.get(setting.key()).map(Configuration.Entry::value)
                    .or(() -> setting.defaultValue().map(String::valueOf));
            // a run's configuration is read again from other working directories (evaluate, resume, export): its data paths are absolute
            if (setting.key().equals(DataSettings.PATH.key())) {
                text = text.map(ResolvedConfiguration::absolutePaths);
            }
            text.ifPresent(value -> effective.put(setting.key(), value));
        }
        return effective;
    }

    /** Each of a comma-separated list of paths made absolute against the working directory. */
    private static String absolutePaths(String paths)
    {
        List<String> absolute = new ArrayList<>();
        for (String path : paths.split(",")) {
            String stripped = path.strip();
            absolute.add(stripped.isEmpty() ? stripped : Path.of(stripped).toAbsolutePath().normalize().toString());
        }
        return String.join(",", absolute);
    }

    /** The known settings, core first, then by component. */
    public Collection<Setting<?>> settings()
    {
        return settings.values();
    }
}
