package org.atnas.evolution.ga;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.atnas.api.Evolver;
import org.atnas.api.SearchSpace;
import org.atnas.conformance.Components;
import org.atnas.conformance.EvolverConformance;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.atnas.searchspace.nasbench201.NasBench201SearchSpace;

/** The {@code ga} evolver, as its plugin makes it, against the evolver kit, in the kit's spaces and the project's own. */
class GeneticEvolverConformanceTest
        extends EvolverConformance
{
    @Override
    protected Evolver createEvolver()
    {
        return Components.create(new GeneticEvolverPlugin(), Evolver.class, GeneticEvolver.NAME);
    }

    @Override
    protected List<SearchSpace> spaces()
    {
        List<SearchSpace> spaces = new ArrayList<>(super.spaces());
        spaces.add(new DartsSearchSpace(2, 16, 3));
        spaces.add(new NasBench201SearchSpace(5, 16, Optional.empty()));
        return spaces;
    }
}
