package org.atnas.searchspace.darts;

import org.atnas.api.SearchSpace;
import org.atnas.conformance.Components;
import org.atnas.conformance.SearchSpaceConformance;

/** The {@code darts} space, as its plugin makes it, against the search space kit. */
class DartsConformanceTest
        extends SearchSpaceConformance
{
    @Override
    protected SearchSpace createSearchSpace()
    {
        return Components.create(new DartsPlugin(), SearchSpace.class, DartsSearchSpace.NAME);
    }
}
