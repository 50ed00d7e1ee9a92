package org.atnas.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import org.atnas.core.ServiceType;
import org.atnas.core.plugin.InstalledPlugin;
import org.atnas.core.plugin.PluginLoadException;
import org.atnas.core.plugin.PluginLoader;
import org.atnas.core.plugin.PluginRegistry;
import org.atnas.core.plugin.RegisteredComponent;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code atnas plugins}: what is installed. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "Lists the installed plugins and the components they offer, by service.")
final class PluginsCommand
        implements Runnable
{
    @ParentCommand
    AtnasCommand parent;

    @Override
    public void run()
    {
        Launcher launcher = parent.launcher;
        PluginLoader.Scan scan = launcher.scanPlugins();
        PluginRegistry registry = new PluginRegistry(scan.plugins());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PLUGIN", "VERSION", "API", "SERVICE", "NAME", "DESCRIPTION"});
        for (InstalledPlugin plugin : registry.plugins()) {
            for (ServiceType service : ServiceType.values()) {
                for (RegisteredComponent component : registry.components(service).values()) {
                    if (component.plugin() == plugin) {
                        rows.add(new String[] {plugin.name(), plugin.version(), plugin.apiVersion(), service.key(), component.name(), component.factory().description()});
                    }
                }
            }
        }
        for (PluginLoader.BrokenFolder broken : scan.broken()) {
            rows.add(new String[] {broken.location().substring(broken.location().indexOf('/') + 1), "-", "-", "BROKEN", "-", broken.error()});
        }
        Table.print(launcher.out(), rows);
        PrintWriter out = launcher.out();
        out.println();
        out.println(registry.plugins().size() + " plugins in " + launcher.home().resolve("plugins"));
        if (!scan.broken().isEmpty()) {
            // the healthy plugins are listed; the exit code still says the installation needs fixing
            throw new PluginLoadException(scan.broken().size() + (scan.broken().size() == 1 ? " plugin folder cannot be loaded: " : " plugin folders cannot be loaded: ")
                    + String.join(", ", scan.broken().stream().map(PluginLoader.BrokenFolder::location).toList()));
        }
    }
}
