package org.atnas.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import static java.util.Objects.requireNonNull;

/**
 * The numeric arrays of a MATLAB 5 MAT-file (Level 5, as {@code save} writes by default, with or
 * without compression): what SVHN ships as {@code train_32x32.mat}. Only real numeric arrays are
 * read; cell arrays, structures, sparse and character arrays are skipped. HDF5-based MAT-files
 * ({@code -v7.3}) are refused with a message.
 */
final class MatFile
{
    private static final int HEADER = 128;
    private static final int MI_INT8 = 1;
    private static final int MI_UINT8 = 2;
    private static final int MI_INT16 = 3;
    private static final int MI_UINT16 = 4;
    private static final int MI_INT32 = 5;
    private static final int MI_UINT32 = 6;
    private static final int MI_SINGLE = 7;
    private static final int MI_DOUBLE = 9;
    private static final int MI_INT64 = 12;
    private static final int MI_UINT64 = 13;
    private static final int MI_MATRIX = 14;
    private static final int MI_COMPRESSED = 15;
    /** mxCELL, mxSTRUCT, mxOBJECT, mxCHAR, mxSPARSE: not numeric. */
    private static final Set<Integer> NOT_NUMERIC = Set.of(1, 2, 3, 4, 5);
    private static final int COMPLEX_FLAG = 0x0800;

    private MatFile() {}

    /**
     * A real numeric array, column-major as MATLAB keeps it.
     *
     * @param dimensions its size along each dimension
     * @param type the MAT data type its values are stored as (MATLAB stores doubles of small whole
     *     numbers as bytes, for example)
     * @param data the values' bytes
     */
    record Array(int[] dimensions, int type, ByteBuffer data)
    {
        Array
        {
            requireNonNull(dimensions, "dimensions is null");
            requireNonNull(data, "data is null");
        }

        /** How many values. */
        int size()
        {
            return data.capacity() / width(type);
        }

        /** Value {@code index} in column-major order, as a double. */
        double value(int index)
        {
            return switch (type) {
                case MI_INT8 -> data.get(index);
                case MI_UINT8 -> data.get(index) & 0xFF;
                case MI_INT16 -> data.getShort(2 * index);
                case MI_UINT16 -> data.getShort(2 * index) & 0xFFFF;
                case MI_INT32 -> data.getInt(4 * index);
                case MI_UINT32 -> data.getInt(4 * index) & 0xFFFFFFFFL;
                case MI_SINGLE -> data.getFloat(4 * index);
                case MI_DOUBLE -> data.getDouble(8 * index);
                case MI_INT64, MI_UINT64 -> data.getLong(8 * index);
                default -> throw new IllegalStateException("type " + type);
            };
        }

        /** Whether the values are stored as unsigned bytes: an image's pixels. */
        boolean isBytes()
        {
            return type == MI_UINT8;
        }

        @Override
        public String toString()
        {
            return "array of " + Arrays.toString(dimensions);
        }
    }

    /**
     * The named arrays of the file that are real and numeric.
     *
     * @param names the variables to read; others are skipped without being inflated
     * @throws DataException naming the file if it is not a Level 5 MAT-file or is malformed
     */
    static Map<String, Array> read(Path file, Set<String> names)
    {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read [" + file + "]: " + e.getMessage(), e);
        }
        if (bytes.length < HEADER || !new String(bytes, 0, 6, StandardCharsets.US_ASCII).equals("MATLAB")) {
            throw new DataException("[" + file + "] is not a MATLAB MAT-file (no MATLAB header)");
        }
        ByteOrder order;
        if (bytes[126] == 'I' && bytes[127] == 'M') {
            order = ByteOrder.LITTLE_ENDIAN;
        }
        else if (bytes[126] == 'M' && bytes[127] == 'I') {
            order = ByteOrder.BIG_ENDIAN;
        }
        else {
            throw new DataException("[" + file + "] is not a Level 5 MAT-file (its header has no endian indicator); save it with MATLAB's -v7 or -v6, not -v7.3 (HDF5)");
        }
        Map<String, Array> arrays = new LinkedHashMap<>();
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(order);
        buffer.position(HEADER);
        try {
            while (buffer.remaining() >= 8) {
                int type = buffer.getInt();
                int size = buffer.getInt();
                if (size < 0 || size > buffer.remaining()) {
                    throw new DataException("[" + file + "] declares a " + size + "-byte element at byte " + (buffer.position() - 8) + " with " + buffer.remaining() + " bytes left");
                }
                ByteBuffer element = buffer.slice(buffer.position(), size).order(order);
                buffer.position(buffer.position() + (type == MI_COMPRESSED ? size : padded(size)));
                if (type == MI_COMPRESSED) {
                    element = inflate(file, element, order);
                    type = element.getInt();
                    size = element.getInt();
                    element = element.slice(element.position(), Math.min(size, element.remaining())).order(order);
                }
                if (type == MI_MATRIX) {
                    matrix(file, element, names).ifPresent(named -> arrays.put(named.getKey(), named.getValue()));
                }
            }
        }
        catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new DataException("[" + file + "] ends inside a data element: the file is truncated or not a MAT-file", e);
        }
        return arrays;
    }

    private static java.util.Optional<Map.Entry<String, Array>> matrix(Path file, ByteBuffer matrix, Set<String> names)
    {
        ByteBuffer flags = subelement(matrix);
        int flagWord = flags.getInt(0);
        int arrayClass = flagWord & 0xFF;
        int[] dimensions;
        ByteBuffer dims = subelement(matrix);
        dimensions = new int[dims.capacity() / 4];
        for (int i = 0; i < dimensions.length; i++) {
            dimensions[i] = dims.getInt(4 * i);
        }
        ByteBuffer nameBytes = subelement(matrix);
        byte[] name = new byte[nameBytes.capacity()];
        nameBytes.get(0, name);
        String variable = new String(name, StandardCharsets.US_ASCII);
        if (!names.contains(variable) || NOT_NUMERIC.contains(arrayClass) || (flagWord & COMPLEX_FLAG) != 0) {
            return java.util.Optional.empty();
        }
        int type = matrix.getInt(matrix.position()) & 0xFFFF;
        ByteBuffer real = subelement(matrix);
        long expected = 1;
        for (int dimension : dimensions) {
            expected *= dimension;
        }
        if (width(type) == 0) {
            throw new DataException("[" + file + "] variable " + variable + " has values of MAT data type " + type + ", which is not numeric");
        }
        if (real.capacity() / width(type) != expected) {
            throw new DataException("[" + file + "] variable " + variable + " is " + Arrays.toString(dimensions) + " (" + expected + " values) but holds " + real.capacity() / width(type));
        }
        return java.util.Optional.of(Map.entry(variable, new Array(dimensions, type, real)));
    }

    /** The next sub-element's data (small or normal format), and moves past it. */
    private static ByteBuffer subelement(ByteBuffer matrix)
    {
        int tag = matrix.getInt();
        if ((tag >>> 16) != 0) {
            // small data element: type and size share the first word, the data the second
            int size = tag >>> 16;
            ByteBuffer data = matrix.slice(matrix.position(), size).order(matrix.order());
            matrix.position(matrix.position() + 4);
            return data;
        }
        int size = matrix.getInt();
        ByteBuffer data = matrix.slice(matrix.position(), size).order(matrix.order());
        matrix.position(Math.min(matrix.limit(), matrix.position() + padded(size)));
        return data;
    }

    private static ByteBuffer inflate(Path file, ByteBuffer compressed, ByteOrder order)
    {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.remaining() * 4);
            byte[] chunk = new byte[1 << 16];
            while (!inflater.finished()) {
                int count = inflater.inflate(chunk);
                if (count == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataException("[" + file + "] has a compressed element that ends early");
                }
                out.write(chunk, 0, count);
            }
            return ByteBuffer.wrap(out.toByteArray()).order(order);
        }
        catch (DataFormatException e) {
            throw new DataException("[" + file + "] has a compressed element that is not zlib data: " + e.getMessage(), e);
        }
        finally {
            inflater.end();
        }
    }

    private static int padded(int size)
    {
        return (size + 7) & ~7;
    }

    private static int width(int type)
    {
        return switch (type) {
            case MI_INT8, MI_UINT8 -> 1;
            case MI_INT16, MI_UINT16 -> 2;
            case MI_INT32, MI_UINT32, MI_SINGLE -> 4;
            case MI_DOUBLE, MI_INT64, MI_UINT64 -> 8;
            default -> 0;
        };
    }
}
