package org.atnas.backend.nd4j;

import java.util.Collection;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Frees arrays' native memory now rather than when the garbage collector finds them. */
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
}
