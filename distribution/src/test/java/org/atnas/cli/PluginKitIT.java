package org.atnas.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plugin author's path, offline: a project generated from the archetype, built with Maven (its
 * test runs the conformance kit), assembled with {@code atnas dist} into a custom distribution
 * without ND4J, listed by {@code atnas plugins} and selected with {@code --set} in a short search.
 *
 * <p>The generated project resolves the atnas artifacts from a local repository of this build's
 * jars (atnas is not installed: the build never writes ~/.m2), all else from the shared local
 * repository through symbolic links, so Maven runs offline.
 */
class PluginKitIT
{
    private static final Path DISTRIBUTION = Path.of(System.getProperty("atnas.distribution", "target/atnas-0.1.0"));
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("atnas.version", "0.1.0");
    private static final Path SHARED_REPOSITORY = Path.of(System.getProperty("atnas.local-repository", System.getProperty("user.home") + "/.m2/repository"));
    private static final String MAVEN = System.getProperty("maven.home") == null ? "mvn" : System.getProperty("maven.home") + "/bin/mvn";

    @TempDir
    Path temporary;

    @Test
    void aGeneratedEvolverRunsInACustomDistributionWithoutNd4j()
            throws Exception
    {
        Path repository = repository();
        Path projects = Files.createDirectories(temporary.resolve("projects"));
        maven(projects, repository, "org.apache.maven.plugins:maven-archetype-plugin:3.2.1:generate", "-DinteractiveMode=false",
                "-DarchetypeGroupId=org.atnas", "-DarchetypeArtifactId=atnas-plugin-archetype", "-DarchetypeVersion=" + VERSION,
                "-DgroupId=com.example.atnas", "-DartifactId=keep-best", "-Dservice=evolver", "-DclassName=KeepBest");
        Path project = projects.resolve("keep-best");
        String build = maven(project, repository, "package");
        // the generated test ran the evolver kit
        assertThat(build).contains("Tests run: 14, Failures: 0, Errors: 0, Skipped: 0");
        Path folder = project.resolve("target/plugins/keep-best");
        assertThat(jars(folder)).containsExactly("keep-best-1.0.0.jar");

        Path custom = temporary.resolve("custom");
        String assembled = atnas(DISTRIBUTION, "dist", "--plugins", "searchspace-darts,evolution-ga,backend-djl,optimizer-maml," + folder, "--output", custom.toString());
        assertThat(assembled).startsWith("Distribution in " + custom + ": 5 plugins, ").contains("  keep-best 1.0.0: ");
        assertThat(custom.resolve("plugins")).isDirectoryContaining(path -> path.getFileName().toString().equals("keep-best"))
                .isDirectoryNotContaining(path -> path.getFileName().toString().equals("backend-nd4j"));
        assertThat(Files.readString(custom.resolve("plugins/keep-best/LICENSES"))).endsWith("keep-best-1.0.0.jar\tunknown\n");
        assertThat(Files.readString(custom.resolve("plugins/backend-djl/LICENSES"))).contains("api-0.36.0.jar\tApache-2.0 (DJL)\n", "pytorch-native-cpu-2.7.1-linux-x86_64.jar\tBSD-3-Clause (PyTorch)\n");
        assertThat(Files.readString(custom.resolve("conf/atnas.properties"))).contains("#keep-best.mutation-probability = 0.5").doesNotContain("nd4j.");
        long full = DistCommand.sizeOf(DISTRIBUTION);
        long small = DistCommand.sizeOf(custom);
        System.out.printf("Full distribution %s, custom distribution without ND4J, Weka and Reptile %s%n", DistCommand.megabytes(full), DistCommand.megabytes(small));
        assertThat(small).isLessThan(full);

        String plugins = atnas(custom, "plugins");
        assertThat(plugins).containsPattern("keep-best +1\\.0\\.0 +1\\.2 +evolver +keep-best +keeps the best quarter, fills with their mutants\n")
                .doesNotContain("nd4j").contains("\nWith native libraries: backend-djl. ").endsWith("5 plugins in " + custom.resolve("plugins") + "\n");
        String search = atnas(custom, "search", "--set", "evolver=keep-best", "--set", "runs.directory=" + temporary.resolve("runs"), "--set", "run.name=keep-best",
                "--set", "glyphs.classes=60", "--set", "data.image-size=14", "--set", "darts.channels=4", "--set", "darts.stem-multiplier=1", "--set", "djl.threads=1",
                "--set", "search.population=4", "--set", "search.arch-batch=2", "--set", "search.task-batch=2", "--set", "search.warmup-steps=2", "--set", "search.steps=4",
                "--set", "search.evolve-every=2", "--set", "search.validation-tasks=2", "--set", "search.inner-steps=2", "--set", "task.queries=3");
        assertThat(search).contains("Search finished (atnas): ");
        assertThat(Files.readString(temporary.resolve("runs/keep-best/config.properties"))).contains("evolver = keep-best");
    }

    @Test
    void aDistributionNamesWhatIsWrongAndWritesNothing()
    {
        Path output = temporary.resolve("bad");
        LauncherTest.Result unknown = LauncherTest.run(DISTRIBUTION, "dist", "--plugins", "evolution-ga,backend-cuda", "--output", output.toString());
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("error: Unknown plugin [backend-cuda] for --plugins; this distribution has [backend-djl, backend-nd4j, cluster-hazelcast, evolution-ga, ");
        LauncherTest.Result twice = LauncherTest.run(DISTRIBUTION, "dist", "--plugins", "evolution-ga,evolution-ga", "--output", output.toString());
        assertThat(twice).isEqualTo(new LauncherTest.Result(1, "", "error: Plugin folder [evolution-ga] is named twice in --plugins\n"));
        LauncherTest.Result existing = LauncherTest.run(DISTRIBUTION, "dist", "--plugins", "evolution-ga", "--output", temporary.toString());
        assertThat(existing).isEqualTo(new LauncherTest.Result(1, "", "error: Output [" + temporary + "] already exists: atnas dist writes a new folder only\n"));
        assertThat(output).doesNotExist();
    }

    @Test
    void everyJarOfEveryPluginHasItsLicence()
    {
        LauncherTest.Result licenses = LauncherTest.run(DISTRIBUTION, "plugins", "--licenses");
        assertThat(licenses.status()).as(licenses.err()).isZero();
        assertThat(licenses.out()).startsWith("PLUGIN                   JAR                                                LICENCE\n")
                .containsPattern("predictor-weka +weka-stable-3\\.8\\.6\\.jar +GPL-3\\.0\n")
                .containsPattern("predictor-weka +RBFNetwork-1\\.0\\.8\\.jar +GPL-3\\.0\n")
                .containsPattern("backend-nd4j +nd4j-api-1\\.0\\.0-M2\\.1\\.jar +Apache-2\\.0 \\(ND4J\\)\n")
                .contains("A distribution that ships a GPL-3.0 jar is GPL-3.0 as a whole.\n")
                // every jar the project ships is in the table: none is left unknown
                .doesNotContainPattern("\\.jar +unknown\n");
    }

    /**
     * A local repository holding this build's atnas artifacts (real files) and, through symbolic
     * links, everything else of the shared one.
     */
    private Path repository()
            throws IOException
    {
        Path repository = Files.createDirectories(temporary.resolve("repository"));
        Path org = Files.createDirectories(repository.resolve("org"));
        try (Stream<Path> entries = Files.list(SHARED_REPOSITORY)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals("org")) {
                    Files.createSymbolicLink(repository.resolve(entry.getFileName().toString()), entry);
                }
            }
        }
        try (Stream<Path> entries = Files.list(SHARED_REPOSITORY.resolve("org"))) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals("atnas")) {
                    Files.createSymbolicLink(org.resolve(entry.getFileName().toString()), entry);
                }
            }
        }
        install(repository, "atnas-parent", ROOT.resolve("pom.xml"), null);
        for (String module : List.of("framework-api", "plugin-conformance")) {
            install(repository, module, ROOT.resolve(module + "/pom.xml"), ROOT.resolve(module + "/target/" + module + "-" + VERSION + ".jar"));
        }
        install(repository, "atnas-plugin-archetype", ROOT.resolve("plugin-archetype/pom.xml"), ROOT.resolve("plugin-archetype/target/atnas-plugin-archetype-" + VERSION + ".jar"));
        return repository;
    }

    private static void install(Path repository, String artifact, Path pom, Path jar)
            throws IOException
    {
        Path folder = Files.createDirectories(repository.resolve("org/atnas").resolve(artifact).resolve(VERSION));
        Files.copy(pom, folder.resolve(artifact + "-" + VERSION + ".pom"));
        if (jar != null) {
            assertThat(jar).as("built by this build's package phase").isRegularFile();
            Files.copy(jar, folder.resolve(artifact + "-" + VERSION + ".jar"));
        }
    }

    private static String maven(Path directory, Path repository, String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(MAVEN, "-B", "-o", "-ntp", "-Dmaven.repo.local=" + repository));
        command.addAll(List.of(arguments));
        return run(directory, command, 300);
    }

    private static String atnas(Path home, String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/atnas").toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        return run(home, command, 300);
    }

    private static String run(Path directory, List<String> command, int seconds)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("%s ends", command).isTrue();
        assertThat(process.exitValue()).as("%s%n%s", command, output).isZero();
        return output;
    }

    private static List<String> jars(Path folder)
            throws IOException
    {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
