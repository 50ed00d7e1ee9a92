package org.atnas.core.study;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.atnas.core.search.ClusterFingerprint;

import static java.util.Objects.requireNonNull;

/**
 * One cell of a study sent to a cluster member ({@code atnas study FILE --set cluster=...}): the
 * study file's text, the cell, the {@code --set} values of every cell, and the coordinator's
 * fingerprint for the cell's data, so that a member whose plugins or data differ refuses it. The
 * member runs the cell as {@code atnas study FILE --cell ID} would and answers with its folder as a
 * zip archive ({@link FolderArchive}).
 *
 * @param fingerprint the coordinator's API version, plugins and the cell's data digest
 * @param fileName the study file's name, for the member's copy
 * @param fileText the study file's text
 * @param cell the cell's id
 * @param overrides the study's {@code --set} values, without the cluster's own keys
 */
public record CellJob(ClusterFingerprint fingerprint, String fileName, String fileText, String cell, Map<String, String> overrides)
{
    /** The first four bytes of every cell job: "CELL", never the meta-search's wire version. */
    private static final int MAGIC = 0x43454C4C;

    public CellJob
    {
        requireNonNull(fingerprint, "fingerprint is null");
        requireNonNull(fileName, "fileName is null");
        requireNonNull(fileText, "fileText is null");
        requireNonNull(cell, "cell is null");
        overrides = Map.copyOf(new LinkedHashMap<>(requireNonNull(overrides, "overrides is null")));
    }

    /** Whether the job's bytes are a cell job (rather than a meta-search's). */
    public static boolean isCellJob(byte[] job)
    {
        return job.length >= 4 && ((job[0] & 0xff) << 24 | (job[1] & 0xff) << 16 | (job[2] & 0xff) << 8 | job[3] & 0xff) == MAGIC;
    }

    public byte[] encode()
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeUTF(fingerprint.apiVersion());
            out.writeInt(fingerprint.plugins().size());
            for (String plugin : fingerprint.plugins()) {
                out.writeUTF(plugin);
            }
            out.writeUTF(fingerprint.data());
            out.writeUTF(fileName);
            byte[] text = fileText.getBytes(StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
            out.writeUTF(cell);
            out.writeInt(overrides.size());
            for (Map.Entry<String, String> override : overrides.entrySet()) {
                out.writeUTF(override.getKey());
                out.writeUTF(override.getValue());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IllegalArgumentException if the bytes are not a cell job
     */
    public static CellJob decode(byte[] job)
    {
        if (!isCellJob(job)) {
            throw new IllegalArgumentException("Not a study cell job");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(job))) {
            in.readInt();
            String apiVersion = in.readUTF();
            List<String> plugins = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                plugins.add(in.readUTF());
            }
            ClusterFingerprint fingerprint = new ClusterFingerprint(apiVersion, plugins, in.readUTF());
            String fileName = in.readUTF();
            byte[] text = new byte[in.readInt()];
            in.readFully(text);
            String cell = in.readUTF();
            Map<String, String> overrides = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                overrides.put(in.readUTF(), in.readUTF());
            }
            return new CellJob(fingerprint, fileName, new String(text, StandardCharsets.UTF_8), cell, overrides);
        }
        catch (IOException e) {
            throw new IllegalArgumentException("Malformed study cell job: " + e.getMessage(), e);
        }
    }
}
