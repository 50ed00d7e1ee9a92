package org.atnas.core.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.atnas.api.Evolver;
import org.atnas.api.plugin.Plugin;
import org.atnas.core.Components;
import org.atnas.core.ServiceType;
import org.atnas.core.config.Configuration;
import org.atnas.core.config.ConfigurationDocumentation;
import org.atnas.core.config.ResolvedConfiguration;
import org.atnas.core.testing.PluginCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginLoaderTest
{
    @TempDir
    Path plugins;

    private final PluginLoader loader = new PluginLoader(PluginLoaderTest.class.getClassLoader());

    private void evolverPlugin(String folder, String evolverName, String apiVersion, String createBody)
    {
        PluginCompiler.compilePlugin(plugins, folder, "example." + folder.replace("-", "") + ".ExamplePlugin",
                PluginCompiler.evolverPluginSource("example." + folder.replace("-", ""), "ExamplePlugin", evolverName, apiVersion, createBody));
    }

    @Test
    void findsACompiledPluginInItsFolder()
    {
        evolverPlugin("keep-best", "keep-best", "ApiVersion.CURRENT", "");
        List<InstalledPlugin> installed = loader.loadFolders(plugins);

        assertThat(installed).hasSize(1);
        InstalledPlugin plugin = installed.get(0);
        assertThat(plugin.name()).isEqualTo("keep-best");
        assertThat(plugin.location()).isEqualTo(plugins.getFileName() + "/keep-best");
        assertThat(plugin.version()).isEqualTo("1.2.3");
        assertThat(plugin.apiVersion()).isEqualTo("1.2");
        assertThat(plugin.classLoader()).isInstanceOf(PluginClassLoader.class);
        assertThat(plugin.plugin().getClass().getClassLoader()).isSameAs(plugin.classLoader());
        assertThat(plugin.components()).singleElement().satisfies(factory -> {
            assertThat(factory.name()).isEqualTo("keep-best");
            assertThat(factory.service()).isSameAs(Evolver.class);
        });
    }

    @Test
    void pluginsSeeTheApiButNotTheHostsLibraries()
            throws Exception
    {
        evolverPlugin("keep-best", "keep-best", "ApiVersion.CURRENT", "");
        ClassLoader pluginLoader = loader.loadFolders(plugins).get(0).classLoader();

        assertThat(pluginLoader.loadClass(Plugin.class.getName())).isSameAs(Plugin.class);
        assertThat(pluginLoader.loadClass(org.slf4j.Logger.class.getName())).isSameAs(org.slf4j.Logger.class);
        assertThat(pluginLoader.loadClass("java.util.List")).isSameAs(List.class);
        assertThatThrownBy(() -> pluginLoader.loadClass("com.google.inject.Guice")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> pluginLoader.loadClass(PluginLoader.class.getName())).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void folderWithoutJar()
            throws IOException
    {
        Files.createDirectories(plugins.resolve("empty"));
        assertThatThrownBy(() -> loader.loadFolders(plugins))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("Plugin folder [" + plugins.getFileName() + "/empty] holds no jar file");
    }

    @Test
    void jarWithoutPlugin()
    {
        PluginCompiler.compile(plugins, "no-plugin", "1.0", Map.of("example.Nothing", "package example; public class Nothing {}"), Map.of());
        assertThatThrownBy(() -> loader.loadFolders(plugins))
                .hasMessage("Plugin folder [" + plugins.getFileName() + "/no-plugin] holds no implementation of org.atnas.api.plugin.Plugin (none of its jars has META-INF/services/org.atnas.api.plugin.Plugin)");
    }

    @Test
    void pluginClassThatCannotBeCreated()
    {
        PluginCompiler.compilePlugin(plugins, "broken", "example.Broken", """
                package example;
                public final class Broken implements org.atnas.api.plugin.Plugin {
                    public Broken() { throw new IllegalStateException("no licence file"); }
                    public String apiVersion() { return org.atnas.api.plugin.ApiVersion.CURRENT; }
                    public java.util.List<org.atnas.api.plugin.ComponentFactory<?>> components() { return java.util.List.of(); }
                }
                """);
        assertThatThrownBy(() -> loader.loadFolders(plugins))
                .hasMessage("Plugin folder [" + plugins.getFileName() + "/broken]: cannot create its Plugin: org.atnas.api.plugin.Plugin: Provider example.Broken could not be instantiated: IllegalStateException: no licence file");
    }

    @Test
    void pluginWhoseComponentListThrows()
    {
        PluginCompiler.compilePlugin(plugins, "throws", "example.Throws", """
                package example;
                public final class Throws implements org.atnas.api.plugin.Plugin {
                    public String apiVersion() { return org.atnas.api.plugin.ApiVersion.CURRENT; }
                    public java.util.List<org.atnas.api.plugin.ComponentFactory<?>> components() { throw new IllegalStateException("boom"); }
                }
                """);
        assertThatThrownBy(() -> loader.loadFolders(plugins))
                .hasMessage("Plugin folder [" + plugins.getFileName() + "/throws]: example.Throws.components() failed: boom");
    }

    @Test
    void pluginBuiltForAnotherApiVersion()
    {
        evolverPlugin("future", "future", "\"2.0\"", "");
        assertThatThrownBy(() -> loader.loadFolders(plugins))
                .hasMessage("Plugin folder [" + plugins.getFileName() + "/future] was built against atnas API 2.0, but this host provides API 1.2; rebuild the plugin against API 1.2");
        assertThatThrownBy(() -> PluginLoader.checkApiVersion("0.9", "plugins/old"))
                .hasMessage("Plugin folder [plugins/old] was built against atnas API 0.9, but this host provides API 1.2; rebuild the plugin against API 1.2");
    }

    @Test
    void pluginBuiltForANewerMinorVersion()
    {
        evolverPlugin("newer", "newer", "\"1.3\"", "");
        assertThatThrownBy(() -> loader.loadFolders(plugins))
                .hasMessage("Plugin folder [" + plugins.getFileName() + "/newer] was built against atnas API 1.3, but this host provides API 1.2; rebuild the plugin against API 1.2");
        assertThatThrownBy(() -> PluginLoader.checkApiVersion("one", "plugins/x"))
                .hasMessage("Plugin folder [plugins/x] reports API version [one], expected major.minor such as 1.2");
    }

    @Test
    void pluginBuiltAgainstTheOlderMinorVersionLoadsAndIsSelected()
    {
        // the 1.0 contract: apiVersion() returns "1.0" and the plugin uses no 1.1 addition such as Setting.oneOf
        evolverPlugin("keep-best", "keep-best", "\"1.0\"", "");
        PluginRegistry registry = new PluginRegistry(loader.loadFolders(plugins));
        InstalledPlugin plugin = registry.plugins().get(0);
        assertThat(plugin.apiVersion()).isEqualTo("1.0");

        ResolvedConfiguration configuration = ResolvedConfiguration.resolve(
                Configuration.load(Optional.empty(), List.of("evolver=keep-best", "keep-best.keep=3")), registry, EnumSet.of(ServiceType.EVOLVER));
        RegisteredComponent selected = configuration.selected(ServiceType.EVOLVER).orElseThrow();
        assertThat(selected.name()).isEqualTo("keep-best");
        assertThat(selected.plugin()).isSameAs(plugin);
        Components components = new Components(configuration);
        Evolver evolver = components.get(ServiceType.EVOLVER, Evolver.class);
        assertThat(evolver.name()).isEqualTo("keep-best");
        assertThat(ContextClassLoaderProxy.unwrap(evolver).getClass().getClassLoader()).isSameAs(plugin.classLoader());
    }

    @Test
    void aChoiceOfAThirdPartyPluginIsDocumentedAndChecked()
    {
        PluginCompiler.compilePlugin(plugins, "tournament", "example.tournament.TournamentPlugin", """
                package example.tournament;
                import java.util.List;
                import org.atnas.api.Evolver;
                import org.atnas.api.plugin.*;
                public final class TournamentPlugin implements Plugin {
                    static final Setting<String> SELECTION = Setting.oneOf("tournament.selection", "binary", List.of("binary", "ternary", "ranked"), "How parents are drawn.");
                    public String apiVersion() { return ApiVersion.CURRENT; }
                    public List<ComponentFactory<?>> components() {
                        return List.of(ComponentFactory.of(Evolver.class, "tournament", "tournament selection", List.of(SELECTION), context -> { throw new UnsupportedOperationException(); }));
                    }
                }
                """);
        PluginRegistry registry = new PluginRegistry(loader.loadFolders(plugins));

        assertThat(ConfigurationDocumentation.defaults(registry)).contains(
                "\n# How parents are drawn.\n# Type: one of [binary, ternary, ranked]. Default: binary.\n#tournament.selection = binary\n");
        assertThatThrownBy(() -> ResolvedConfiguration.resolve(
                Configuration.load(Optional.empty(), List.of("evolver=tournament", "tournament.selection=roulette")), registry, EnumSet.of(ServiceType.EVOLVER)))
                .hasMessage("Invalid value [roulette] for key [tournament.selection] (from --set): expected one of [binary, ternary, ranked]");
    }

    @Test
    void twoPluginsOfferingTheSameName()
    {
        evolverPlugin("first", "keep-best", "ApiVersion.CURRENT", "");
        evolverPlugin("second", "keep-best", "ApiVersion.CURRENT", "");
        List<InstalledPlugin> installed = loader.loadFolders(plugins);
        assertThatThrownBy(() -> new PluginRegistry(installed))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("Evolver [keep-best] is offered by two plugins: [" + plugins.getFileName() + "/first] and [" + plugins.getFileName() + "/second]");
    }

    @Test
    void registryListsComponentsByService()
    {
        evolverPlugin("keep-best", "keep-best", "ApiVersion.CURRENT", "");
        PluginRegistry registry = new PluginRegistry(loader.loadFolders(plugins));
        assertThat(registry.components(ServiceType.EVOLVER)).containsOnlyKeys("keep-best");
        assertThat(registry.components(ServiceType.SEARCH_SPACE)).isEmpty();
        assertThat(registry.find(ServiceType.EVOLVER, "keep-best").orElseThrow().plugin().name()).isEqualTo("keep-best");
    }

    @Test
    void missingPluginsDirectory()
    {
        Path missing = plugins.resolve("nope");
        assertThatThrownBy(() -> loader.loadFolders(missing))
                .hasMessage("Plugin directory [" + missing + "] does not exist or is not a directory");
    }
}
