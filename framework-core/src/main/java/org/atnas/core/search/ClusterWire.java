package org.atnas.core.search;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.atnas.api.ArchitectureCode;

/**
 * The bytes the coordinator and the workers of a cluster search exchange, written with
 * {@link DataOutputStream} (never Java serialization, so a member deserializes no classes): a
 * session's start, a meta-step's work and its results. Arrays go in bulk, big-endian.
 */
final class ClusterWire
{
    /** Changes whenever a message's layout does: members of two versions refuse each other. */
    static final int VERSION = 1;
    static final byte SESSION = 1;
    static final byte STEP = 2;
    static final byte END = 3;

    private ClusterWire() {}

    /** A session's start: who coordinates, with what, and how many workers the member hosts. */
    record Session(String id, ClusterFingerprint fingerprint, Map<String, String> configuration, int workers) {}

    /** One pair of a meta-step: the task's seed (made into a task on the member) and the architecture. */
    record RemotePair(long taskSeed, ArchitectureCode architecture) {}

    /** The pairs of one of the 𝒦 workers (Eq. 7), in the meta-step's order. */
    record WorkerPairs(int worker, List<RemotePair> pairs) {}

    /** A meta-step's work for one member. W is encoded once per step ({@link #weights}) and shared by the members' messages. */
    record Step(String session, int number, byte[] weights, List<WorkerPairs> workers) {}

    /** One pair's result: query loss and accuracy after the inner loop, and the meta-gradient's values. */
    record PairResult(double queryLoss, double queryAccuracy, Map<String, double[]> gradient) {}

    /**
     * A member's results, worker by worker as asked, and the time the member spent on them; or,
     * when a pair met a NaN or infinite loss, that failure's message ({@code nonFinite}, else null).
     */
    record StepResult(long computeNanos, List<List<PairResult>> workers, String nonFinite) {}

    static byte[] session(Session session)
    {
        return write(out -> {
            out.writeByte(SESSION);
            out.writeUTF(session.id());
            ClusterFingerprint fingerprint = session.fingerprint();
            out.writeUTF(fingerprint.apiVersion());
            writeStrings(out, fingerprint.plugins());
            out.writeUTF(fingerprint.data());
            out.writeInt(session.configuration().size());
            for (Map.Entry<String, String> entry : session.configuration().entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeUTF(entry.getValue());
            }
            out.writeInt(session.workers());
        });
    }

    static Session readSession(DataInputStream in)
            throws IOException
    {
        String id = in.readUTF();
        ClusterFingerprint fingerprint = new ClusterFingerprint(in.readUTF(), readStrings(in), in.readUTF());
        int entries = in.readInt();
        Map<String, String> configuration = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            configuration.put(in.readUTF(), in.readUTF());
        }
        return new Session(id, fingerprint, configuration, in.readInt());
    }

    /** W by parameter name: what every member's message of a meta-step carries. */
    static byte[] weights(Map<String, float[]> parameters)
    {
        return write(out -> {
            out.writeInt(parameters.size());
            for (Map.Entry<String, float[]> entry : parameters.entrySet()) {
                out.writeUTF(entry.getKey());
                writeFloats(out, entry.getValue());
            }
        });
    }

    static Map<String, float[]> readWeights(byte[] weights)
            throws IOException
    {
        DataInputStream in = open(weights);
        int count = in.readInt();
        Map<String, float[]> parameters = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            parameters.put(in.readUTF(), readFloats(in));
        }
        return parameters;
    }

    static byte[] step(Step step)
    {
        return write(out -> {
            out.writeByte(STEP);
            out.writeUTF(step.session());
            out.writeInt(step.number());
            out.writeInt(step.weights().length);
            out.write(step.weights());
            out.writeInt(step.workers().size());
            for (WorkerPairs worker : step.workers()) {
                out.writeInt(worker.worker());
                out.writeInt(worker.pairs().size());
                for (RemotePair pair : worker.pairs()) {
                    out.writeLong(pair.taskSeed());
                    int[] code = pair.architecture().toArray();
                    out.writeInt(code.length);
                    for (int gene : code) {
                        out.writeInt(gene);
                    }
                }
            }
        });
    }

    static Step readStep(DataInputStream in)
            throws IOException
    {
        String session = in.readUTF();
        int number = in.readInt();
        byte[] weights = new byte[in.readInt()];
        in.readFully(weights);
        int workers = in.readInt();
        List<WorkerPairs> all = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = in.readInt();
            int pairs = in.readInt();
            List<RemotePair> list = new ArrayList<>();
            for (int p = 0; p < pairs; p++) {
                long seed = in.readLong();
                int[] code = new int[in.readInt()];
                for (int i = 0; i < code.length; i++) {
                    code[i] = in.readInt();
                }
                list.add(new RemotePair(seed, ArchitectureCode.of(code)));
            }
            all.add(new WorkerPairs(worker, list));
        }
        return new Step(session, number, weights, all);
    }

    static byte[] end(String session)
    {
        return write(out -> {
            out.writeByte(END);
            out.writeUTF(session);
        });
    }

    /**
     * A meta-gradient's values go as floats when every value is one (a float32 backend's always
     * are), else as doubles: either way they arrive bit for bit.
     */
    static byte[] stepResult(StepResult result)
    {
        return write(out -> {
            out.writeLong(result.computeNanos());
            out.writeBoolean(result.nonFinite() != null);
            if (result.nonFinite() != null) {
                out.writeUTF(result.nonFinite());
            }
            out.writeInt(result.workers().size());
            for (List<PairResult> pairs : result.workers()) {
                out.writeInt(pairs.size());
                for (PairResult pair : pairs) {
                    out.writeDouble(pair.queryLoss());
                    out.writeDouble(pair.queryAccuracy());
                    out.writeInt(pair.gradient().size());
                    for (Map.Entry<String, double[]> entry : pair.gradient().entrySet()) {
                        out.writeUTF(entry.getKey());
                        double[] values = entry.getValue();
                        float[] narrowed = narrowExactly(values);
                        if (narrowed != null) {
                            out.writeByte(4);
                            writeFloats(out, narrowed);
                        }
                        else {
                            out.writeByte(8);
                            out.writeInt(values.length);
                            ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES);
                            buffer.asDoubleBuffer().put(values);
                            out.write(buffer.array());
                        }
                    }
                }
            }
        });
    }

    static StepResult readStepResult(byte[] bytes)
    {
        try (DataInputStream in = open(bytes)) {
            long nanos = in.readLong();
            String nonFinite = in.readBoolean() ? in.readUTF() : null;
            int workers = in.readInt();
            List<List<PairResult>> all = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int pairs = in.readInt();
                List<PairResult> list = new ArrayList<>();
                for (int p = 0; p < pairs; p++) {
                    double loss = in.readDouble();
                    double accuracy = in.readDouble();
                    int parameters = in.readInt();
                    Map<String, double[]> gradient = new LinkedHashMap<>();
                    for (int i = 0; i < parameters; i++) {
                        String name = in.readUTF();
                        byte width = in.readByte();
                        double[] values;
                        if (width == 4) {
                            float[] floats = readFloats(in);
                            values = new double[floats.length];
                            for (int j = 0; j < floats.length; j++) {
                                values[j] = floats[j];
                            }
                        }
                        else {
                            values = new double[in.readInt()];
                            byte[] raw = new byte[values.length * Double.BYTES];
                            in.readFully(raw);
                            ByteBuffer.wrap(raw).asDoubleBuffer().get(values);
                        }
                        gradient.put(name, values);
                    }
                    list.add(new PairResult(loss, accuracy, gradient));
                }
                all.add(list);
            }
            return new StepResult(nanos, all, nonFinite);
        }
        catch (IOException e) {
            throw new UncheckedIOException("A worker's reply to a meta-step is malformed: " + e.getMessage(), e);
        }
    }

    /** A reply that is a status and, when refused, the reason. */
    static byte[] status(String refusal)
    {
        return write(out -> {
            out.writeBoolean(refusal == null);
            if (refusal != null) {
                out.writeUTF(refusal);
            }
        });
    }

    /** The refusal of a {@link #status} reply, or null when it accepted. */
    static String readStatus(byte[] bytes)
    {
        try (DataInputStream in = open(bytes)) {
            return in.readBoolean() ? null : in.readUTF();
        }
        catch (IOException e) {
            throw new UncheckedIOException("A worker's reply to a session is malformed: " + e.getMessage(), e);
        }
    }

    /**
     * A stream over a message, after its version.
     *
     * @throws IOException if the message is of another version of this layout
     */
    static DataInputStream open(byte[] bytes)
            throws IOException
    {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("the message is of wire version " + version + ", this JVM speaks version " + VERSION);
        }
        return in;
    }

    private static float[] narrowExactly(double[] values)
    {
        float[] narrowed = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            narrowed[i] = (float) values[i];
            // NaN never reaches here: a non-finite loss fails the pair on the member
            if (narrowed[i] != values[i]) {
                return null;
            }
        }
        return narrowed;
    }

    private static void writeFloats(DataOutputStream out, float[] values)
            throws IOException
    {
        out.writeInt(values.length);
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
    }

    private static float[] readFloats(DataInputStream in)
            throws IOException
    {
        float[] values = new float[in.readInt()];
        byte[] raw = new byte[values.length * Float.BYTES];
        in.readFully(raw);
        ByteBuffer.wrap(raw).asFloatBuffer().get(values);
        return values;
    }

    private static void writeStrings(DataOutputStream out, List<String> values)
            throws IOException
    {
        out.writeInt(values.size());
        for (String value : values) {
            out.writeUTF(value);
        }
    }

    private static List<String> readStrings(DataInputStream in)
            throws IOException
    {
        int count = in.readInt();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(in.readUTF());
        }
        return values;
    }

    private interface Body
    {
        void write(DataOutputStream out)
                throws IOException;
    }

    private static byte[] write(Body body)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            body.write(out);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
