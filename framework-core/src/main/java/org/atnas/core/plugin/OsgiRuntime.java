package org.atnas.core.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.atnas.api.plugin.ApiVersion;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

import static java.util.Objects.requireNonNull;

/**
 * The OSGi runtime: an embedded Apache Felix framework in which each plugin folder is one bundle.
 * The folder gets a manifest that puts the plugin's jars on its {@code Bundle-ClassPath} (its
 * private dependencies embedded, never shared with other bundles) and imports the API packages
 * and SLF4J, which the host exports as system packages; every other
 * class is looked up in the JDK's platform class loader first (boot delegation), as in the
 * class-loader runtime. A plugin without native libraries can be uninstalled while the framework
 * runs ({@link #uninstall}), which the shell's live plugins use. {@link PluginLoader} then finds the {@code Plugin} with
 * {@link java.util.ServiceLoader} in the bundle's class loader, so discovery and wiring are the
 * same in both runtimes.
 */
public final class OsgiRuntime
        implements PluginLoader.FolderClassLoaders, AutoCloseable
{
    /** The API packages and SLF4J, as the host exports them to the bundles. */
    static final List<String> EXPORTED = List.of("org.atnas.api", "org.atnas.api.io", "org.atnas.api.network", "org.atnas.api.plugin",
            "org.slf4j", "org.slf4j.event", "org.slf4j.helpers", "org.slf4j.spi");
    private static final String API_VERSION = ApiVersion.CURRENT + ".0";
    private static final String SLF4J_VERSION = "2.0.0";
    /** The host's major version: {@link PluginLoader} checks the minor version with a clear message. */
    private static final String API_RANGE = "[" + ApiVersion.CURRENT.split("\\.")[0] + ".0," + (Integer.parseInt(ApiVersion.CURRENT.split("\\.")[0]) + 1) + ")";

    private final Path storage;
    private final Framework framework;
    private final Map<ClassLoader, InstalledBundle> bundles = new IdentityHashMap<>();
    private int copies;

    /**
     * Starts the framework.
     *
     * @param storage the framework's cache folder, emptied first; {@link #close} deletes it
     * @throws PluginLoadException if the framework cannot start
     */
    public OsgiRuntime(Path storage)
    {
        this.storage = requireNonNull(storage, "storage is null");
        Map<String, String> configuration = new HashMap<>();
        configuration.put(Constants.FRAMEWORK_STORAGE, storage.resolve("felix").toString());
        configuration.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // a plugin updated while a run still uses its old version: both bundles are installed for a while
        configuration.put(Constants.FRAMEWORK_BSNVERSION, Constants.FRAMEWORK_BSNVERSION_MULTIPLE);
        StringBuilder packages = new StringBuilder();
        for (String name : EXPORTED) {
            packages.append(packages.isEmpty() ? "" : ",").append(name).append(";version=").append(name.startsWith("org.slf4j") ? SLF4J_VERSION : API_VERSION);
        }
        configuration.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, packages.toString());
        // the JDK's own packages come from the platform class loader, as in the class-loader runtime
        configuration.put(Constants.FRAMEWORK_BUNDLE_PARENT, Constants.FRAMEWORK_BUNDLE_PARENT_EXT);
        configuration.put(Constants.FRAMEWORK_BOOTDELEGATION, "javax.*,sun.*,com.sun.*,jdk.*,org.w3c.*,org.xml.*,org.ietf.*");
        framework = new FrameworkFactory().newFramework(configuration);
        try {
            framework.start();
        }
        catch (BundleException e) {
            throw new PluginLoadException("The OSGi framework (Apache Felix) cannot start in [" + storage + "]: " + e.getMessage(), e);
        }
    }

    /**
     * Installs and starts the folder's bundle, and returns its class loader. The folder is the bundle
     * (a folder bundle, installed by reference): OSGi reads a bundle's class path only inside the
     * bundle, so the folder gets a {@code META-INF/MANIFEST.MF} listing its jars. A plugin without
     * native libraries runs from a private copy of its jars in the framework's storage, so that its
     * folder can be replaced or removed while a run still uses it ({@link #uninstall}); a native one
     * can never be unloaded (and is large), so it runs where it is.
     */
    @Override
    public synchronized ClassLoader create(String name, String location, List<Path> jars)
    {
        Path folder = jars.get(0).toAbsolutePath().getParent();
        try {
            boolean natives = NativeLibraries.carriedBy(jars);
            Path bundle = natives ? folder : copy(jars, storage.resolve("bundles").resolve(++copies + "-" + name));
            StringBuilder classPath = new StringBuilder();
            for (Path jar : jars) {
                classPath.append(classPath.isEmpty() ? "" : ",").append(jar.getFileName());
            }
            Manifest manifest = new Manifest();
            Attributes main = manifest.getMainAttributes();
            main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
            main.putValue(Constants.BUNDLE_SYMBOLICNAME, "org.atnas.plugin." + name);
            main.putValue(Constants.BUNDLE_CLASSPATH, classPath.toString());
            main.putValue(Constants.IMPORT_PACKAGE, String.join(",", EXPORTED.stream()
                    .map(exported -> exported + ";version=\"" + (exported.startsWith("org.slf4j") ? "[2.0,3)" : API_RANGE) + "\"")
                    .toList()));
            Files.createDirectories(bundle.resolve("META-INF"));
            // written beside and renamed: a reader never sees half a manifest
            Path written = Files.createTempFile(bundle.resolve("META-INF"), "MANIFEST", ".tmp");
            try (OutputStream out = Files.newOutputStream(written)) {
                manifest.write(out);
            }
            Files.move(written, bundle.resolve("META-INF/MANIFEST.MF"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Bundle installed = framework.getBundleContext().installBundle("reference:" + bundle.toUri());
            installed.start();
            BundleWiring wiring = installed.adapt(BundleWiring.class);
            if (wiring == null || wiring.getClassLoader() == null) {
                throw new PluginLoadException("Plugin folder [" + location + "] was installed as a bundle but did not resolve");
            }
            bundles.put(wiring.getClassLoader(), new InstalledBundle(installed, natives ? null : bundle));
            return wiring.getClassLoader();
        }
        catch (IOException e) {
            throw new PluginLoadException("Plugin folder [" + location + "] cannot be prepared as a bundle in [" + folder + "]: " + e.getMessage(), e);
        }
        catch (BundleException e) {
            throw new PluginLoadException("Plugin folder [" + location + "] cannot be installed as a bundle: " + e.getMessage(), e);
        }
    }

    private static Path copy(List<Path> jars, Path bundle)
            throws IOException
    {
        Files.createDirectories(bundle);
        for (Path jar : jars) {
            Files.copy(jar, bundle.resolve(jar.getFileName().toString()));
        }
        return bundle;
    }

    /**
     * Whether the bundle of this class loader runs from its plugin folder because it carries native
     * libraries: it can never be uninstalled.
     *
     * @throws IllegalArgumentException if the class loader is not one of this runtime's bundles
     */
    public synchronized boolean carriesNativeLibraries(ClassLoader loader)
    {
        return bundle(loader).copy() == null;
    }

    /**
     * Uninstalls the bundle of this class loader, refreshes the framework so that nothing refers to
     * it any more, and deletes its private copy. Call it only once no run uses the plugin: its classes
     * stop loading.
     *
     * @throws PluginLoadException if the bundle carries native libraries, which bind to one class
     *     loader per JVM and cannot be unloaded
     * @throws IllegalArgumentException if the class loader is not one of this runtime's bundles
     */
    public synchronized void uninstall(ClassLoader loader, String location)
    {
        InstalledBundle installed = bundle(loader);
        if (installed.copy() == null) {
            throw new PluginLoadException("Plugin folder [" + location + "] carries native libraries, which bind to one class loader per JVM: its bundle cannot be uninstalled or refreshed while atnas runs");
        }
        try {
            installed.bundle().uninstall();
            CountDownLatch refreshed = new CountDownLatch(1);
            framework.adapt(FrameworkWiring.class).refreshBundles(List.of(installed.bundle()), event -> refreshed.countDown());
            if (!refreshed.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The OSGi framework did not refresh within 30 s after uninstalling [" + location + "]");
            }
            delete(installed.copy());
        }
        catch (BundleException e) {
            throw new PluginLoadException("Plugin folder [" + location + "]: its bundle cannot be uninstalled: " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the OSGi framework refreshes after uninstalling [" + location + "]", e);
        }
        bundles.remove(loader);
    }

    /** A bundle that is not a plugin after all goes at once, unless it carries native libraries. */
    @Override
    public synchronized void discard(ClassLoader loader, String location)
    {
        if (!carriesNativeLibraries(loader)) {
            uninstall(loader, location);
        }
    }

    /** How many plugin bundles are installed: the framework's bundles but for the framework itself. */
    public synchronized int bundleCount()
    {
        return framework.getBundleContext().getBundles().length - 1;
    }

    private InstalledBundle bundle(ClassLoader loader)
    {
        InstalledBundle installed = bundles.get(requireNonNull(loader, "loader is null"));
        if (installed == null) {
            throw new IllegalArgumentException("Class loader " + loader + " is not a bundle of this OSGi runtime");
        }
        return installed;
    }

    /** @param copy the bundle's private copy of its plugin's jars, or null if it runs from its folder (native libraries) */
    private record InstalledBundle(Bundle bundle, Path copy) {}

    /** Stops the framework and deletes its storage. */
    @Override
    public void close()
    {
        try {
            framework.stop();
            framework.waitForStop(10_000);
        }
        catch (BundleException e) {
            throw new IllegalStateException("The OSGi framework cannot stop: " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the OSGi framework stops", e);
        }
        delete(storage);
    }

    /** Deletes a folder and everything in it, if it exists. */
    static void delete(Path folder)
    {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot delete [" + folder + "]", e);
        }
    }
}
