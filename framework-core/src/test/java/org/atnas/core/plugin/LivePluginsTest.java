package org.atnas.core.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.atnas.api.plugin.Plugin;
import org.atnas.core.testing.PluginCompiler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LivePluginsTest
{
    private static final String PLUGIN_CLASS = "example.keepbest.ExamplePlugin";

    @TempDir
    Path temporary;

    private Path plugins;
    private OsgiRuntime runtime;
    private LivePlugins live;

    @BeforeEach
    void start()
            throws IOException
    {
        plugins = Files.createDirectories(temporary.resolve("plugins"));
        runtime = new OsgiRuntime(temporary.resolve("osgi"));
        PluginLoader loader = new PluginLoader(LivePluginsTest.class.getClassLoader(), runtime);
        live = new LivePlugins(plugins, loader.scanFolders(plugins), loader, runtime);
    }

    @AfterEach
    void stop()
    {
        runtime.close();
    }

    /** A plugin folder {@code <version>/<folder>} offering one evolver. */
    private Path evolverPlugin(String folder, String version, String evolverName, Map<String, String> resources)
    {
        Map<String, String> all = new java.util.HashMap<>(resources);
        all.putIfAbsent("META-INF/services/" + Plugin.class.getName(), PLUGIN_CLASS + "\n");
        return PluginCompiler.compile(temporary.resolve(version), folder, version,
                Map.of(PLUGIN_CLASS, PluginCompiler.evolverPluginSource("example.keepbest", "ExamplePlugin", evolverName, "ApiVersion.CURRENT", "")), all);
    }

    @Test
    void aPluginUninstalledWhileACommandUsesItStaysUntilTheCommandEnds()
            throws Exception
    {
        Path source = evolverPlugin("keep-best", "1.0.0", "keep-best", Map.of());
        assertThat(live.install(source)).isEqualTo("Installed plugin keep-best 1.0.0 (evolver keep-best) from " + source + " as plugins/keep-best; the next command sees it");
        assertThat(plugins.resolve("keep-best/keep-best.jar")).isRegularFile();
        assertThat(live.plugins()).extracting(InstalledPlugin::name).containsExactly("keep-best");
        assertThat(runtime.bundleCount()).isEqualTo(1);

        LivePlugins.Lease running = live.lease();
        assertThat(live.uninstall("keep-best")).isEqualTo("Uninstalled plugin keep-best 1.0.0 (evolver keep-best): the next command no longer sees it; 1 running command keeps 1.0.0 until it ends");
        assertThat(live.plugins()).isEmpty();
        assertThat(folders()).isEmpty();
        try (LivePlugins.Lease next = live.lease()) {
            assertThat(next.scan().plugins()).isEmpty();
        }
        // the running command can still load the plugin's classes it has not loaded yet: the evolver it creates
        InstalledPlugin held = running.scan().plugins().get(0);
        assertThat(held.classLoader().loadClass(PLUGIN_CLASS + "$1$1").getName()).isEqualTo(PLUGIN_CLASS + "$1$1");
        assertThat(runtime.bundleCount()).isEqualTo(1);
        running.close();
        assertThat(runtime.bundleCount()).isZero();
        running.close();
        assertThat(runtime.bundleCount()).isZero();
    }

    @Test
    void anUpdateIsSeenByTheNextCommandWhileTheRunningOneKeepsTheOldVersion()
            throws Exception
    {
        live.install(evolverPlugin("keep-best", "1.0.0", "keep-best", Map.of()));
        LivePlugins.Lease running = live.lease();
        Path newer = evolverPlugin("keep-best", "1.1.0", "keep-best", Map.of());
        assertThat(live.update("keep-best", newer)).isEqualTo("Updated plugin keep-best 1.0.0 -> 1.1.0 (evolver keep-best) from " + newer
                + "; the next command uses 1.1.0; 1 running command keeps 1.0.0 until it ends");
        assertThat(live.plugins()).extracting(InstalledPlugin::version).containsExactly("1.1.0");
        assertThat(running.scan().plugins()).extracting(InstalledPlugin::version).containsExactly("1.0.0");
        assertThat(folders()).containsExactly("keep-best");
        try (JarFile jar = new JarFile(plugins.resolve("keep-best/keep-best.jar").toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Bundle-Version")).isEqualTo("1.1.0");
        }
        assertThat(runtime.bundleCount()).isEqualTo(2);
        running.close();
        assertThat(runtime.bundleCount()).isEqualTo(1);

        // without a source, the folder is reloaded as it is on disk; nothing uses the old bundle, so it goes at once
        assertThat(live.update("keep-best", null)).isEqualTo("Updated plugin keep-best 1.1.0 -> 1.1.0 (evolver keep-best) from plugins/keep-best; the next command uses 1.1.0");
        assertThat(runtime.bundleCount()).isEqualTo(1);
    }

    @Test
    void aPluginWithNativeLibrariesIsInstalledButNeverUpdatedNorUninstalled()
            throws Exception
    {
        Path source = evolverPlugin("native-best", "1.0.0", "native-best", Map.of("linux-x86_64/libbest.so", "not really a library"));
        assertThat(live.install(source)).startsWith("Installed plugin native-best 1.0.0 (evolver native-best) from ");
        String refused = "Plugin [native-best] carries native libraries, which bind to one class loader per JVM: it cannot be %s while atnas runs; leave the shell, change plugins/native-best and start atnas again";
        assertThatThrownBy(() -> live.uninstall("native-best")).isInstanceOf(IllegalArgumentException.class).hasMessage(refused, "uninstalled");
        assertThatThrownBy(() -> live.update("native-best", source)).isInstanceOf(IllegalArgumentException.class).hasMessage(refused, "updated");
        assertThat(live.plugins()).extracting(InstalledPlugin::name).containsExactly("native-best");
        assertThat(folders()).containsExactly("native-best");
        assertThat(runtime.bundleCount()).isEqualTo(1);
    }

    @Test
    void aPluginThatCannotJoinLeavesNothingBehind()
            throws Exception
    {
        Path source = evolverPlugin("keep-best", "1.0.0", "keep-best", Map.of());
        live.install(source);
        Path rival = evolverPlugin("other-best", "1.0.0", "keep-best", Map.of());
        assertThatThrownBy(() -> live.install(rival)).isInstanceOf(PluginLoadException.class)
                .hasMessage("Evolver [keep-best] is offered by two plugins: [plugins/keep-best] and [plugins/other-best]");
        assertThatThrownBy(() -> live.update("keep-best", evolverPlugin("keep-best", "2.0.0", "keep-best", Map.of("META-INF/services/" + Plugin.class.getName(), "example.Missing\n"))))
                .isInstanceOf(PluginLoadException.class).hasMessageStartingWith("Plugin folder [plugins/keep-best]: cannot create its Plugin: ");
        assertThat(folders()).containsExactly("keep-best");
        assertThat(live.plugins()).extracting(InstalledPlugin::version).containsExactly("1.0.0");
        assertThat(runtime.bundleCount()).isEqualTo(1);

        assertThatThrownBy(() -> live.install(source)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Plugin [keep-best] is already installed; update keep-best " + source + " replaces it");
        assertThatThrownBy(() -> live.install(source.resolve("keep-best.jar"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Plugin [" + source.resolve("keep-best.jar") + "] is not a folder: give a plugin folder, such as a plugin project's target/plugins/NAME (its jar and private dependencies)");
        assertThatThrownBy(() -> live.uninstall("keep-worst")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No plugin [keep-worst] is installed; installed: [keep-best]");
        assertThatThrownBy(() -> live.update("keep-best", rival)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Plugin folder [" + rival + "] is named [other-best], not [keep-best]: a plugin's folder is named after it");
    }

    /** Every folder of plugins/, hidden ones too. */
    private List<String> folders()
            throws IOException
    {
        try (Stream<Path> files = Files.list(plugins)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
