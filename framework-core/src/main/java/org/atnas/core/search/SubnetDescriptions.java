package org.atnas.core.search;

import java.util.Map;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.SearchSpace;
import org.atnas.api.network.NetworkDescription;

import static java.util.Objects.requireNonNull;

/**
 * The network descriptions of subnets (W ⊙ A) for the search's input and classes, kept for the
 * architectures in use: a meta-step asks for each of its architectures once per task.
 */
@Singleton
final class SubnetDescriptions
{
    private static final int CAPACITY = 4096;

    private final SearchSpace space;
    private final SearchData data;
    private final Map<ArchitectureCode, NetworkDescription> descriptions = new LruMap<>(CAPACITY);

    @Inject
    SubnetDescriptions(SearchSpace space, SearchData data)
    {
        this.space = requireNonNull(space, "space is null");
        this.data = requireNonNull(data, "data is null");
    }

    synchronized NetworkDescription of(ArchitectureCode code)
    {
        return descriptions.computeIfAbsent(code, key -> space.describe(key, data.input(), data.classes()));
    }

    /** The supernet: every candidate op on every edge. */
    NetworkDescription supernet()
    {
        return space.describeSupernet(data.input(), data.classes());
    }
}
