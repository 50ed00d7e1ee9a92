package org.atnas.backend.nd4j;

import org.atnas.api.WeightBackend;
import org.atnas.backend.conformance.WeightBackendConformance;
import org.nd4j.linalg.api.buffer.DataType;

/** The conformance kit on ND4J with SameDiff graphs ({@code nd4j.executor = samediff}). */
class Nd4jSameDiffBackendTest
        extends WeightBackendConformance
{
    @Override
    protected WeightBackend createBackend(boolean float64)
    {
        return new Nd4jBackend(1, 1536, 1024, float64 ? DataType.DOUBLE : DataType.FLOAT, false, Executor.Kind.SAMEDIFF);
    }
}
