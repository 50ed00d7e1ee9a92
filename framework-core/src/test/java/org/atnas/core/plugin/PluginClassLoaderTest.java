package org.atnas.core.plugin;

import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.atnas.api.plugin.Plugin;
import org.atnas.core.testing.PluginCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class PluginClassLoaderTest
{
    private static final String SHADOW = "javax.xml.parsers.DocumentBuilderFactory";

    @TempDir
    Path plugins;

    /**
     * A plugin that bundles its own {@code javax.xml.parsers.DocumentBuilderFactory} (as an old
     * XML parser jar might) and whose plugin class reports the one it links against.
     */
    private InstalledPlugin shadowingPlugin()
    {
        PluginCompiler.compile(plugins, "shadow", "1.2.3", Map.of(
                        SHADOW, """
                                package javax.xml.parsers;
                                public abstract class DocumentBuilderFactory {
                                    public static String origin() { return "the plugin's own copy"; }
                                }
                                """,
                        "example.shadow.ShadowPlugin", """
                                package example.shadow;
                                import java.util.List;
                                import org.atnas.api.Evolver;
                                import org.atnas.api.plugin.*;
                                public final class ShadowPlugin implements Plugin {
                                    public static Class<?> seenFactory() { return javax.xml.parsers.DocumentBuilderFactory.class; }
                                    public String apiVersion() { return ApiVersion.CURRENT; }
                                    public List<ComponentFactory<?>> components() {
                                        return List.of(ComponentFactory.of(Evolver.class, "shadow", "never created", List.of(), context -> { throw new UnsupportedOperationException(); }));
                                    }
                                }
                                """),
                Map.of("META-INF/services/" + Plugin.class.getName(), "example.shadow.ShadowPlugin\n"),
                // javac refuses a class in a package of an observable platform module
                List.of("--limit-modules", "java.base"));
        return new PluginLoader(PluginClassLoaderTest.class.getClassLoader()).loadFolders(plugins).get(0);
    }

    @Test
    void platformClassesCannotBeShadowedByAPluginJar()
            throws Exception
    {
        InstalledPlugin plugin = shadowingPlugin();
        Class<?> seen = (Class<?>) plugin.plugin().getClass().getMethod("seenFactory").invoke(null);

        // java.xml belongs to the bootstrap loader, which the platform loader delegates to
        assertThat(seen.getClassLoader()).as("the loader that defines the " + SHADOW + " the plugin sees").isNull();
        assertThat(seen.getModule().getName()).isEqualTo("java.xml");
        assertThat(seen).isSameAs(DocumentBuilderFactory.class);
        assertThat(plugin.classLoader().loadClass(SHADOW)).isSameAs(DocumentBuilderFactory.class);
        assertThat(plugin.classLoader().getResource(SHADOW.replace('.', '/') + ".class").getProtocol()).isEqualTo("jrt");
    }

    @Test
    void theHostsServiceFilesStayOutOfThePluginsServiceLoader()
            throws Exception
    {
        InstalledPlugin plugin = shadowingPlugin();
        List<URL> serviceFiles = Collections.list(plugin.classLoader().getResources("META-INF/services/" + Plugin.class.getName()));

        assertThat(serviceFiles).singleElement().satisfies(url -> assertThat(url.toString()).startsWith("jar:").contains("/shadow/shadow.jar!"));
    }
}
