package org.atnas.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.atnas.api.plugin.ApiVersion;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Plugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Finds plugins: one class loader per folder under {@code plugins/}, and {@link ServiceLoader} for
 * the {@link Plugin} in it (Trino's plugin manager, Druid's extensions).
 */
public final class PluginLoader
{
    private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);
    private static final String SERVICE_FILE = "META-INF/services/" + Plugin.class.getName();
    /**
     * Plugins already loaded in this JVM, by folder and jar signature. A native library binds to one
     * class loader per JVM, so a folder loaded twice (tests, several launcher runs in one JVM) must
     * give the same class loader, or the second load of, say, PyTorch's natives fails.
     */
    private static final Map<String, InstalledPlugin> LOADED = new ConcurrentHashMap<>();

    private final ClassLoader host;
    private final FolderClassLoaders loaders;
    private final String runtime;

    /**
     * Makes the class loader of one plugin folder: the runtime the plugins run in. Discovery and
     * wiring are the same whatever the runtime.
     */
    public interface FolderClassLoaders
    {
        /**
         * @param name the folder's name
         * @param location {@code plugins/<name>}, for messages
         * @param jars the folder's jars, in name order
         * @throws PluginLoadException naming the location if the folder cannot be loaded
         */
        ClassLoader create(String name, String location, List<Path> jars);

        /**
         * Called when a folder whose class loader was created turns out not to be a plugin (no or
         * several {@link Plugin}s, a wrong API version): the runtime may let it go. Does nothing by
         * default.
         *
         * @param loader a class loader {@link #create} returned
         * @param location {@code plugins/<name>}, for messages
         */
        default void discard(ClassLoader loader, String location) {}
    }

    /**
     * The class-loader runtime: one {@link PluginClassLoader} per folder.
     *
     * @param host the class loader that holds the API (the plugins' parent for API packages)
     */
    public PluginLoader(ClassLoader host)
    {
        this(host, (name, location, jars) -> new PluginClassLoader("plugin-" + name, urls(jars, location), host), "class-loader");
    }

    /**
     * @param host the class loader that holds the API, for plugins found on its class path
     * @param loaders makes each folder's class loader: the runtime the plugins run in
     */
    public PluginLoader(ClassLoader host, FolderClassLoaders loaders)
    {
        this(host, loaders, "runtime-" + System.identityHashCode(requireNonNull(loaders, "loaders is null")));
    }

    /**
     * @param runtime names the runtime in the cache of loaded folders: every class-loader runtime
     *     shares one name, so that a folder (and a native library, which binds to one class loader per
     *     JVM) is loaded once per process however many loaders ask for it
     */
    private PluginLoader(ClassLoader host, FolderClassLoaders loaders, String runtime)
    {
        this.host = requireNonNull(host, "host is null");
        this.loaders = requireNonNull(loaders, "loaders is null");
        this.runtime = runtime;
    }

    private static URL[] urls(List<Path> jars, String location)
    {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            }
            catch (MalformedURLException e) {
                throw new PluginLoadException("Plugin folder [" + location + "]: bad jar path " + jars.get(i), e);
            }
        }
        return urls;
    }

    /**
     * What a plugins folder holds: the plugins that load, and each folder that does not with its
     * error.
     *
     * @param plugins the healthy plugins, in folder name order
     * @param broken the folders that cannot be loaded, in name order
     */
    public record Scan(List<InstalledPlugin> plugins, List<BrokenFolder> broken)
    {
        public Scan
        {
            plugins = List.copyOf(plugins);
            broken = List.copyOf(broken);
        }

        /**
         * The plugins, if every folder loads.
         *
         * @throws PluginLoadException naming every folder that cannot be loaded, with its error
         */
        public List<InstalledPlugin> pluginsOrFail()
        {
            if (broken.size() == 1) {
                throw new PluginLoadException(broken.get(0).error());
            }
            if (!broken.isEmpty()) {
                StringBuilder message = new StringBuilder(broken.size() + " plugin folders cannot be loaded:");
                broken.forEach(folder -> message.append("\n  ").append(folder.error()));
                throw new PluginLoadException(message.toString());
            }
            return plugins;
        }
    }

    /**
     * A plugin folder that cannot be loaded.
     *
     * @param location {@code plugins/<name>}
     * @param error why, naming the folder
     */
    public record BrokenFolder(String location, String error) {}

    /**
     * Loads every sub-folder of {@code pluginsDirectory} as one plugin, in name order.
     *
     * @throws PluginLoadException naming every folder that cannot be loaded, with its error
     */
    public List<InstalledPlugin> loadFolders(Path pluginsDirectory)
    {
        return scanFolders(pluginsDirectory).pluginsOrFail();
    }

    /**
     * Loads every sub-folder of {@code pluginsDirectory} that can be loaded, and says what is wrong
     * with each of the others: one broken folder must not hide the healthy ones nor the other
     * broken ones. Hidden folders (a name starting with a dot) are not plugins: the shell stages a
     * plugin it installs or updates in one.
     *
     * @throws PluginLoadException if {@code pluginsDirectory} is not a directory
     */
    public Scan scanFolders(Path pluginsDirectory)
    {
        if (!Files.isDirectory(pluginsDirectory)) {
            throw new PluginLoadException("Plugin directory [" + pluginsDirectory + "] does not exist or is not a directory");
        }
        List<Path> folders;
        try (Stream<Path> children = Files.list(pluginsDirectory)) {
            folders = children.filter(Files::isDirectory).filter(folder -> !folder.getFileName().toString().startsWith(".")).sorted().toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list plugin directory [" + pluginsDirectory + "]", e);
        }
        List<InstalledPlugin> plugins = new ArrayList<>();
        List<BrokenFolder> broken = new ArrayList<>();
        for (Path folder : folders) {
            String location = pluginsDirectory.getFileName() + "/" + folder.getFileName();
            try {
                String key = signature(folder) + "|" + location + "|" + System.identityHashCode(host) + "|" + runtime;
                InstalledPlugin plugin = LOADED.get(key);
                if (plugin == null) {
                    plugin = loadFolder(folder, folder.getFileName().toString(), location);
                    LOADED.put(key, plugin);
                }
                plugins.add(plugin);
            }
            catch (PluginLoadException e) {
                broken.add(new BrokenFolder(location, e.getMessage()));
            }
        }
        return new Scan(plugins, broken);
    }

    /**
     * Loads one plugin folder anew as plugin {@code name}, whatever this process loaded before: the
     * shell's live plugins, whose owner decides when the plugin is unloaded. The folder may be a
     * staging folder; the plugin is named and located as {@code plugins/<name>}.
     *
     * @throws PluginLoadException naming {@code plugins/<name>} if the folder cannot be loaded
     */
    public InstalledPlugin load(Path folder, String name)
    {
        return loadFolder(folder, name, "plugins/" + name);
    }

    /** The plugins visible to the host's own class loader (development and tests; the distribution uses folders only). */
    public List<InstalledPlugin> loadClasspath()
    {
        List<InstalledPlugin> plugins = new ArrayList<>();
        for (Plugin plugin : discover(host, "classpath")) {
            plugins.add(install(plugin, "classpath", "classpath", host, versionOf(plugin.getClass().getPackage())));
        }
        return plugins;
    }

    /** The folder's real path and its jars' names, sizes and modification times: a changed folder is loaded anew. */
    private static String signature(Path folder)
    {
        StringBuilder signature = new StringBuilder();
        try (Stream<Path> files = Files.list(folder)) {
            signature.append(folder.toRealPath());
            for (Path jar : files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                signature.append('|').append(jar.getFileName()).append(':').append(Files.size(jar)).append(':').append(Files.getLastModifiedTime(jar).toMillis());
            }
        }
        catch (IOException e) {
            throw new PluginLoadException("Plugin folder [" + folder + "] cannot be listed: " + e.getMessage(), e);
        }
        return signature.toString();
    }

    private InstalledPlugin loadFolder(Path folder, String name, String location)
    {
        List<Path> jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        catch (IOException e) {
            throw new PluginLoadException("Plugin folder [" + location + "] cannot be listed: " + e.getMessage(), e);
        }
        if (jars.isEmpty()) {
            throw new PluginLoadException("Plugin folder [" + location + "] holds no jar file");
        }
        String version = "unknown";
        boolean hasServiceFile = false;
        for (int i = 0; i < jars.size(); i++) {
            try (JarFile jar = new JarFile(jars.get(i).toFile())) {
                if (jar.getEntry(SERVICE_FILE) != null) {
                    hasServiceFile = true;
                    version = versionOf(jar);
                }
            }
            catch (IOException e) {
                throw new PluginLoadException("Plugin folder [" + location + "]: " + jars.get(i).getFileName() + " is not a readable jar file: " + e.getMessage(), e);
            }
        }
        if (!hasServiceFile) {
            throw new PluginLoadException("Plugin folder [" + location + "] holds no implementation of " + Plugin.class.getName() + " (none of its jars has " + SERVICE_FILE + ")");
        }
        ClassLoader loader = loaders.create(name, location, jars);
        InstalledPlugin plugin;
        try {
            List<Plugin> found = discover(loader, location);
            if (found.size() != 1) {
                throw new PluginLoadException("Plugin folder [" + location + "] must hold exactly one implementation of " + Plugin.class.getName() + ", found " + found.size() + ": " + found.stream().map(each -> each.getClass().getName()).toList());
            }
            plugin = install(found.get(0), name, location, loader, version);
        }
        catch (RuntimeException e) {
            loaders.discard(loader, location);
            throw e;
        }
        log.debug("Loaded plugin {} {} from {}", name, version, location);
        return plugin;
    }

    // "try": the ThreadContextClassLoader resource only scopes the context class loader, it is never referenced
    @SuppressWarnings("try")
    private static List<Plugin> discover(ClassLoader loader, String location)
    {
        List<Plugin> plugins = new ArrayList<>();
        try (var ignored = new ThreadContextClassLoader(loader)) {
            Iterator<Plugin> iterator = ServiceLoader.load(Plugin.class, loader).iterator();
            while (iterator.hasNext()) {
                plugins.add(iterator.next());
            }
        }
        catch (ServiceConfigurationError | LinkageError e) {
            throw new PluginLoadException("Plugin folder [" + location + "]: cannot create its " + Plugin.class.getSimpleName() + ": " + describe(e), e);
        }
        return plugins;
    }

    // "try": the ThreadContextClassLoader resource only scopes the context class loader, it is never referenced
    @SuppressWarnings("try")
    private static InstalledPlugin install(Plugin plugin, String name, String location, ClassLoader loader, String version)
    {
        try (var ignored = new ThreadContextClassLoader(loader)) {
            String apiVersion;
            List<ComponentFactory<?>> components;
            try {
                apiVersion = plugin.apiVersion();
            }
            catch (RuntimeException | LinkageError e) {
                throw new PluginLoadException("Plugin folder [" + location + "]: " + plugin.getClass().getName() + ".apiVersion() failed: " + describe(e), e);
            }
            checkApiVersion(apiVersion, location);
            try {
                components = plugin.components();
            }
            catch (RuntimeException | LinkageError e) {
                throw new PluginLoadException("Plugin folder [" + location + "]: " + plugin.getClass().getName() + ".components() failed: " + describe(e), e);
            }
            if (components == null || components.isEmpty()) {
                throw new PluginLoadException("Plugin folder [" + location + "]: " + plugin.getClass().getName() + " offers no component");
            }
            return new InstalledPlugin(name, location, version, apiVersion, loader, plugin, components);
        }
    }

    static void checkApiVersion(String apiVersion, String location)
    {
        int[] plugin = parseVersion(apiVersion);
        int[] current = parseVersion(ApiVersion.CURRENT);
        if (plugin == null) {
            throw new PluginLoadException("Plugin folder [" + location + "] reports API version [" + apiVersion + "], expected major.minor such as " + ApiVersion.CURRENT);
        }
        if (plugin[0] != current[0] || plugin[1] > current[1]) {
            throw new PluginLoadException("Plugin folder [" + location + "] was built against atnas API " + apiVersion + ", but this host provides API " + ApiVersion.CURRENT + "; rebuild the plugin against API " + ApiVersion.CURRENT);
        }
    }

    private static int[] parseVersion(String version)
    {
        if (version == null || !version.matches("\\d{1,4}\\.\\d{1,4}")) {
            return null;
        }
        String[] parts = version.split("\\.");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    /**
     * The plugin's version, from the jar that holds its service file: the manifest's
     * {@code Bundle-Version} (bnd, OSGi), else its {@code Implementation-Version}, else the
     * {@code pom.properties} Maven puts in every jar it builds, so that a plugin built with Maven's
     * defaults shows its version too.
     */
    private static String versionOf(JarFile jar)
            throws IOException
    {
        Manifest manifest = jar.getManifest();
        if (manifest != null) {
            for (String attribute : List.of("Bundle-Version", "Implementation-Version")) {
                String version = manifest.getMainAttributes().getValue(attribute);
                if (version != null && !version.isBlank()) {
                    return version.strip();
                }
            }
        }
        List<JarEntry> poms = jar.stream().filter(entry -> entry.getName().matches("META-INF/maven/[^/]+/[^/]+/pom\\.properties")).toList();
        // a shaded jar holds the pom.properties of everything inside it: only a single one says whose jar this is
        if (poms.size() == 1) {
            Properties properties = new Properties();
            try (InputStream in = jar.getInputStream(poms.get(0))) {
                properties.load(in);
            }
            String version = properties.getProperty("version");
            if (version != null && !version.isBlank()) {
                return version.strip();
            }
        }
        return "unknown";
    }

    private static String versionOf(Package javaPackage)
    {
        String version = javaPackage == null ? null : javaPackage.getImplementationVersion();
        return version == null ? "unknown" : version;
    }

    private static String describe(Throwable error)
    {
        StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(": ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }
}
