package org.atnas.backend.nd4j;

import java.util.Arrays;
import java.util.Collection;

import org.atnas.api.network.ParameterSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Array helpers that free native memory now rather than when the garbage collector finds it, and parameter shapes as ND4J takes them. */
final class Nd4jArrays
{
    private Nd4jArrays() {}

    /** Closes the array if ND4J lets it be closed (not a view, not in a workspace, not closed yet). */
    static void close(INDArray array)
    {
        if (array != null && array.closeable()) {
            array.close();
        }
    }

    static void close(Collection<INDArray> arrays)
    {
        arrays.forEach(Nd4jArrays::close);
    }

    /** The array in {@code type}: itself if it has that type, else a copy, the original freed. */
    static INDArray castTo(INDArray array, DataType type)
    {
        INDArray cast = array.castTo(type);
        if (cast != array) {
            close(array);
        }
        return cast;
    }

    /** A parameter's shape as ND4J takes it. */
    static long[] shape(ParameterSpec parameter)
    {
        return Arrays.stream(parameter.shape()).asLongStream().toArray();
    }
}
