package org.atnas.core.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The class loader of one plugin folder: child-first. The API packages and SLF4J come from the
 * host (a plugin must see the very classes the host passes it); the JDK comes from the platform;
 * everything else from the plugin's own jars, so plugins may bundle any library version without
 * clashing with the host or each other.
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
        if (isHostClass(name)) {
            return host.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try {
                    loaded = findClass(name);
                }
                catch (ClassNotFoundException e) {
                    loaded = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name)
    {
        if (isHostResource(name)) {
            return host.getResource(name);
        }
        URL url = findResource(name);
        return url != null ? url : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name)
            throws IOException
    {
        if (isHostResource(name)) {
            return host.getResources(name);
        }
        // only the plugin's own resources: the host's service files must not leak into the plugin's ServiceLoader
        return findResources(name);
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
