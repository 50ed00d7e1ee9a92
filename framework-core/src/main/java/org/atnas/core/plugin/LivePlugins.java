package org.atnas.core.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.atnas.api.plugin.ComponentFactory;
import org.atnas.core.ServiceType;

import static java.util.Objects.requireNonNull;

/**
 * The plugins of a long-running process ({@code atnas shell}) in the OSGi runtime, which can be
 * installed, updated and uninstalled while it runs. A command takes a {@link Lease} on the plugins
 * of the moment it starts and keeps them until it ends: a change is seen by the next command, and
 * a plugin in use is never pulled from under a running one (its bundle is uninstalled when the last
 * lease on it ends). A plugin with native libraries can be installed but never updated or
 * uninstalled: a native library binds to one class loader per JVM.
 *
 * <p>{@code plugins/} changes with the plugins: a plugin is staged in a hidden folder of it
 * ({@code .NAME.installing}, ignored by the plugin scan) and renamed into place, so another
 * process never sees half a plugin folder.
 */
public final class LivePlugins
{
    private final Path pluginsDirectory;
    private final PluginLoader loader;
    private final OsgiRuntime runtime;
    private final List<PluginLoader.BrokenFolder> broken;
    private final Map<InstalledPlugin, Integer> users = new IdentityHashMap<>();
    private final Set<InstalledPlugin> retired = Collections.newSetFromMap(new IdentityHashMap<>());
    private List<InstalledPlugin> plugins;

    /**
     * @param pluginsDirectory the distribution's {@code plugins/}
     * @param scan what the process loaded from it at start-up, with {@code loader}
     * @param loader the OSGi runtime's plugin loader
     * @param runtime the runtime the plugins' bundles live in
     */
    public LivePlugins(Path pluginsDirectory, PluginLoader.Scan scan, PluginLoader loader, OsgiRuntime runtime)
    {
        this.pluginsDirectory = requireNonNull(pluginsDirectory, "pluginsDirectory is null");
        this.loader = requireNonNull(loader, "loader is null");
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.plugins = List.copyOf(requireNonNull(scan, "scan is null").plugins());
        this.broken = scan.broken();
    }

    /** The plugins a command started now would see, in name order. */
    public synchronized List<InstalledPlugin> plugins()
    {
        return plugins;
    }

    /** The plugins of this moment, held until the lease is closed. */
    public synchronized Lease lease()
    {
        for (InstalledPlugin plugin : plugins) {
            users.merge(plugin, 1, Integer::sum);
        }
        return new Lease(new PluginLoader.Scan(plugins, broken));
    }

    /** The plugins one command runs with; closing it lets an uninstalled or replaced plugin go. */
    public final class Lease
            implements AutoCloseable
    {
        private final PluginLoader.Scan scan;
        private boolean closed;

        private Lease(PluginLoader.Scan scan)
        {
            this.scan = scan;
        }

        /** The plugins (and the folders that did not load at start-up) as they were when the lease was taken. */
        public PluginLoader.Scan scan()
        {
            return scan;
        }

        @Override
        public void close()
        {
            synchronized (LivePlugins.this) {
                if (closed) {
                    return;
                }
                closed = true;
                for (InstalledPlugin plugin : scan.plugins()) {
                    users.computeIfPresent(plugin, (ignored, count) -> count == 1 ? null : count - 1);
                }
                unloadRetired();
            }
        }
    }

    /**
     * Installs the plugin folder {@code source} (a jar and its private dependencies, such as a plugin
     * project's {@code target/plugins/NAME}) as {@code plugins/NAME}.
     *
     * @return what was done, for the user
     * @throws IllegalArgumentException if the source is not a folder or the plugin is already there
     * @throws PluginLoadException if the plugin cannot be loaded or conflicts with the installed ones;
     *     {@code plugins/} is then as before
     */
    public synchronized String install(Path source)
    {
        String name = folderName(source);
        if (find(name).isPresent()) {
            throw new IllegalArgumentException("Plugin [" + name + "] is already installed; update " + name + " " + source + " replaces it");
        }
        Path target = pluginsDirectory.resolve(name);
        if (Files.exists(target)) {
            throw new IllegalArgumentException("Plugin folder [plugins/" + name + "] exists but did not load when atnas started; remove or fix it before installing [" + source + "]");
        }
        Path staging = stage(source, name, "installing");
        InstalledPlugin plugin = null;
        try {
            move(staging, target);
            plugin = loader.load(target, name);
            List<InstalledPlugin> next = new ArrayList<>(plugins);
            next.add(plugin);
            next.sort(Comparator.comparing(InstalledPlugin::name));
            new PluginRegistry(next);
            plugins = List.copyOf(next);
        }
        catch (RuntimeException e) {
            if (plugin != null && !runtime.carriesNativeLibraries(plugin.classLoader())) {
                runtime.uninstall(plugin.classLoader(), plugin.location());
            }
            delete(target);
            throw e;
        }
        return "Installed plugin " + name + " " + plugin.version() + " (" + describe(plugin) + ") from " + source + " as plugins/" + name + "; the next command sees it";
    }

    /**
     * Replaces plugin {@code name} by the folder {@code source}, or, if it is null, reloads
     * {@code plugins/NAME} as it is on disk now. A running command keeps the old version.
     *
     * @return what was done, for the user
     * @throws IllegalArgumentException if no such plugin is installed, or the old or new version
     *     carries native libraries
     * @throws PluginLoadException if the new version cannot be loaded or conflicts with the other
     *     plugins; the old version then stays
     */
    public synchronized String update(String name, Path source)
    {
        InstalledPlugin old = installed(name, "updated");
        Path target = pluginsDirectory.resolve(name);
        Path folder = source == null ? target : stage(source, name, "updating");
        InstalledPlugin fresh = null;
        try {
            if (NativeLibraries.carriedBy(folder)) {
                throw new IllegalArgumentException("The new version of plugin [" + name + "] carries native libraries, which bind to one class loader per JVM: leave the shell, put it in plugins/" + name + " and start atnas again");
            }
            fresh = loader.load(folder, name);
            List<InstalledPlugin> next = new ArrayList<>(plugins);
            next.set(next.indexOf(old), fresh);
            new PluginRegistry(next);
            if (source != null) {
                Path replaced = pluginsDirectory.resolve("." + name + ".replaced");
                delete(replaced);
                move(target, replaced);
                move(folder, target);
                delete(replaced);
            }
            plugins = List.copyOf(next);
        }
        catch (RuntimeException e) {
            if (fresh != null) {
                runtime.uninstall(fresh.classLoader(), fresh.location());
            }
            if (source != null) {
                delete(folder);
            }
            throw e;
        }
        String done = "Updated plugin " + name + " " + old.version() + " -> " + fresh.version() + " (" + describe(fresh) + ")" + (source == null ? " from plugins/" + name : " from " + source) + "; the next command uses " + fresh.version() + inUse(old);
        retire(old);
        return done;
    }

    /**
     * Uninstalls plugin {@code name} and removes {@code plugins/NAME}. A running command keeps it
     * until it ends.
     *
     * @return what was done, for the user
     * @throws IllegalArgumentException if no such plugin is installed or it carries native libraries
     */
    public synchronized String uninstall(String name)
    {
        InstalledPlugin old = installed(name, "uninstalled");
        Path removing = pluginsDirectory.resolve("." + name + ".removing");
        delete(removing);
        move(pluginsDirectory.resolve(name), removing);
        delete(removing);
        List<InstalledPlugin> next = new ArrayList<>(plugins);
        next.remove(old);
        plugins = List.copyOf(next);
        String done = "Uninstalled plugin " + name + " " + old.version() + " (" + describe(old) + "): the next command no longer sees it" + inUse(old);
        retire(old);
        return done;
    }

    private InstalledPlugin installed(String name, String verb)
    {
        InstalledPlugin plugin = find(name).orElseThrow(() -> new IllegalArgumentException(
                "No plugin [" + name + "] is installed; installed: " + plugins.stream().map(InstalledPlugin::name).toList()));
        if (runtime.carriesNativeLibraries(plugin.classLoader())) {
            throw new IllegalArgumentException("Plugin [" + name + "] carries native libraries, which bind to one class loader per JVM: it cannot be " + verb
                    + " while atnas runs; leave the shell, change plugins/" + name + " and start atnas again");
        }
        return plugin;
    }

    private Optional<InstalledPlugin> find(String name)
    {
        return plugins.stream().filter(plugin -> plugin.name().equals(name)).findFirst();
    }

    private String inUse(InstalledPlugin plugin)
    {
        int count = users.getOrDefault(plugin, 0);
        if (count == 0) {
            return "";
        }
        return count == 1 ? "; 1 running command keeps " + plugin.version() + " until it ends" : "; " + count + " running commands keep " + plugin.version() + " until they end";
    }

    private void retire(InstalledPlugin plugin)
    {
        retired.add(plugin);
        unloadRetired();
    }

    private void unloadRetired()
    {
        for (InstalledPlugin plugin : List.copyOf(retired)) {
            if (!users.containsKey(plugin)) {
                retired.remove(plugin);
                runtime.uninstall(plugin.classLoader(), plugin.location());
            }
        }
    }

    private static String describe(InstalledPlugin plugin)
    {
        List<String> components = new ArrayList<>();
        for (ComponentFactory<?> factory : plugin.components()) {
            components.add(ServiceType.ofType(factory.service()).map(ServiceType::label).orElse(factory.service().getSimpleName()) + " " + factory.name());
        }
        return String.join(", ", components);
    }

    private static String folderName(Path source)
    {
        requireNonNull(source, "source is null");
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException("Plugin [" + source + "] is not a folder: give a plugin folder, such as a plugin project's target/plugins/NAME (its jar and private dependencies)");
        }
        String name = source.toAbsolutePath().normalize().getFileName().toString();
        if (name.startsWith(".")) {
            throw new IllegalArgumentException("Plugin folder [" + source + "] is hidden (its name starts with a dot); plugin folders are named after their plugin");
        }
        return name;
    }

    /** Copies the source folder's files into the hidden {@code plugins/.NAME.<purpose>}, emptied first. */
    private Path stage(Path source, String name, String purpose)
    {
        String folder = folderName(source);
        if (!folder.equals(name)) {
            throw new IllegalArgumentException("Plugin folder [" + source + "] is named [" + folder + "], not [" + name + "]: a plugin's folder is named after it");
        }
        Path staging = pluginsDirectory.resolve("." + name + "." + purpose);
        delete(staging);
        try (Stream<Path> files = Files.list(source)) {
            Files.createDirectories(staging);
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, staging.resolve(file.getFileName().toString()));
            }
        }
        catch (IOException e) {
            delete(staging);
            throw new UncheckedIOException("Cannot copy plugin folder [" + source + "] to [" + staging + "]: " + e.getMessage(), e);
        }
        return staging;
    }

    private static void move(Path from, Path to)
    {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot rename [" + from + "] to [" + to + "]: " + e.getMessage(), e);
        }
    }

    private static void delete(Path folder)
    {
        OsgiRuntime.delete(folder);
    }
}
