package org.atnas.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.atnas.api.plugin.ApiVersion;
import org.atnas.api.plugin.ComponentContext;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Plugin;
import org.atnas.api.plugin.Setting;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Makes a component the way the host does: through its plugin's factory, with the settings'
 * defaults (or given values), after checking what the host checks of the plugin at start-up — the
 * API version it was built against, component names, setting keys prefixed with the component's
 * name, and the plugin class listed in {@code META-INF/services/org.atnas.api.plugin.Plugin} of the
 * class path. A kit's test creates its component with it, so that it tests the plugin as shipped.
 */
public final class Components
{
    private static final String SERVICE_FILE = "META-INF/services/" + Plugin.class.getName();

    private Components() {}

    /**
     * The component {@code name} of service {@code service} offered by {@code plugin}, made with its
     * settings' defaults.
     *
     * @throws AssertionError if the plugin breaks a rule the host enforces, or offers no such component
     */
    public static <T> T create(Plugin plugin, Class<T> service, String name)
    {
        return create(plugin, service, name, Map.of());
    }

    /**
     * The same, with configured values by key, as they would be written in a configuration file.
     *
     * @throws AssertionError if the plugin breaks a rule the host enforces, or offers no such component
     */
    public static <T> T create(Plugin plugin, Class<T> service, String name, Map<String, String> configured)
    {
        requireNonNull(plugin, "plugin is null");
        requireNonNull(service, "service is null");
        requireNonNull(name, "name is null");
        requireNonNull(configured, "configured is null");
        assertThat(plugin.apiVersion()).as("API version of %s", plugin.getClass().getName()).isEqualTo(ApiVersion.CURRENT);
        assertThat(listedPlugins()).as("plugins listed in %s", SERVICE_FILE).contains(plugin.getClass().getName());
        List<ComponentFactory<?>> components = plugin.components();
        assertThat(components).as("components of %s", plugin.getClass().getName()).isNotEmpty();
        for (ComponentFactory<?> component : components) {
            assertThat(component.name()).as("a component name").matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertThat(component.description()).as("description of %s", component.name()).isNotBlank();
            for (Setting<?> setting : component.settings()) {
                assertThat(setting.key()).as("a setting of %s", component.name()).startsWith(component.name() + ".");
            }
        }
        ComponentFactory<?> factory = components.stream()
                .filter(component -> component.service() == service && component.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(plugin.getClass().getName() + " offers no " + service.getSimpleName() + " named [" + name + "]"));
        for (String key : configured.keySet()) {
            assertThat(factory.settings().stream().map(Setting::key)).as("settings of %s", name).contains(key);
        }
        T component = service.cast(factory.create(new ComponentContext()
        {
            @Override
            public <V> V get(Setting<V> setting)
            {
                return find(setting).orElseThrow(() -> new IllegalStateException("Setting [" + setting.key() + "] has no default and is not configured"));
            }

            @Override
            public <V> Optional<V> find(Setting<V> setting)
            {
                if (!factory.settings().contains(setting)) {
                    throw new IllegalArgumentException("Setting [" + setting.key() + "] was not declared by component [" + name + "]");
                }
                String value = configured.get(setting.key());
                return value == null ? setting.defaultValue() : Optional.of(setting.parse(value));
            }
        }));
        assertThat(component).as("what the factory of %s created", name).isNotNull();
        return component;
    }

    private static List<String> listedPlugins()
    {
        try {
            List<String> listed = new java.util.ArrayList<>();
            for (var resources = Components.class.getClassLoader().getResources(SERVICE_FILE); resources.hasMoreElements(); ) {
                try (InputStream in = resources.nextElement().openStream();
                        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    reader.lines().map(line -> line.replaceAll("#.*", "").strip()).filter(line -> !line.isEmpty()).forEach(listed::add);
                }
            }
            return listed;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + SERVICE_FILE + " from the class path", e);
        }
    }
}
