package org.atnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.atnas.core.Atnas;
import org.atnas.core.ServiceType;
import org.atnas.core.config.Configuration;
import org.atnas.core.config.ConfigurationDocumentation;
import org.atnas.core.config.ConfigurationException;
import org.atnas.core.plugin.PluginRegistry;
import org.atnas.core.plugin.RegisteredComponent;
import org.atnas.core.search.ConfigurationCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code atnas config check|defaults}. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Checks a configuration file, or prints every key with its default.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Defaults.class})
final class ConfigCommand
{
    @ParentCommand
    AtnasCommand parent;

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Checks FILE against the installed plugins: component names, keys, value types, that each selected component starts, the search plan and the data; reports every error.")
    static final class Check
            implements Runnable
    {
        @ParentCommand
        ConfigCommand parent;

        @Parameters(index = "0", paramLabel = "FILE", description = "The configuration file (properties).")
        Path file;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one configuration key; repeatable.")
        List<String> overrides = new ArrayList<>();

        @Override
        public void run()
        {
            Launcher launcher = parent.parent.launcher;
            Configuration configuration = Configuration.load(Optional.of(file), overrides);
            PluginRegistry registry = new PluginRegistry(launcher.plugins());
            // a service is checked when something for it is installed or the file names it; 'none' is always a valid predictor
            Set<ServiceType> checked = EnumSet.noneOf(ServiceType.class);
            for (ServiceType service : ServiceType.values()) {
                if (service.isOptional() || !registry.components(service).isEmpty() || configuration.get(service.key()).isPresent()) {
                    checked.add(service);
                }
            }
            Atnas atnas = launcher.start(configuration, checked);
            List<String[]> rows = new ArrayList<>();
            for (ServiceType service : ServiceType.values()) {
                Optional<RegisteredComponent> selected = atnas.configuration().selected(service);
                String name = atnas.configuration().effective().get(service.key());
                if (selected.isPresent()) {
                    Object component = atnas.components().create(service, service.type()).orElseThrow();
                    if (component instanceof AutoCloseable closeable) {
                        close(closeable);
                    }
                    rows.add(new String[] {service.key(), "=", name, "ok (plugin " + selected.get().plugin().name() + ")"});
                }
                else if (checked.contains(service)) {
                    rows.add(new String[] {service.key(), "=", name, "ok (no " + service.label() + ")"});
                }
                else {
                    rows.add(new String[] {service.key(), "=", name, "not checked: no " + service.label() + " plugin is installed"});
                }
            }
            // the checks the commands make across keys: a file called OK here is one search accepts
            ConfigurationCheck.Result check = ConfigurationCheck.run(atnas);
            if (!check.problems().isEmpty()) {
                throw ConfigurationException.of(check.problems());
            }
            PrintWriter out = launcher.out();
            out.println(file + ": OK");
            out.println("checked: " + String.join(", ", check.checked()));
            Table.print(out, rows);
        }

        private static void close(AutoCloseable closeable)
        {
            try {
                closeable.close();
            }
            catch (Exception e) {
                throw new IllegalStateException("Closing " + closeable + " failed: " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "defaults", mixinStandardHelpOptions = true,
            description = "Prints every configuration key of the engine and the installed plugins, documented, at its default (the content of conf/atnas.properties).")
    static final class Defaults
            implements Runnable
    {
        @ParentCommand
        ConfigCommand parent;

        @Override
        public void run()
        {
            Launcher launcher = parent.parent.launcher;
            launcher.out().print(ConfigurationDocumentation.defaults(new PluginRegistry(launcher.plugins())));
        }
    }
}
