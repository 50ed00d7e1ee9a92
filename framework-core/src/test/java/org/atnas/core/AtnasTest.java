package org.atnas.core;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Evolver;
import org.atnas.api.Individual;
import org.atnas.api.Population;
import org.atnas.api.SearchSpace;
import org.atnas.core.config.Configuration;
import org.atnas.core.plugin.ContextClassLoaderProxy;
import org.atnas.core.plugin.InstalledPlugin;
import org.atnas.core.plugin.PluginLoader;
import org.atnas.core.testing.PluginCompiler;
import org.atnas.core.testing.ToyComponents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtnasTest
{
    @TempDir
    Path plugins;

    private List<InstalledPlugin> compiledEvolver(String name, String createBody)
    {
        PluginCompiler.compilePlugin(plugins, name, "example.tccl.TcclPlugin", PluginCompiler.evolverPluginSource("example.tccl", "TcclPlugin", name, "ApiVersion.CURRENT", createBody));
        return new PluginLoader(AtnasTest.class.getClassLoader()).loadFolders(plugins);
    }

    @Test
    void selectedComponentsComeFromGuiceAndRunWithTheirPluginsClassLoader()
    {
        List<InstalledPlugin> installed = compiledEvolver("keep", "");
        Atnas atnas = Atnas.start(installed, Configuration.load(Optional.empty(), List.of("evolver=keep", "keep.keep=1")), EnumSet.of(ServiceType.EVOLVER));
        Evolver evolver = atnas.instance(Evolver.class);

        assertThat(evolver.name()).isEqualTo("keep");
        assertThat(ContextClassLoaderProxy.unwrap(evolver).getClass().getClassLoader()).isSameAs(installed.get(0).classLoader());
        assertThat(atnas.instance(Evolver.class)).isSameAs(evolver);

        SearchSpace space = new ToyComponents.ToySpace(3);
        Population population = new Population(List.of(
                Individual.evaluated(ArchitectureCode.parse("1,1,1"), 3),
                Individual.evaluated(ArchitectureCode.parse("3,3,3"), 9),
                Individual.evaluated(ArchitectureCode.parse("0,0,0"), 0)));
        Population next = evolver.evolve(population, space, new SplittableRandom(1));
        assertThat(next.individuals().get(0)).isEqualTo(Individual.evaluated(ArchitectureCode.parse("3,3,3"), 9));
        assertThat(next.size()).isEqualTo(3);
    }

    @Test
    void contextClassLoaderIsThePluginsDuringEveryCall()
    {
        List<InstalledPlugin> installed = compiledEvolver("loader-name", "if (!\"plugin-loader-name\".equals(Thread.currentThread().getContextClassLoader().getName())) throw new IllegalStateException(\"wrong context class loader\");");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Atnas atnas = Atnas.start(installed, Configuration.load(Optional.empty(), List.of("evolver=loader-name")), EnumSet.of(ServiceType.EVOLVER));
        assertThat(atnas.instance(Evolver.class).name()).isEqualTo("loader-name");
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    @Test
    void aFactoryThatThrowsNamesTheComponentAndItsFolder()
    {
        List<InstalledPlugin> installed = compiledEvolver("broken", "if (true) throw new IllegalStateException(\"no licence file\");");
        Atnas atnas = Atnas.start(installed, Configuration.load(Optional.empty(), List.of("evolver=broken")), EnumSet.of(ServiceType.EVOLVER));
        assertThatThrownBy(() -> atnas.instance(Evolver.class))
                .isInstanceOf(ComponentStartException.class)
                .hasMessage("Evolver [broken] from plugin folder [" + plugins.getFileName() + "/broken] failed to start: no licence file");
    }

    @Test
    void predictorNoneMeansNoPredictor()
    {
        Atnas atnas = Atnas.start(List.of(), Configuration.empty(), EnumSet.of(ServiceType.PREDICTOR));
        assertThat(atnas.components().create(ServiceType.PREDICTOR, org.atnas.api.Predictor.class)).isEmpty();
        assertThatThrownBy(() -> atnas.instance(Evolver.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No evolver is selected");
    }
}
