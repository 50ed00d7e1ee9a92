package org.atnas.api.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
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
    private static final int MAX_HEADER = 100 << 20;

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
                size *= dimension;
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
     * Reads a file written in this format (F32 tensors only).
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static Content read(Path file)
            throws IOException
    {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] lengthBytes = in.readNBytes(8);
            if (lengthBytes.length < 8) {
                throw new IOException("[" + file + "] is not a safetensors file: shorter than its 8-byte header length");
            }
            long headerLength = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength <= 1 || headerLength > MAX_HEADER) {
                throw new IOException("[" + file + "] is not a safetensors file: header length " + headerLength);
            }
            byte[] headerBytes = in.readNBytes((int) headerLength);
            if (headerBytes.length < headerLength) {
                throw new IOException("[" + file + "] is truncated: its header needs " + headerLength + " bytes");
            }
            Object parsed = new Json(new String(headerBytes, StandardCharsets.UTF_8).strip(), file).parse();
            if (!(parsed instanceof Map<?, ?> header)) {
                throw new IOException("[" + file + "]: the header is not a JSON object");
            }
            byte[] data = in.readAllBytes();
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : header.entrySet()) {
                String name = (String) entry.getKey();
                if (name.equals("__metadata__")) {
                    ((Map<?, ?>) entry.getValue()).forEach((key, value) -> metadata.put((String) key, String.valueOf(value)));
                    continue;
                }
                Map<?, ?> description = (Map<?, ?>) entry.getValue();
                if (!"F32".equals(description.get("dtype"))) {
                    throw new IOException("[" + file + "]: tensor " + name + " has dtype " + description.get("dtype") + "; only F32 is read");
                }
                List<?> shapeList = (List<?>) description.get("shape");
                List<?> offsets = (List<?>) description.get("data_offsets");
                int[] shape = shapeList.stream().mapToInt(value -> ((Number) value).intValue()).toArray();
                long begin = ((Number) offsets.get(0)).longValue();
                long end = ((Number) offsets.get(1)).longValue();
                if (begin < 0 || end > data.length || end < begin || (end - begin) % 4 != 0) {
                    throw new IOException("[" + file + "]: tensor " + name + " has data offsets [" + begin + ", " + end + "] outside the " + data.length + " data bytes");
                }
                float[] values = new float[(int) ((end - begin) / 4)];
                ByteBuffer.wrap(data, (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
                try {
                    tensors.put(name, new Tensor(shape, values));
                }
                catch (IllegalArgumentException e) {
                    throw new IOException("[" + file + "]: tensor " + name + ": " + e.getMessage(), e);
                }
            }
            return new Content(new TreeMap<>(tensors), metadata);
        }
        catch (ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
            throw new IOException("[" + file + "]: malformed safetensors header: " + e, e);
        }
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

    /** A minimal JSON reader for the header: objects, arrays, strings, numbers, booleans and null. */
    private static final class Json
    {
        private final String text;
        private final Path file;
        private int position;

        Json(String text, Path file)
        {
            this.text = text;
            this.file = file;
        }

        Object parse()
                throws IOException
        {
            Object value = value();
            skipSpace();
            if (position != text.length()) {
                throw error("unexpected text after the header object");
            }
            return value;
        }

        private Object value()
                throws IOException
        {
            skipSpace();
            if (position >= text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(position);
            if (c == '{') {
                position++;
                Map<String, Object> object = new LinkedHashMap<>();
                skipSpace();
                if (peek('}')) {
                    position++;
                    return object;
                }
                while (true) {
                    skipSpace();
                    String key = string();
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
            if (c == '[') {
                position++;
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
            if (c == '"') {
                return string();
            }
            int start = position;
            while (position < text.length() && "+-0123456789.eEtrufalsn".indexOf(text.charAt(position)) >= 0) {
                position++;
            }
            String token = text.substring(start, position);
            return switch (token) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "null" -> null;
                default -> {
                    try {
                        yield token.contains(".") || token.contains("e") || token.contains("E") ? (Number) Double.parseDouble(token) : (Number) Long.parseLong(token);
                    }
                    catch (NumberFormatException e) {
                        throw error("bad value [" + token + "]");
                    }
                }
            };
        }

        private String string()
                throws IOException
        {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (position < text.length()) {
                char c = text.charAt(position++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    char escaped = text.charAt(position++);
                    switch (escaped) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                            position += 4;
                        }
                        default -> out.append(escaped);
                    }
                }
                else {
                    out.append(c);
                }
            }
            throw error("unterminated string");
        }

        private boolean peek(char c)
        {
            return position < text.length() && text.charAt(position) == c;
        }

        private void expect(char c)
                throws IOException
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

        private IOException error(String problem)
        {
            return new IOException("[" + file + "]: malformed safetensors header at character " + position + ": " + problem);
        }
    }
}
