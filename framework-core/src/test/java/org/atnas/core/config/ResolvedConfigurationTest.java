package org.atnas.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.atnas.core.ServiceType;
import org.atnas.core.data.DataSettings;
import org.atnas.core.plugin.PluginRegistry;
import org.atnas.core.testing.ToyComponents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResolvedConfigurationTest
{
    private static final Set<ServiceType> SPACE_AND_EVOLVER = EnumSet.of(ServiceType.SEARCH_SPACE, ServiceType.EVOLVER);

    private final PluginRegistry registry = new PluginRegistry(List.of(
            ToyComponents.plugin("toy", List.of(ToyComponents.toySpaceFactory())),
            ToyComponents.plugin("hill", List.of(ToyComponents.hillFactory()))));

    private static Configuration set(String... overrides)
    {
        return Configuration.load(Optional.empty(), List.of(overrides));
    }

    @Test
    void selectsComponentsAndParsesTheirSettings()
    {
        ResolvedConfiguration resolved = ResolvedConfiguration.resolve(set("search-space=toy", "evolver=hill", "toy.length=6", "seed=7"), registry, SPACE_AND_EVOLVER);
        assertThat(resolved.selected(ServiceType.SEARCH_SPACE).orElseThrow().name()).isEqualTo("toy");
        assertThat(resolved.selected(ServiceType.EVOLVER).orElseThrow().name()).isEqualTo("hill");
        assertThat(resolved.get(CoreSettings.SEED)).isEqualTo(7L);
        assertThat(resolved.contextFor(resolved.selected(ServiceType.SEARCH_SPACE).orElseThrow()).get(ToyComponents.TOY_LENGTH)).isEqualTo(6);
        assertThat(resolved.effective()).containsEntry("toy.length", "6").containsEntry("evolver", "hill").containsEntry("backend", "djl").doesNotContainKey("toy.table");
    }

    @Test
    void unknownComponentNameListsTheKnownOnesAndTheKey()
    {
        assertThatThrownBy(() -> ResolvedConfiguration.resolve(set("search-space=toy", "evolver=gx"), registry, SPACE_AND_EVOLVER))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Unknown evolver [gx] for key [evolver] (from --set); known: [hill]");
        assertThatThrownBy(() -> ResolvedConfiguration.resolve(set("search-space=toy", "evolver=hill", "predictor=gpp"), registry, EnumSet.allOf(ServiceType.class)))
                // every error at once
                .hasMessage("3 configuration errors:\n"
                        + "  Unknown weight backend [djl] for key [backend] (default); known: []\n"
                        + "  Unknown meta-optimizer [maml] for key [meta-optimizer] (default); known: []\n"
                        + "  Unknown predictor [gpp] for key [predictor] (from --set); known: [none]");
        assertThatThrownBy(() -> ResolvedConfiguration.resolve(set("search-space=toy", "evolver=hill", "predictor=gpp"), registry, EnumSet.of(ServiceType.PREDICTOR)))
                .hasMessage("Unknown predictor [gpp] for key [predictor] (from --set); known: [none]");
    }

    @Test
    void aKeyNobodyReadsFails()
    {
        assertThatThrownBy(() -> ResolvedConfiguration.resolve(set("search-space=toy", "evolver=hill", "toy.lenght=6"), registry, SPACE_AND_EVOLVER))
                .hasMessage("Unknown configuration key [toy.lenght] (from --set): no selected component reads it; did you mean [toy.length]?");
        assertThatThrownBy(() -> ResolvedConfiguration.resolve(set("search-space=toy", "evolver=hill", "colour=blue"), registry, SPACE_AND_EVOLVER))
                .hasMessage("Unknown configuration key [colour] (from --set): no selected component reads it");
    }

    @Test
    void aKeyOfAnInstalledComponentThatIsNotSelectedIsIgnoredWithOneWarning()
    {
        ResolvedConfiguration resolved = ResolvedConfiguration.resolve(set("search-space=darts", "evolver=hill", "toy.length=6"), registry, EnumSet.of(ServiceType.EVOLVER));
        assertThat(resolved.warnings()).containsExactly("Configuration key [toy.length] (from --set) of search space [toy] ignored: search-space = darts");
        assertThat(resolved.effective()).doesNotContainKey("toy.length");
        // an unknown key stays an error
        assertThatThrownBy(() -> ResolvedConfiguration.resolve(set("search-space=darts", "evolver=hill", "toy.width=6"), registry, EnumSet.of(ServiceType.EVOLVER)))
                .hasMessage("Unknown configuration key [toy.width] (from --set): no selected component reads it");
    }

    @Test
    void malformedValueNamesKeyValueAndExpectedType(@TempDir Path directory)
            throws Exception
    {
        assertThatThrownBy(() -> ResolvedConfiguration.resolve(set("search-space=toy", "evolver=hill", "toy.length=nine"), registry, SPACE_AND_EVOLVER))
                .hasMessage("Invalid value [nine] for key [toy.length] (from --set): expected an integer from 1 to 8");
        assertThatThrownBy(() -> ResolvedConfiguration.resolve(set("search-space=toy", "evolver=hill", "toy.length=9"), registry, SPACE_AND_EVOLVER))
                .hasMessage("Invalid value [9] for key [toy.length] (from --set): expected an integer from 1 to 8");
        Path file = directory.resolve("atnas.properties");
        Files.writeString(file, "search-space = toy\nevolver = hill\nseed = 1.5\n");
        assertThatThrownBy(() -> ResolvedConfiguration.resolve(Configuration.load(Optional.of(file), List.of()), registry, SPACE_AND_EVOLVER))
                .hasMessage("Invalid value [1.5] for key [seed] (from " + file + "): expected an integer");
    }

    @Test
    void aBadChoiceListsTheAllowedValues()
    {
        assertThatThrownBy(() -> ResolvedConfiguration.resolve(set("search-space=toy", "evolver=hill", "data.dataset=mnist"), registry, SPACE_AND_EVOLVER))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid value [mnist] for key [data.dataset] (from --set): expected one of [glyphs, omniglot, mini-imagenet, image-folder, idx, fashion-mnist, cifar10, svhn]");
        ResolvedConfiguration resolved = ResolvedConfiguration.resolve(set("search-space=toy", "evolver=hill", "data.dataset=omniglot"), registry, SPACE_AND_EVOLVER);
        assertThat(resolved.get(DataSettings.DATASET)).isEqualTo("omniglot");
    }

    @Test
    void overridesWinOverTheFile(@TempDir Path directory)
            throws Exception
    {
        Path file = directory.resolve("atnas.properties");
        Files.writeString(file, "search-space = toy\nevolver = hill\ntoy.length = 3\n");
        ResolvedConfiguration resolved = ResolvedConfiguration.resolve(Configuration.load(Optional.of(file), List.of("toy.length=5")), registry, SPACE_AND_EVOLVER);
        assertThat(resolved.effective()).containsEntry("toy.length", "5");
        assertThatThrownBy(() -> Configuration.load(Optional.of(directory.resolve("missing.properties")), List.of()))
                .hasMessage("Configuration file [" + directory.resolve("missing.properties") + "] does not exist or is not a file");
        assertThatThrownBy(() -> Configuration.load(Optional.empty(), List.of("seed")))
                .hasMessage("Invalid --set [seed]: expected key=value");
    }

    @Test
    void missingRequiredValueNamesTheKey()
    {
        ResolvedConfiguration resolved = ResolvedConfiguration.resolve(set("search-space=toy", "evolver=hill"), registry, SPACE_AND_EVOLVER);
        assertThatThrownBy(() -> resolved.contextFor(resolved.selected(ServiceType.SEARCH_SPACE).orElseThrow()).get(ToyComponents.TOY_TABLE))
                .hasMessage("Missing value for key [toy.table]: A required path.");
        assertThat(resolved.contextFor(resolved.selected(ServiceType.SEARCH_SPACE).orElseThrow()).find(ToyComponents.TOY_TABLE)).isEmpty();
    }

    @Test
    void documentationListsEveryKeyWithItsDefault()
    {
        String defaults = ConfigurationDocumentation.defaults(registry);
        assertThat(defaults).contains("#search-space = darts\n", "#seed = 0\n", "#toy.length = 4\n", "# Type: an integer from 1 to 8. Default: 4.\n",
                "# ---- search space toy (search-space = toy, plugin toy) ----",
                "\n# The data set; glyphs is embedded (no download).\n# Type: one of [glyphs, omniglot, mini-imagenet, image-folder, idx, fashion-mnist, cifar10, svhn]. Default: glyphs.\n#data.dataset = glyphs\n");
        ResolvedConfiguration resolved = ResolvedConfiguration.resolve(set("search-space=toy", "evolver=hill", "toy.length=2"), registry, SPACE_AND_EVOLVER);
        assertThat(ConfigurationDocumentation.effective(resolved)).contains("\ntoy.length = 2\n", "\nevolver = hill\n", "\nruns.directory = runs\n");
    }

    @Test
    void editDistance()
    {
        assertThat(ResolvedConfiguration.editDistance("toy.length", "toy.lenght")).isEqualTo(2);
        assertThat(ResolvedConfiguration.editDistance("", "abc")).isEqualTo(3);
    }
}
