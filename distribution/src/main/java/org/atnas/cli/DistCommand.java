package org.atnas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.atnas.core.ServiceType;
import org.atnas.core.config.ConfigurationDocumentation;
import org.atnas.core.plugin.InstalledPlugin;
import org.atnas.core.plugin.PluginLoader;
import org.atnas.core.plugin.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code atnas dist}: a distribution with a chosen set of plugins, assembled from this one. The
 * new distribution is written beside {@code --output} and renamed into place once its plugins
 * load, so a failed assembly leaves nothing behind.
 */
@Command(name = "dist", mixinStandardHelpOptions = true,
        description = "Assembles a distribution with the chosen plugins into a new folder: this distribution's launcher, engine and documentation, each plugin's folder with a LICENSES file, and conf/atnas.properties for those plugins.")
final class DistCommand
        implements Runnable
{
    @ParentCommand
    AtnasCommand parent;

    @Option(names = "--plugins", required = true, split = ",", paramLabel = "PLUGIN",
            description = "The plugins, comma-separated: the name of a folder of this distribution's plugins/ (see atnas plugins), or the path of a plugin folder or of a plugin jar of your own (a path has a / or ends with .jar).")
    List<String> plugins;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The new distribution's folder; it must not exist yet.")
    Path output;

    @Override
    public void run()
    {
        Launcher launcher = parent.launcher;
        Path home = launcher.home();
        Path target = output.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new IllegalArgumentException("Output [" + output + "] already exists: atnas dist writes a new folder only");
        }
        Map<String, Path> sources = sources(home);
        Path staging = target.resolveSibling("." + target.getFileName() + ".assembling");
        try {
            deleteRecursively(staging);
            Files.createDirectories(staging.resolve("plugins"));
            for (String part : List.of("bin", "lib", "conf", "docs", "README.md", "LICENSE")) {
                if (Files.exists(home.resolve(part))) {
                    copyRecursively(home.resolve(part), staging.resolve(part));
                }
            }
            for (Map.Entry<String, Path> source : sources.entrySet()) {
                Path folder = staging.resolve("plugins").resolve(source.getKey());
                if (Files.isDirectory(source.getValue())) {
                    copyRecursively(source.getValue(), folder);
                }
                else {
                    Files.createDirectories(folder);
                    Files.copy(source.getValue(), folder.resolve(source.getValue().getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            List<InstalledPlugin> installed = new PluginLoader(Launcher.class.getClassLoader()).loadFolders(staging.resolve("plugins"));
            PluginRegistry registry = new PluginRegistry(installed);
            Files.writeString(staging.resolve("conf/atnas.properties"), ConfigurationDocumentation.defaults(registry), StandardCharsets.UTF_8);
            for (String name : sources.keySet()) {
                Path folder = staging.resolve("plugins").resolve(name);
                Files.writeString(folder.resolve(PluginLicenses.FILE), PluginLicenses.text(folder), StandardCharsets.UTF_8);
            }
            Files.createDirectories(target.getParent());
            Files.move(staging, target);
            report(launcher.out(), launcher.err(), target, registry, home);
        }
        catch (IOException e) {
            UncheckedIOException failure = new UncheckedIOException("Cannot assemble the distribution in [" + output + "]: " + e, e);
            deleteAfter(failure, staging);
            throw failure;
        }
        catch (RuntimeException e) {
            deleteAfter(e, staging);
            throw e;
        }
    }

    /** Each plugin's folder name and where it comes from, checked before anything is written. */
    private Map<String, Path> sources(Path home)
    {
        Map<String, Path> sources = new LinkedHashMap<>();
        for (String plugin : plugins) {
            String name;
            Path source;
            if (plugin.contains("/") || plugin.endsWith(".jar")) {
                source = Path.of(plugin).toAbsolutePath().normalize();
                if (Files.isDirectory(source)) {
                    name = source.getFileName().toString();
                }
                else if (Files.isRegularFile(source) && plugin.endsWith(".jar")) {
                    // keep-best-1.0.0.jar -> plugins/keep-best/
                    name = source.getFileName().toString().replaceFirst("\\.jar$", "").replaceFirst("-\\d[^-]*(-SNAPSHOT)?$", "");
                }
                else {
                    throw new IllegalArgumentException("Plugin [" + plugin + "] for --plugins is neither a folder nor a jar file");
                }
            }
            else {
                name = plugin.strip();
                source = home.resolve("plugins").resolve(name);
                if (!Files.isDirectory(source)) {
                    throw new IllegalArgumentException("Unknown plugin [" + plugin + "] for --plugins; this distribution has " + installedNames(home) + ", or give the path of a folder or jar");
                }
            }
            if (sources.put(name, source) != null) {
                throw new IllegalArgumentException("Plugin folder [" + name + "] is named twice in --plugins");
            }
        }
        return sources;
    }

    private static List<String> installedNames(Path home)
    {
        try (Stream<Path> folders = Files.list(home.resolve("plugins"))) {
            return folders.filter(Files::isDirectory).map(folder -> folder.getFileName().toString()).sorted().toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list [" + home.resolve("plugins") + "]", e);
        }
    }

    private static void report(PrintWriter out, PrintWriter err, Path target, PluginRegistry registry, Path home)
    {
        out.println("Distribution in " + target + ": " + registry.plugins().size() + " plugins, " + megabytes(sizeOf(target)) + " (this one: " + megabytes(sizeOf(home)) + ")");
        for (InstalledPlugin plugin : registry.plugins()) {
            out.println("  " + plugin.name() + " " + plugin.version() + ": " + megabytes(sizeOf(target.resolve("plugins").resolve(plugin.name()))));
        }
        for (ServiceType service : ServiceType.values()) {
            if (service.isOptional()) {
                continue;
            }
            List<String> offered = new ArrayList<>(registry.components(service).keySet());
            if (offered.isEmpty()) {
                err.println("warning: no plugin of this distribution offers a " + service.label() + ": a search needs one");
            }
            else if (!offered.contains(service.defaultName())) {
                err.println("warning: the default " + service.label() + " [" + service.defaultName() + "] is not in this distribution: set " + service.key() + " to one of " + offered);
            }
        }
        out.flush();
        err.flush();
    }

    /** The bytes of every file under {@code root}. */
    static long sizeOf(Path root)
    {
        try (Stream<Path> files = Files.walk(root)) {
            long total = 0;
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(file);
            }
            return total;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot measure [" + root + "]", e);
        }
    }

    static String megabytes(long bytes)
    {
        // a plugin without libraries weighs kilobytes: "0.0 MB" would say nothing
        return bytes < 1_000_000 ? String.format(java.util.Locale.ROOT, "%d kB", Math.round(bytes / 1e3)) : String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static void copyRecursively(Path source, Path target)
            throws IOException
    {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                }
                else {
                    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        catch (FileAlreadyExistsException e) {
            throw new IOException("Two sources write " + e.getFile(), e);
        }
    }

    private static void deleteRecursively(Path root)
            throws IOException
    {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Removes the half-assembled folder after {@code failure}; a second error joins the first instead of hiding it. */
    private static void deleteAfter(RuntimeException failure, Path staging)
    {
        try {
            deleteRecursively(staging);
        }
        catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
