package org.atnas.api;

/**
 * A gradient (or any update direction) over the parameters of one subnet, held by the backend.
 * Parameters the subnet does not use have no entry.
 */
public interface Gradient
        extends BackendHandle
{
}
