package org.atnas.searchspace.nasbench201;

import org.atnas.api.SearchSpace;
import org.atnas.conformance.Components;
import org.atnas.conformance.SearchSpaceConformance;

/** The {@code nasbench201} space, as its plugin makes it, against the search space kit. */
class NasBench201ConformanceTest
        extends SearchSpaceConformance
{
    @Override
    protected SearchSpace createSearchSpace()
    {
        return Components.create(new NasBench201Plugin(), SearchSpace.class, NasBench201SearchSpace.NAME);
    }
}
