package org.atnas.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import org.atnas.core.ServiceType;
import org.atnas.core.plugin.InstalledPlugin;
import org.atnas.core.plugin.NativeLibraries;
import org.atnas.core.plugin.PluginLoadException;
import org.atnas.core.plugin.PluginLoader;
import org.atnas.core.plugin.PluginRegistry;
import org.atnas.core.plugin.RegisteredComponent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code atnas plugins}: what is installed. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "Lists the installed plugins and the components they offer, by service.")
final class PluginsCommand
        implements Runnable
{
    @ParentCommand
    AtnasCommand parent;

    @Option(names = "--licenses", description = "Lists every jar of every plugin folder with its licence instead (also written as plugins/NAME/LICENSES by atnas dist).")
    boolean licenses;

    @Override
    public void run()
    {
        Launcher launcher = parent.launcher;
        if (licenses) {
            printLicenses(launcher);
            return;
        }
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
        List<String> natives = registry.plugins().stream().filter(plugin -> NativeLibraries.carriedBy(launcher.home().resolve("plugins").resolve(plugin.name()))).map(InstalledPlugin::name).toList();
        if (!natives.isEmpty()) {
            out.println("With native libraries: " + String.join(", ", natives) + ". A native library binds to one class loader per JVM, in both runtimes: such a plugin is loaded once per process and never unloaded.");
        }
        out.println(registry.plugins().size() + " plugins in " + launcher.home().resolve("plugins"));
        failIfBroken(scan);
    }

    /** The healthy plugins are listed; the exit code still says the installation needs fixing. */
    private static void failIfBroken(PluginLoader.Scan scan)
    {
        if (!scan.broken().isEmpty()) {
            throw new PluginLoadException(scan.broken().size() + (scan.broken().size() == 1 ? " plugin folder cannot be loaded: " : " plugin folders cannot be loaded: ")
                    + String.join(", ", scan.broken().stream().map(PluginLoader.BrokenFolder::location).toList()));
        }
    }

    private static void printLicenses(Launcher launcher)
    {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PLUGIN", "JAR", "LICENCE"});
        PluginLoader.Scan scan = launcher.scanPlugins();
        for (InstalledPlugin plugin : scan.plugins()) {
            for (PluginLicenses.Jar jar : PluginLicenses.of(launcher.home().resolve("plugins").resolve(plugin.name()))) {
                rows.add(new String[] {plugin.name(), jar.file(), jar.license()});
            }
        }
        Table.print(launcher.out(), rows);
        launcher.out().println();
        launcher.out().println("A distribution that ships a GPL-3.0 jar is GPL-3.0 as a whole.");
        launcher.out().println("Licences from the project's table of the libraries its plugins bundle, else a jar's Bundle-License header or its POM, else unknown.");
        failIfBroken(scan);
    }
}
