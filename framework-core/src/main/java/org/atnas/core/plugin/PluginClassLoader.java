package org.atnas.core.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The class loader of one plugin folder (Trino's {@code PluginClassLoader}). A class or resource is
 * looked up
 * <ol>
 *     <li>in the platform class loader (the JDK's own modules), so that a jar of the plugin cannot
 *         shadow a platform package such as {@code javax.xml.parsers};</li>
 *     <li>for the API packages and SLF4J ({@link #HOST_PACKAGES}), in the host only: a plugin must
 *         see the very classes the host passes it, whatever its jars bundle;</li>
 *     <li>for everything else, in the plugin's own jars only, so that plugins may bundle any library
 *         version without clashing with the host or each other; the host's class path stays
 *         invisible.</li>
 * </ol>
 */
final class PluginClassLoader
        extends URLClassLoader
{
    static final List<String> HOST_PACKAGES = List.of("org.atnas.api.", "org.slf4j.");

    private final ClassLoader host;

    PluginClassLoader(String name, URL[] jars, ClassLoader host)
    {
        super(name, jars, ClassLoader.getPlatformClassLoader());
        this.host = requireNonNull(host, "host is null");
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve)
            throws ClassNotFoundException
    {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = findPlatformClass(name);
            }
            if (loaded == null) {
                loaded = isHostClass(name) ? host.loadClass(name) : findClass(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    /** The platform's class of that name, or null: most names are the plugin's own, so not finding one is the usual case. */
    private Class<?> findPlatformClass(String name)
    {
        try {
            return getParent().loadClass(name);
        }
        catch (ClassNotFoundException e) {
            return null;
        }
    }

    @Override
    public URL getResource(String name)
    {
        URL platform = getParent().getResource(name);
        if (platform != null) {
            return platform;
        }
        return isHostResource(name) ? host.getResource(name) : findResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name)
            throws IOException
    {
        List<URL> resources = new ArrayList<>(Collections.list(getParent().getResources(name)));
        // never the host's class path for other names: its service files must not leak into the plugin's ServiceLoader
        resources.addAll(Collections.list(isHostResource(name) ? host.getResources(name) : findResources(name)));
        return Collections.enumeration(resources);
    }

    private static boolean isHostClass(String name)
    {
        return HOST_PACKAGES.stream().anyMatch(name::startsWith);
    }

    private static boolean isHostResource(String name)
    {
        String asClass = name.replace('/', '.');
        return HOST_PACKAGES.stream().anyMatch(asClass::startsWith);
    }
}
