package org.atnas.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.atnas.core.config.Configuration;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --set key=value}, shared by the commands that read configuration. */
final class ConfigOptions
{
    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (properties). Default: conf/atnas.properties of the distribution, if present.")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one configuration key; repeatable.")
    List<String> overrides = new ArrayList<>();

    /** The file and the overrides, plus what the command itself fixes (applied last, as {@code source}). */
    Configuration load(Launcher launcher, Map<String, String> fixed, String source)
    {
        Optional<Path> chosen = Optional.ofNullable(file);
        if (chosen.isEmpty()) {
            Path defaults = launcher.home().resolve("conf/atnas.properties");
            if (defaults.toFile().isFile()) {
                chosen = Optional.of(defaults);
            }
        }
        return Configuration.load(chosen, overrides).with(fixed, source);
    }
}
