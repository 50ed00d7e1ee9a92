package org.atnas.core.config;

import java.util.Collection;
import java.util.Map;

import org.atnas.api.plugin.Setting;
import org.atnas.core.ServiceType;
import org.atnas.core.plugin.PluginRegistry;
import org.atnas.core.plugin.RegisteredComponent;

/** Writes configuration as documented properties: every key with its description, type and default. */
public final class ConfigurationDocumentation
{
    private ConfigurationDocumentation() {}

    /**
     * Every key of the engine and of every installed component, commented out at its default: the
     * distribution's {@code conf/atnas.properties}.
     */
    public static String defaults(PluginRegistry registry)
    {
        StringBuilder text = new StringBuilder();
        text.append("# atnas configuration. Every key is listed with its default, commented out;\n");
        text.append("# uncomment and change what you need, or override with --set key=value.\n");
        text.append("# Keys of a component are read only when that component is selected.\n");
        section(text, "engine");
        for (Setting<?> setting : CoreSettings.all()) {
            document(text, setting, setting.defaultValue().map(String::valueOf).orElse(""), true);
        }
        for (ServiceType service : ServiceType.values()) {
            for (RegisteredComponent component : registry.components(service).values()) {
                if (component.factory().settings().isEmpty()) {
                    continue;
                }
                section(text, service.label() + " " + component.name() + " (" + service.key() + " = " + component.name() + ", plugin " + component.plugin().name() + ")");
                for (Setting<?> setting : component.factory().settings()) {
                    document(text, setting, setting.defaultValue().map(String::valueOf).orElse(""), true);
                }
            }
        }
        return text.toString();
    }

    /** The effective configuration of a run, every known key set to the value in force. */
    public static String effective(ResolvedConfiguration configuration)
    {
        StringBuilder text = new StringBuilder("# The effective configuration of this run: configured values and defaults.\n");
        Map<String, String> effective = configuration.effective();
        Collection<Setting<?>> settings = configuration.settings();
        for (Setting<?> setting : settings) {
            if (effective.containsKey(setting.key())) {
                document(text, setting, effective.get(setting.key()), false);
            }
        }
        return text.toString();
    }

    private static void section(StringBuilder text, String title)
    {
        text.append("\n# ---- ").append(title).append(" ----\n");
    }

    private static void document(StringBuilder text, Setting<?> setting, String value, boolean commented)
    {
        text.append("\n# ").append(setting.description()).append('\n');
        text.append("# Type: ").append(setting.type()).append(". Default: ").append(setting.defaultValue().map(String::valueOf).orElse("(none)")).append(".\n");
        text.append(commented ? "#" : "").append(setting.key()).append(" = ").append(escape(value)).append('\n');
    }

    private static String escape(String value)
    {
        return value.replace("\\", "\\\\");
    }
}
