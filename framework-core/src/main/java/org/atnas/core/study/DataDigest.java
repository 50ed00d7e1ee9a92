package org.atnas.core.study;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The SHA-256 of a run's data, for its provenance: two cells, or two machines, saw the same
 * images exactly when the digests agree. A folder's digest is that of its files' relative paths
 * and digests in sorted order.
 */
public final class DataDigest
{
    /** Each data path is read once per process: a study's cells share their data. */
    private static final Map<Path, Map<String, Object>> CACHE = new ConcurrentHashMap<>();

    private DataDigest() {}

    /**
     * The digests of {@code data.path}, one per comma-separated path: {@code path}, {@code files},
     * {@code sha256}; data generated in the process (no path) is described as such.
     *
     * @throws UncheckedIOException if the data cannot be read
     */
    public static List<Map<String, Object>> of(Optional<String> paths)
    {
        if (paths.isEmpty()) {
            return List.of(Map.of("path", "(none: data generated from the seed)"));
        }
        return java.util.Arrays.stream(paths.get().split(",")).map(String::strip).filter(part -> !part.isEmpty())
                .map(part -> CACHE.computeIfAbsent(Path.of(part).toAbsolutePath().normalize(), DataDigest::digest)).toList();
    }

    private static Map<String, Object> digest(Path data)
    {
        try {
            List<Path> files;
            if (Files.isDirectory(data)) {
                try (Stream<Path> walk = Files.walk(data)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
            }
            else {
                files = List.of(data);
            }
            MessageDigest all = sha256();
            for (Path file : files) {
                String relative = Files.isDirectory(data) ? data.relativize(file).toString() : file.getFileName().toString();
                all.update((relative + "\t" + HexFormat.of().formatHex(fileDigest(file)) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            Map<String, Object> digest = new LinkedHashMap<>();
            digest.put("path", data.toString());
            digest.put("files", files.size());
            digest.put("sha256", HexFormat.of().formatHex(all.digest()));
            return java.util.Collections.unmodifiableMap(digest);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the data [" + data + "] for its SHA-256: " + e.getMessage(), e);
        }
    }

    private static byte[] fileDigest(Path file)
            throws IOException
    {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return digest.digest();
    }

    private static MessageDigest sha256()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }
}
