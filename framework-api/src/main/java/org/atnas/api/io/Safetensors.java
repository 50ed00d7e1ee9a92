package org.atnas.api.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The safetensors format, for float32 tensors: an 8-byte little-endian header length, a JSON
 * header mapping each name to {@code {"dtype":"F32","shape":[...],"data_offsets":[begin,end]}} (and
 * an optional {@code "__metadata__"} object of strings), then the raw little-endian data. Shapes
 * follow PyTorch (OIHW for convolutions), so files open in PyTorch as they are. The format every
 * backend reads and writes weights in; writes are atomic.
 */
public final class Safetensors
{
    /** The reference loader's bound: a header is read whole before anything is checked. */
    private static final long MAX_HEADER = 100_000_000;
    /** The largest array the JVM allocates: the data is read into one. */
    private static final long MAX_DATA = Integer.MAX_VALUE - 8;
    /** As deep as serde_json, the reference loader's parser, goes; a valid header needs 3. */
    private static final int MAX_DEPTH = 128;
    private static final int F32_BYTES = 4;
    private static final int MAX_SHOWN = 200;
    private static final String METADATA = "__metadata__";

    /**
     * A tensor.
     *
     * @param shape dimensions
     * @param values row-major values, as many as the shape holds
     */
    public record Tensor(int[] shape, float[] values)
    {
        public Tensor
        {
            requireNonNull(shape, "shape is null");
            requireNonNull(values, "values is null");
            long size = 1;
            for (int dimension : shape) {
                if (dimension < 0) {
                    throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " has a negative dimension");
                }
                // a product past a long would wrap around and could match by accident
                size = Math.multiplyExact(size, dimension);
            }
            if (size != values.length) {
                throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " holds " + size + " values, got " + values.length);
            }
        }
    }

    /**
     * A file's tensors and metadata.
     *
     * @param tensors by name, in name order
     * @param metadata the {@code __metadata__} strings
     */
    public record Content(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    private Safetensors() {}

    /** Writes tensors (in name order) and metadata to {@code file} atomically. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException
    {
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        StringBuilder header = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            header.append("\"__metadata__\":{");
            boolean first = true;
            for (Map.Entry<String, String> entry : new TreeMap<>(metadata).entrySet()) {
                header.append(first ? "" : ",").append(quote(entry.getKey())).append(':').append(quote(entry.getValue()));
                first = false;
            }
            header.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> entry : sorted.entrySet()) {
            long end = offset + 4L * entry.getValue().values().length;
            header.append(header.length() > 1 ? "," : "").append(quote(entry.getKey())).append(":{\"dtype\":\"F32\",\"shape\":")
                    .append(Arrays.toString(entry.getValue().shape()).replace(" ", "")).append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        header.append('}');
        // the spec lets the header be padded with spaces; 8-byte alignment keeps the data aligned
        while (header.length() % 8 != 0) {
            header.append(' ');
        }
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
                out.write(headerBytes);
                for (Tensor tensor : sorted.values()) {
                    ByteBuffer data = ByteBuffer.allocate(4 * tensor.values().length).order(ByteOrder.LITTLE_ENDIAN);
                    data.asFloatBuffer().put(tensor.values());
                    out.write(data.array());
                }
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads a file in this format (F32 tensors only), checked as the reference loader
     * (huggingface/safetensors, {@code Metadata::validate}) checks it: the header length at most
     * 100,000,000 bytes and within the file, a JSON object nested at most 128 levels, every shape of
     * non-negative dimensions whose size in bytes is its data span, and data offsets that, sorted,
     * begin at 0, follow one another without gap or overlap and end at the end of the file. Nothing
     * is allocated from a declared size before the file is known to hold it.
     *
     * @throws SafetensorsException naming the file, the tensor or key, the value found and what was
     *     expected, when the file is not valid safetensors
     * @throws IOException when the file cannot be read
     */
    public static Content read(Path file)
            throws IOException
    {
        long fileSize = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] lengthBytes = in.readNBytes(8);
            if (lengthBytes.length < 8) {
                throw new SafetensorsException("[" + file + "] is not a safetensors file: shorter than its 8-byte header length");
            }
            long headerLength = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength > MAX_HEADER) {
                throw new SafetensorsException("[" + file + "] is not a safetensors file: header length " + headerLength + " is more than the " + MAX_HEADER + " bytes allowed");
            }
            if (headerLength < 2) {
                throw new SafetensorsException("[" + file + "] is not a safetensors file: header length " + headerLength + "; expected at least 2, the length of {}");
            }
            if (headerLength > fileSize - 8) {
                throw new SafetensorsException("[" + file + "] is truncated: its header length is " + headerLength + " bytes, but only " + (fileSize - 8) + " bytes follow the 8-byte length");
            }
            long dataLength = fileSize - 8 - headerLength;
            if (dataLength > MAX_DATA) {
                throw new SafetensorsException("[" + file + "] holds " + dataLength + " bytes of tensor data; this reader holds the data in one array of at most " + MAX_DATA + " bytes");
            }
            byte[] headerBytes = in.readNBytes((int) headerLength);
            Map<String, Object> header = parseHeader(file, headerBytes, headerLength);
            byte[] data = in.readNBytes((int) dataLength);
            if (headerBytes.length < headerLength || data.length < dataLength) {
                throw new SafetensorsException("[" + file + "] is truncated: it ended while being read (was it being written?)");
            }
            return content(file, header, data);
        }
    }

    private static Map<String, Object> parseHeader(Path file, byte[] headerBytes, long headerLength)
            throws SafetensorsException
    {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(headerBytes)).toString();
        }
        catch (CharacterCodingException e) {
            throw new SafetensorsException("[" + file + "]: the " + headerLength + "-byte header is not valid UTF-8", e);
        }
        // the spec pads the header with trailing spaces only; like the reference loader, the object must come first
        text = text.stripTrailing();
        if (!text.startsWith("{")) {
            throw new SafetensorsException("[" + file + "]: the header begins with [" + text.substring(0, Math.min(8, text.length())) + "]; expected a JSON object, beginning with {");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) new Json(text, file).parse();
        return header;
    }

    private record Extent(String name, long begin, long end)
    {
        String offsets()
        {
            return "[" + begin + ", " + end + "]";
        }
    }

    private static Content content(Path file, Map<String, Object> header, byte[] data)
            throws SafetensorsException
    {
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        List<Extent> extents = new ArrayList<>();
        for (Map.Entry<String, Object> entry : header.entrySet()) {
            String name = entry.getKey();
            if (name.equals(METADATA)) {
                readMetadata(file, entry.getValue(), metadata);
                continue;
            }
            if (!(entry.getValue() instanceof Map<?, ?> description)) {
                throw new SafetensorsException("[" + file + "]: tensor [" + name + "] has description " + show(entry.getValue()) + "; expected an object with dtype, shape and data_offsets");
            }
            if (!"F32".equals(description.get("dtype"))) {
                throw new SafetensorsException("[" + file + "]: tensor [" + name + "] has dtype " + show(description.get("dtype")) + "; expected F32, the only dtype this reader reads");
            }
            int[] shape = shape(file, name, description.get("shape"));
            Extent extent = extent(file, name, description.get("data_offsets"));
            long bytes;
            try {
                long elements = 1;
                for (int dimension : shape) {
                    elements = Math.multiplyExact(elements, dimension);
                }
                bytes = Math.multiplyExact(elements, F32_BYTES);
            }
            catch (ArithmeticException e) {
                throw new SafetensorsException("[" + file + "]: tensor [" + name + "] has shape " + Arrays.toString(shape) + ", more bytes of F32 than a long counts", e);
            }
            if (bytes != extent.end() - extent.begin()) {
                throw new SafetensorsException("[" + file + "]: tensor [" + name + "] has shape " + Arrays.toString(shape) + ", " + bytes + " bytes of F32, but data offsets "
                        + extent.offsets() + ", " + (extent.end() - extent.begin()) + " bytes");
            }
            if (extent.end() > data.length) {
                throw new SafetensorsException("[" + file + "]: tensor [" + name + "] has data offsets " + extent.offsets() + ", beyond the " + data.length + " data bytes");
            }
            shapes.put(name, shape);
            extents.add(extent);
        }
        checkContiguous(file, extents, data.length);
        Map<String, Tensor> tensors = new TreeMap<>();
        for (Extent extent : extents) {
            float[] values = new float[(int) ((extent.end() - extent.begin()) / F32_BYTES)];
            ByteBuffer.wrap(data, (int) extent.begin(), (int) (extent.end() - extent.begin())).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            tensors.put(extent.name(), new Tensor(shapes.get(extent.name()), values));
        }
        return new Content(tensors, metadata);
    }

    private static void readMetadata(Path file, Object value, Map<String, String> metadata)
            throws SafetensorsException
    {
        if (!(value instanceof Map<?, ?> entries)) {
            throw new SafetensorsException("[" + file + "]: " + METADATA + " has value " + show(value) + "; expected an object of strings");
        }
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            if (!(entry.getValue() instanceof String text)) {
                throw new SafetensorsException("[" + file + "]: " + METADATA + " key [" + entry.getKey() + "] has value " + show(entry.getValue()) + "; expected a string");
            }
            metadata.put((String) entry.getKey(), text);
        }
    }

    private static int[] shape(Path file, String name, Object value)
            throws SafetensorsException
    {
        if (!(value instanceof List<?> dimensions) || !dimensions.stream().allMatch(Long.class::isInstance)) {
            throw new SafetensorsException("[" + file + "]: tensor [" + name + "] has shape " + show(value) + "; expected an array of integers");
        }
        if (dimensions.stream().anyMatch(dimension -> (Long) dimension < 0)) {
            throw new SafetensorsException("[" + file + "]: tensor [" + name + "] has shape " + show(value) + "; expected dimensions of 0 or more");
        }
        if (dimensions.stream().anyMatch(dimension -> (Long) dimension > Integer.MAX_VALUE)) {
            throw new SafetensorsException("[" + file + "]: tensor [" + name + "] has shape " + show(value) + "; expected dimensions from 0 to " + Integer.MAX_VALUE);
        }
        return dimensions.stream().mapToInt(dimension -> Math.toIntExact((Long) dimension)).toArray();
    }

    private static Extent extent(Path file, String name, Object value)
            throws SafetensorsException
    {
        if (!(value instanceof List<?> offsets) || offsets.size() != 2 || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end) || begin < 0 || end < begin) {
            throw new SafetensorsException("[" + file + "]: tensor [" + name + "] has data_offsets " + show(value) + "; expected [begin, end] with 0 <= begin <= end");
        }
        return new Extent(name, begin, end);
    }

    /** The reference loader's rule: sorted by position, the tensors tile the data, so no byte is shared, skipped or left over. */
    private static void checkContiguous(Path file, List<Extent> extents, long dataLength)
            throws SafetensorsException
    {
        List<Extent> sorted = new ArrayList<>(extents);
        sorted.sort(Comparator.comparingLong(Extent::begin).thenComparingLong(Extent::end));
        Extent previous = null;
        long position = 0;
        for (Extent extent : sorted) {
            if (extent.begin() != position) {
                String problem;
                if (previous == null) {
                    problem = "leaving a gap of " + extent.begin() + " bytes at the start of the data; expected the first tensor to begin at 0";
                }
                else if (extent.begin() > position) {
                    problem = "leaving a gap of " + (extent.begin() - position) + " bytes after tensor [" + previous.name() + "], which ends at " + position
                            + "; expected each tensor to begin where the previous one ends";
                }
                else {
                    problem = "overlapping tensor [" + previous.name() + "], which ends at " + position + "; expected each tensor to begin where the previous one ends";
                }
                throw new SafetensorsException("[" + file + "]: tensor [" + extent.name() + "] has data offsets " + extent.offsets() + ", " + problem);
            }
            position = extent.end();
            previous = extent;
        }
        if (position != dataLength) {
            throw new SafetensorsException("[" + file + "]: the tensors end at byte " + position + " but the data holds " + dataLength + " bytes; expected the data offsets to cover the data exactly");
        }
    }

    /** A header value for a message: arrays as they read, anything else in brackets; cut short, as a header may hold megabytes. */
    private static String show(Object value)
    {
        String text = value instanceof List<?> ? value.toString() : "[" + value + "]";
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }

    private static String quote(String text)
    {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    /**
     * A minimal JSON reader for the header: objects, arrays, strings, numbers, booleans and null.
     * Nesting is bounded because each level is a frame on the stack: an unbounded header would end
     * in a {@link StackOverflowError} instead of a message.
     */
    private static final class Json
    {
        private final String text;
        private final Path file;
        private int position;
        private int depth;

        Json(String text, Path file)
        {
            this.text = text;
            this.file = file;
        }

        Object parse()
                throws SafetensorsException
        {
            Object value = value();
            skipSpace();
            if (position != text.length()) {
                throw error("unexpected text after the header object");
            }
            return value;
        }

        private Object value()
                throws SafetensorsException
        {
            skipSpace();
            if (position >= text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(position);
            if (c == '{' || c == '[') {
                if (depth == MAX_DEPTH) {
                    throw error("nested deeper than " + MAX_DEPTH + " levels");
                }
                depth++;
                position++;
                Object value = c == '{' ? object() : array();
                depth--;
                return value;
            }
            if (c == '"') {
                return string();
            }
            int start = position;
            while (position < text.length() && "+-0123456789.eEtrufalsn".indexOf(text.charAt(position)) >= 0) {
                position++;
            }
            String token = text.substring(start, position);
            if (token.isEmpty()) {
                throw error("unexpected character [" + c + "]");
            }
            return switch (token) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "null" -> null;
                default -> {
                    try {
                        yield token.contains(".") || token.contains("e") || token.contains("E") ? (Number) Double.parseDouble(token) : (Number) Long.parseLong(token);
                    }
                    catch (NumberFormatException e) {
                        throw error(start, "bad value [" + token + "]", e);
                    }
                }
            };
        }

        private Map<String, Object> object()
                throws SafetensorsException
        {
            Map<String, Object> object = new LinkedHashMap<>();
            skipSpace();
            if (peek('}')) {
                position++;
                return object;
            }
            while (true) {
                skipSpace();
                int keyStart = position;
                String key = string();
                if (object.containsKey(key)) {
                    // the reference parser keeps one of the two; either way a tensor would be lost
                    throw error(keyStart, "key [" + key + "] appears twice", null);
                }
                skipSpace();
                expect(':');
                object.put(key, value());
                skipSpace();
                if (peek(',')) {
                    position++;
                    continue;
                }
                expect('}');
                return object;
            }
        }

        private List<Object> array()
                throws SafetensorsException
        {
            List<Object> array = new ArrayList<>();
            skipSpace();
            if (peek(']')) {
                position++;
                return array;
            }
            while (true) {
                array.add(value());
                skipSpace();
                if (peek(',')) {
                    position++;
                    continue;
                }
                expect(']');
                return array;
            }
        }

        private String string()
                throws SafetensorsException
        {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (position < text.length()) {
                char c = text.charAt(position++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error(position - 1, "control character " + (int) c + " in a string", null);
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (position >= text.length()) {
                    break;
                }
                char escaped = text.charAt(position++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        String hex = text.substring(position, Math.min(text.length(), position + 4));
                        if (hex.length() < 4 || !hex.chars().allMatch(digit -> Character.digit(digit, 16) >= 0)) {
                            throw error(position - 2, "bad escape [\\u" + hex + "]; expected 4 hexadecimal digits", null);
                        }
                        out.append((char) Integer.parseInt(hex, 16));
                        position += 4;
                    }
                    default -> throw error(position - 2, "bad escape [\\" + escaped + "]", null);
                }
            }
            throw error("unterminated string");
        }

        private boolean peek(char c)
        {
            return position < text.length() && text.charAt(position) == c;
        }

        private void expect(char c)
                throws SafetensorsException
        {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            position++;
        }

        private void skipSpace()
        {
            while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
        }

        private SafetensorsException error(String problem)
        {
            return error(position, problem, null);
        }

        private SafetensorsException error(int at, String problem, Throwable cause)
        {
            return new SafetensorsException("[" + file + "]: malformed safetensors header at character " + at + ": " + problem, cause);
        }
    }
}
