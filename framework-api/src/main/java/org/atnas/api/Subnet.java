package org.atnas.api;

import org.atnas.api.network.NetworkDescription;

/**
 * A subnet compiled by a backend worker: a network description ready to run on the supernet's
 * weights. Compiling may be expensive; a worker may cache compiled subnets per description.
 */
public interface Subnet
        extends BackendHandle
{
    NetworkDescription description();
}
