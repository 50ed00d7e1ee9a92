package org.atnas.core.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.atnas.api.plugin.Setting;

import static java.util.Objects.requireNonNull;

/** Where typed settings are read from: a resolved configuration, or a few given values over the defaults. */
public interface SettingValues
{
    /**
     * The value of a setting, configured or default.
     *
     * @throws ConfigurationException naming the key if it has neither
     */
    <T> T get(Setting<T> setting);

    /** The value of a setting, configured or default, or empty. */
    <T> Optional<T> find(Setting<T> setting);

    /**
     * The given values, as text by key, over every setting's default; what a test or a benchmark
     * writes instead of a configuration file.
     *
     * @throws ConfigurationException naming the key and what was expected when a value does not parse
     */
    static SettingValues of(Map<String, String> values)
    {
        Map<String, String> given = new LinkedHashMap<>(requireNonNull(values, "values is null"));
        return new SettingValues()
        {
            @Override
            public <T> T get(Setting<T> setting)
            {
                return find(setting).orElseThrow(() -> new ConfigurationException("Missing value for key [" + setting.key() + "]: " + setting.description()));
            }

            @Override
            public <T> Optional<T> find(Setting<T> setting)
            {
                String text = given.get(setting.key());
                if (text == null) {
                    return setting.defaultValue();
                }
                try {
                    return Optional.of(setting.parse(text));
                }
                catch (IllegalArgumentException e) {
                    throw new ConfigurationException("Invalid value [" + text + "] for key [" + setting.key() + "]: expected " + e.getMessage());
                }
            }
        };
    }
}
