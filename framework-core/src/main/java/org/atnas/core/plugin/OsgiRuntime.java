package org.atnas.core.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

import static java.util.Objects.requireNonNull;

/**
 * The OSGi runtime: an embedded Apache Felix framework in which each plugin folder is one bundle.
 * The folder gets a manifest that puts the plugin's jars on its {@code Bundle-ClassPath} (its
 * private dependencies embedded, never shared with other bundles) and imports the API packages
 * and SLF4J, which the host exports as system packages; every other
 * class is looked up in the JDK's platform class loader first (boot delegation), as in the
 * class-loader runtime. {@link PluginLoader} then finds the {@code Plugin} with
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
     * Installs and starts the folder's bundle, and returns its class loader. The plugin folder itself
     * is the bundle (a folder bundle, installed by reference): OSGi reads a bundle's class path only
     * inside the bundle, so the folder gets a {@code META-INF/MANIFEST.MF} listing its jars.
     */
    @Override
    public ClassLoader create(String name, String location, List<Path> jars)
    {
        Path bundle = jars.get(0).toAbsolutePath().getParent();
        try {
            Files.createDirectories(bundle.resolve("META-INF"));
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
            return wiring.getClassLoader();
        }
        catch (IOException e) {
            throw new PluginLoadException("Plugin folder [" + location + "] cannot be prepared as a bundle in [" + bundle + "]: " + e.getMessage(), e);
        }
        catch (BundleException e) {
            throw new PluginLoadException("Plugin folder [" + location + "] cannot be installed as a bundle: " + e.getMessage(), e);
        }
    }

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
        try (Stream<Path> files = Files.walk(storage)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the OSGi storage [" + storage + "]", e);
        }
    }
}
