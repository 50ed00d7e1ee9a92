package org.atnas.core.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.atnas.api.plugin.Plugin;

/**
 * Compiles a third-party plugin from source inside a test (javax.tools) into a jar in a plugin
 * folder, against the API only: what a plugin author does, without rebuilding the framework.
 */
public final class PluginCompiler
{
    private PluginCompiler() {}

    /**
     * Compiles {@code sources} (class name to source text) into {@code <pluginsDirectory>/<name>/<name>.jar}
     * with the given extra resources (path to text) and a manifest of version {@code version}.
     *
     * @return the plugin folder
     */
    public static Path compile(Path pluginsDirectory, String name, String version, Map<String, String> sources, Map<String, String> resources)
    {
        return compile(pluginsDirectory, name, version, sources, resources, List.of());
    }

    /**
     * As {@link #compile(Path, String, String, Map, Map)}, with more javac options: for example
     * {@code --limit-modules java.base}, so that a plugin may declare classes in a package the
     * platform has (javac refuses a package that another observable module holds).
     */
    public static Path compile(Path pluginsDirectory, String name, String version, Map<String, String> sources, Map<String, String> resources, List<String> javacOptions)
    {
        try {
            Path sourceRoot = Files.createTempDirectory("plugin-src-");
            Path classes = Files.createTempDirectory("plugin-classes-");
            List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", apiClasspath(), "--release", "17", "-proc:none"));
            arguments.addAll(javacOptions);
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = sourceRoot.resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                arguments.add(file.toString());
            }
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            StringWriter errors = new StringWriter();
            int status = compiler.run(null, null, new OutputStream()
            {
                @Override
                public void write(int b)
                {
                    errors.write(b);
                }
            }, arguments.toArray(String[]::new));
            if (status != 0) {
                throw new IllegalStateException("Plugin " + name + " did not compile:\n" + errors);
            }
            Path folder = Files.createDirectories(pluginsDirectory.resolve(name));
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            // null: a jar as Maven's defaults build it, with no version in its manifest
            if (version != null) {
                manifest.getMainAttributes().putValue("Bundle-Version", version);
            }
            try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(folder.resolve(name + ".jar")), manifest);
                    Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    jar.write(Files.readAllBytes(file));
                    jar.closeEntry();
                }
                for (Map.Entry<String, String> resource : resources.entrySet()) {
                    jar.putNextEntry(new JarEntry(resource.getKey()));
                    jar.write(resource.getValue().getBytes(StandardCharsets.UTF_8));
                    jar.closeEntry();
                }
            }
            return folder;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A plugin whose single class {@code className} is listed as its {@link Plugin}. */
    public static Path compilePlugin(Path pluginsDirectory, String name, String className, String source)
    {
        return compile(pluginsDirectory, name, "1.2.3", Map.of(className, source), Map.of("META-INF/services/" + Plugin.class.getName(), className + "\n"));
    }

    private static String apiClasspath()
    {
        try {
            return Path.of(Plugin.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Source of a plugin class {@code pkg.Name} offering one evolver named {@code evolverName}
     * that keeps the best {@code <name>.keep} individuals and samples the rest. {@code apiVersion} is
     * the text its {@code apiVersion()} returns, as Java source (for example {@code ApiVersion.CURRENT}).
     */
    public static String evolverPluginSource(String packageName, String className, String evolverName, String apiVersion, String createBody)
    {
        return """
                package %1$s;

                import java.util.ArrayList;
                import java.util.List;
                import java.util.random.RandomGenerator;
                import org.atnas.api.*;
                import org.atnas.api.plugin.*;

                public final class %2$s implements Plugin {
                    public String apiVersion() { return %4$s; }

                    public List<ComponentFactory<?>> components() {
                        Setting<Integer> keep = Setting.integer("%3$s.keep", 2, 1, 100, "How many of the best to keep.");
                        return List.of(new ComponentFactory<Evolver>() {
                            public Class<Evolver> service() { return Evolver.class; }
                            public String name() { return "%3$s"; }
                            public String description() { return "keeps the best, samples the rest"; }
                            public List<Setting<?>> settings() { return List.of(keep); }
                            public Evolver create(ComponentContext context) {
                                %5$s
                                int kept = context.get(keep);
                                return new Evolver() {
                                    public String name() { return "%3$s"; }
                                    public Population evolve(Population evaluated, SearchSpace space, RandomGenerator random) {
                                        List<Individual> next = new ArrayList<>(evaluated.ranked().subList(0, Math.min(kept, evaluated.size())));
                                        while (next.size() < evaluated.size()) {
                                            next.add(Individual.unevaluated(space.sample(random)));
                                        }
                                        return new Population(next);
                                    }
                                    public Population halve(Population evaluated, SearchSpace space, RandomGenerator random) {
                                        return new Population(evaluated.ranked().subList(0, Math.max(1, evaluated.size() / 2)));
                                    }
                                };
                            }
                        });
                    }
                }
                """.formatted(packageName, className, evolverName, apiVersion, createBody);
    }

    /**
     * Source of a plugin class {@code pkg.Name} offering one predictor named {@code predictorName}
     * that predicts the mean fitness of the architectures it was trained on.
     */
    public static String predictorPluginSource(String packageName, String className, String predictorName)
    {
        return """
                package %1$s;

                import java.util.List;
                import org.atnas.api.*;
                import org.atnas.api.plugin.*;

                public final class %2$s implements Plugin {
                    public String apiVersion() { return ApiVersion.CURRENT; }

                    public List<ComponentFactory<?>> components() {
                        return List.of(ComponentFactory.of(Predictor.class, "%3$s", "predicts the mean fitness of what it was trained on", List.of(), context -> new Predictor() {
                            private double mean;

                            public String name() { return "%3$s"; }

                            public void train(SearchSpace space, List<Individual> evaluated, long seed) {
                                mean = evaluated.stream().mapToDouble(individual -> individual.fitness().orElseThrow()).average().orElseThrow();
                            }

                            public double predict(ArchitectureCode code) { return mean; }
                        }));
                    }
                }
                """.formatted(packageName, className, predictorName);
    }
}
