package org.atnas.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.atnas.api.plugin.ApiVersion;
import org.atnas.core.Atnas;
import org.atnas.core.ComponentStartException;
import org.atnas.core.ServiceType;
import org.atnas.core.config.Configuration;
import org.atnas.core.config.ConfigurationException;
import org.atnas.core.plugin.InstalledPlugin;
import org.atnas.core.plugin.LivePlugins;
import org.atnas.core.plugin.OsgiRuntime;
import org.atnas.core.plugin.PluginLoadException;
import org.atnas.core.plugin.PluginLoader;
import org.atnas.core.plugin.PluginRegistry;
import picocli.CommandLine;

import static java.util.Objects.requireNonNull;

/**
 * Runs one {@code atnas} command line in a distribution home ({@code bin/}, {@code lib/},
 * {@code plugins/}, {@code conf/}). Tests call {@link #run} directly: the same code path as
 * {@code bin/atnas}.
 */
public final class Launcher
{
    private final Path home;
    private final PrintWriter out;
    private final PrintWriter err;
    private PluginLoader.Scan scan;
    private boolean osgi;
    private OsgiRuntime osgiRuntime;

    Launcher(Path home, PrintWriter out, PrintWriter err)
    {
        this.home = requireNonNull(home, "home is null");
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
    }

    /**
     * A launcher of the same home and plugins that writes elsewhere: a study runs its cells'
     * commands in one process with their output in each cell's log, and a native backend loads
     * once per process, so the plugins must not be loaded again.
     */
    Launcher writingTo(PrintWriter out, PrintWriter err)
    {
        return using(scanPlugins(), out, err);
    }

    /** A launcher of the same home that runs with the given plugins: the shell's commands, each with the plugins of the moment it starts. */
    Launcher using(PluginLoader.Scan plugins, PrintWriter out, PrintWriter err)
    {
        Launcher launcher = new Launcher(home, out, err);
        launcher.scan = requireNonNull(plugins, "plugins is null");
        launcher.osgi = osgi;
        return launcher;
    }

    /**
     * Runs a command line; returns the process exit code: 0 on success, 1 when the command failed
     * (the reason printed on {@code err}), 2 for a malformed command line.
     */
    public static int run(Path home, PrintWriter out, PrintWriter err, String... args)
    {
        return new Launcher(home, out, err).execute(args);
    }

    /** Runs a command line with this launcher; returns the exit code as {@link #run} does. */
    int execute(String... args)
    {
        CommandLine commandLine = new CommandLine(new AtnasCommand(this));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            if (isUserError(exception)) {
                err.println("error: " + exception.getMessage());
            }
            else {
                err.println("error: " + exception);
                exception.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    /** Errors whose message says all a user needs: bad configuration, plugins, input files. */
    private static boolean isUserError(Exception exception)
    {
        return exception instanceof ConfigurationException
                || exception instanceof PluginLoadException
                || exception instanceof ComponentStartException
                || exception instanceof IllegalArgumentException
                || exception instanceof UncheckedIOException
                || exception instanceof StudyCellFailedException
                || exception instanceof org.atnas.core.search.SearchFailedException
                || exception instanceof org.atnas.api.cluster.ClusterJobException;
    }

    Path home()
    {
        return home;
    }

    PrintWriter out()
    {
        return out;
    }

    PrintWriter err()
    {
        return err;
    }

    /** Whether plugins run as bundles of an embedded OSGi framework ({@code --runtime osgi}) rather than in class loaders of their own. */
    void useOsgi(boolean osgi)
    {
        this.osgi = osgi;
    }

    /** Every folder of {@code <home>/plugins}: the healthy plugins and the broken folders with their errors, loaded on first use. */
    PluginLoader.Scan scanPlugins()
    {
        if (scan == null) {
            scan = pluginLoader().scanFolders(home.resolve("plugins"));
        }
        return scan;
    }

    /** Whether plugins run as bundles of the embedded OSGi framework. */
    boolean osgi()
    {
        return osgi;
    }

    /**
     * The plugins as the shell changes them while it runs, in the OSGi runtime only: a class loader
     * of the class-loader runtime cannot be unloaded on demand.
     *
     * @throws IllegalStateException in the class-loader runtime
     */
    LivePlugins livePlugins()
    {
        if (!osgi) {
            throw new IllegalStateException("Live plugins need the OSGi runtime");
        }
        PluginLoader.Scan loaded = scanPlugins();
        return new LivePlugins(home.resolve("plugins"), loaded, pluginLoader(), osgiRuntime);
    }

    private PluginLoader pluginLoader()
    {
        if (!osgi) {
            return new PluginLoader(Launcher.class.getClassLoader());
        }
        if (osgiRuntime == null) {
            try {
                osgiRuntime = new OsgiRuntime(Files.createTempDirectory("atnas-osgi-"));
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot create a folder for the OSGi framework: " + e.getMessage(), e);
            }
            // the framework's threads and storage last as long as the process that uses its bundles
            OsgiRuntime started = osgiRuntime;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "atnas-osgi-stop"));
        }
        return new PluginLoader(Launcher.class.getClassLoader(), osgiRuntime);
    }

    /**
     * The plugins of {@code <home>/plugins}, loaded on first use.
     *
     * @throws PluginLoadException naming every broken folder
     */
    List<InstalledPlugin> plugins()
    {
        return scanPlugins().pluginsOrFail();
    }

    /**
     * Whether a key configures where work runs rather than what it computes: {@code cluster}, the
     * engine's {@code cluster.*} keys and the installed cluster services' settings.
     */
    boolean isClusterKey(String key)
    {
        String cluster = ServiceType.CLUSTER.key();
        return key.equals(cluster) || key.startsWith(cluster + ".") || new PluginRegistry(plugins()).components(ServiceType.CLUSTER).values().stream()
                .anyMatch(component -> component.factory().settings().stream().anyMatch(setting -> setting.key().equals(key)));
    }

    /**
     * Starts the engine on the installed plugins for the services a command needs, printing the
     * configuration's warnings (keys of components that are not selected) on {@code err}.
     */
    Atnas start(Configuration configuration, Set<ServiceType> services)
    {
        Atnas atnas = Atnas.start(plugins(), configuration, services);
        for (String warning : atnas.configuration().warnings()) {
            err.println("warning: " + warning);
        }
        err.flush();
        return atnas;
    }

    /** {@code atnas 0.1.0 (API 1.0)}. */
    static String version()
    {
        Properties properties = new Properties();
        try (InputStream in = Launcher.class.getResourceAsStream("/atnas-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("atnas-version.properties is missing from the launcher jar");
            }
            properties.load(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "atnas " + properties.getProperty("version") + " (API " + ApiVersion.CURRENT + ")";
    }
}
