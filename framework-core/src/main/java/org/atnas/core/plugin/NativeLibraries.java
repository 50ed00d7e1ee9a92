package org.atnas.core.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Whether a plugin folder carries native libraries. A native library binds to one class loader per
 * JVM, so such a plugin is loaded once per process and never unloaded: neither runtime can replace
 * it while the process runs.
 */
public final class NativeLibraries
{
    private static final String SHARED_LIBRARY = ".*\\.(so(\\.[0-9.]+)?|dll|dylib|jnilib)";

    private NativeLibraries() {}

    /**
     * @param folder a plugin folder
     * @return whether one of its jars holds a shared library (.so, .dll, .dylib, .jnilib)
     * @throws UncheckedIOException naming the folder if a jar cannot be read
     */
    public static boolean carriedBy(Path folder)
    {
        try (Stream<Path> files = Files.list(folder)) {
            return carriedBy(files.filter(file -> file.getFileName().toString().endsWith(".jar")).toList());
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the jars of plugin folder [" + folder + "]", e);
        }
    }

    /** Whether one of the jars holds a shared library. */
    static boolean carriedBy(List<Path> jars)
            throws IOException
    {
        for (Path jar : jars) {
            try (JarFile opened = new JarFile(jar.toFile())) {
                if (opened.stream().anyMatch(entry -> entry.getName().matches(SHARED_LIBRARY))) {
                    return true;
                }
            }
        }
        return false;
    }
}
