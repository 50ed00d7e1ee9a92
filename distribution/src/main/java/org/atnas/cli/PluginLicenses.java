package org.atnas.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The licence of each jar of a plugin folder, so that whoever assembles a distribution knows what
 * it ships. From, in order: the table of the libraries the project's own plugins bundle
 * ({@code licenses.properties} beside this class, checked by hand against each library's POM), the
 * jar's {@code Bundle-License} manifest header, the {@code <licenses>} of the single POM the jar
 * carries; else {@code unknown}.
 */
final class PluginLicenses
{
    /** The file {@code atnas dist} writes into each plugin folder. */
    static final String FILE = "LICENSES";

    private static final Properties KNOWN = known();
    private static final Pattern LICENSE_NAME = Pattern.compile("<license>\\s*<name>\\s*([^<]+?)\\s*</name>", Pattern.DOTALL);

    private PluginLicenses() {}

    /**
     * One jar and its licence.
     *
     * @param source where the licence was found: {@code table}, {@code manifest}, {@code pom} or {@code none}
     */
    record Jar(String file, String license, String source) {}

    /** The jars of {@code folder}, in name order, with their licences. */
    static List<Jar> of(Path folder)
    {
        List<Path> jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list plugin folder [" + folder + "]", e);
        }
        List<Jar> licensed = new ArrayList<>();
        for (Path jar : jars) {
            licensed.add(licenseOf(jar));
        }
        return licensed;
    }

    /** The {@link #FILE} of a plugin folder: one jar a line, tab-separated from its licence. */
    static String text(Path folder)
    {
        StringBuilder text = new StringBuilder("# The jars of plugins/" + folder.getFileName() + "/ and their licences (atnas plugins --licenses)\n");
        for (Jar jar : of(folder)) {
            text.append(jar.file()).append('\t').append(jar.license()).append('\n');
        }
        return text.toString();
    }

    private static Jar licenseOf(Path path)
    {
        String file = path.getFileName().toString();
        String artifact = file.replaceFirst("\\.jar$", "").replaceFirst("-\\d.*$", "");
        Optional<String> listed = KNOWN.stringPropertyNames().stream()
                .filter(name -> artifact.equals(name) || artifact.startsWith(name + "-"))
                .max(java.util.Comparator.comparingInt(String::length))
                .map(KNOWN::getProperty);
        if (listed.isPresent()) {
            return new Jar(file, listed.get(), "table");
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            Manifest manifest = jar.getManifest();
            String header = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-License");
            if (header != null && !header.isBlank()) {
                return new Jar(file, header.strip(), "manifest");
            }
            return pomLicense(jar).map(license -> new Jar(file, license, "pom")).orElse(new Jar(file, "unknown", "none"));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the jar [" + path + "]", e);
        }
    }

    /** The licences named by the jar's POM, if it carries exactly one (a shaded jar carries many, of other projects). */
    private static Optional<String> pomLicense(JarFile jar)
            throws IOException
    {
        List<JarEntry> poms = jar.stream().filter(entry -> entry.getName().matches("META-INF/maven/[^/]+/[^/]+/pom\\.xml")).toList();
        if (poms.size() != 1) {
            return Optional.empty();
        }
        String pom;
        try (InputStream in = jar.getInputStream(poms.get(0))) {
            pom = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> names = new ArrayList<>();
        Matcher matcher = LICENSE_NAME.matcher(pom);
        while (matcher.find()) {
            names.add(matcher.group(1).replaceAll("\\s+", " "));
        }
        return names.isEmpty() ? Optional.empty() : Optional.of(String.join(" or ", names));
    }

    private static Properties known()
    {
        Properties known = new Properties();
        try (InputStream in = PluginLicenses.class.getResourceAsStream("licenses.properties")) {
            if (in == null) {
                throw new IllegalStateException("licenses.properties is missing beside " + PluginLicenses.class.getName());
            }
            known.load(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read licenses.properties", e);
        }
        return known;
    }
}
