package org.atnas.api;

import java.util.Map;

/**
 * A gradient (or any update direction) over the parameters of one subnet, held by the backend.
 * Parameters the subnet does not use have no entry.
 */
public interface Gradient
        extends BackendHandle
{
    /**
     * A copy of the values by parameter name, in double precision, shaped as the parameters'
     * specs flattened in row-major order. For tests, conformance checks and tools: it copies out of
     * the backend, so the inner loop never needs it.
     *
     * @throws IllegalStateException if the gradient was closed
     */
    Map<String, double[]> values();
}
