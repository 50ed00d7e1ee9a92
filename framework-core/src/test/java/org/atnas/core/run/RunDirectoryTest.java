package org.atnas.core.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.atnas.core.ServiceType;
import org.atnas.core.config.Configuration;
import org.atnas.core.config.ResolvedConfiguration;
import org.atnas.core.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunDirectoryTest
{
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:15:30Z"), ZoneOffset.UTC);

    @TempDir
    Path runs;

    private ResolvedConfiguration configuration(String... overrides)
    {
        List<String> all = new java.util.ArrayList<>(List.of(overrides));
        all.add("runs.directory=" + runs);
        return ResolvedConfiguration.resolve(Configuration.load(Optional.empty(), all), new PluginRegistry(List.of()), EnumSet.noneOf(ServiceType.class));
    }

    @Test
    void createsATimeStampedDirectoryWithTheEffectiveConfiguration()
            throws Exception
    {
        RunDirectory first = RunDirectory.create(configuration("seed=3"), "bench-evolver", CLOCK);
        RunDirectory second = RunDirectory.create(configuration("seed=3"), "bench-evolver", CLOCK);
        assertThat(first.path()).isEqualTo(runs.resolve("bench-evolver-20261128-101530"));
        assertThat(second.path()).isEqualTo(runs.resolve("bench-evolver-20261128-101530-2"));
        assertThat(Files.readString(first.path().resolve("config.properties"))).contains("\nseed = 3\n", "\nevolver = ga\n");
    }

    @Test
    void aConfiguredNameMustBeNew()
    {
        RunDirectory.create(configuration("run.name=mine"), "search", CLOCK);
        assertThatThrownBy(() -> RunDirectory.create(configuration("run.name=mine"), "search", CLOCK))
                .hasMessage("Run directory [" + runs.resolve("mine") + "] already exists; choose another run.name");
    }

    @Test
    void aConfiguredNameIsOneFolderInsideTheRunsDirectory()
    {
        for (String name : List.of("../../escape", "/tmp/elsewhere", "a/b", "..", "c:d")) {
            assertThatThrownBy(() -> RunDirectory.create(configuration("run.name=" + name), "search", CLOCK))
                    .as(name)
                    .isInstanceOf(org.atnas.core.config.ConfigurationException.class)
                    .hasMessage("Configuration key [run.name] must be one folder name inside runs.directory [" + runs + "], got [" + name
                            + "]; expected a name without /, \\ or :, other than . and ..");
        }
        assertThat(runs.getParent().resolve("escape")).doesNotExist();
    }

    @Test
    void aRunIsLockedByOneProcessAtATime()
    {
        RunDirectory directory = RunDirectory.create(configuration("run.name=busy"), "search", CLOCK);
        try (RunLock ignored = directory.lock()) {
            assertThatThrownBy(() -> RunDirectory.open(directory.path()).lock())
                    .hasMessage("Run [" + directory.path() + "] is in use by process " + ProcessHandle.current().pid() + "; wait for it to finish or stop it first");
        }
        // released: the next owner takes it
        directory.lock().close();
    }

    @Test
    void aFailedCommandRemovesTheDirectoryItCreated()
    {
        RunDirectory directory = RunDirectory.create(configuration("run.name=failed"), "data-inspect", CLOCK);
        directory.writeJson("split.json", Map.of("meta-train", List.of()));
        IllegalArgumentException failure = new IllegalArgumentException("the command failed");
        directory.removeAfterFailure(failure);
        assertThat(directory.path()).doesNotExist();
        assertThat(failure.getSuppressed()).isEmpty();
    }

    @Test
    void aResumedRunDropsTheMetricsWrittenAfterItsCheckpoint()
            throws Exception
    {
        RunDirectory directory = RunDirectory.create(configuration(), "search", CLOCK);
        try (MetricsLog metrics = directory.metrics()) {
            for (int step = 1; step <= 4; step++) {
                metrics.append(new java.util.LinkedHashMap<>(Map.of("type", "meta-step", "step", step)));
            }
        }
        MetricsLog.dropAfterStep(directory.path().resolve("metrics.jsonl"), 2);
        assertThat(Files.readAllLines(directory.path().resolve("metrics.jsonl"))).hasSize(2).allMatch(line -> !line.contains("\"step\":3") && !line.contains("\"step\":4"));
        Files.writeString(directory.path().resolve("metrics.jsonl"), "{\"step\":1}\nnot json\n");
        assertThatThrownBy(() -> MetricsLog.dropAfterStep(directory.path().resolve("metrics.jsonl"), 0))
                .hasMessageStartingWith("Metrics log [" + directory.path().resolve("metrics.jsonl") + "] line 2 is not JSON: ");
    }

    @Test
    void metricsAreOneJsonObjectPerLine()
            throws Exception
    {
        RunDirectory directory = RunDirectory.create(configuration(), "search", CLOCK);
        try (MetricsLog metrics = directory.metrics()) {
            metrics.append(Map.of("step", 1));
            metrics.append(new java.util.LinkedHashMap<>(Map.of("step", 2)));
        }
        assertThat(Files.readAllLines(directory.path().resolve("metrics.jsonl"))).containsExactly("{\"step\":1}", "{\"step\":2}");
    }

    @Test
    void atomicWritesLeaveNoTemporaryFiles()
            throws Exception
    {
        RunDirectory directory = RunDirectory.create(configuration(), "search", CLOCK);
        directory.writeJson("summary.json", Map.of("best", 0.5));
        directory.writeJson("summary.json", Map.of("best", 0.75));
        assertThat(Files.readString(directory.path().resolve("summary.json"))).contains("\"best\" : 0.75");
        try (Stream<Path> files = Files.list(directory.path())) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrder("config.properties", "summary.json");
        }
        // missing folders are created; a folder that is a file is an error naming the target
        Path intoMissingFolder = directory.path().resolve("missing/deeper/file.txt");
        AtomicFiles.writeString(intoMissingFolder, "x");
        assertThat(Files.readString(intoMissingFolder)).isEqualTo("x");
        // readable by others (as the umask allows), not private like the temporary file it was
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(intoMissingFolder))).startsWith("rw-r");
        Path underAFile = directory.path().resolve("summary.json/file.txt");
        assertThatThrownBy(() -> AtomicFiles.writeString(underAFile, "x"))
                .hasMessageStartingWith("Cannot write [" + underAFile + "]: ");
    }
}
