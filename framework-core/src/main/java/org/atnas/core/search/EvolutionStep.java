package org.atnas.core.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.Evolver;
import org.atnas.api.Population;

import static java.util.Objects.requireNonNull;

/**
 * The meta architecture optimisation of Algorithm 1: the initial population, and after each
 * evaluation the evolver's next generation (Algorithm 2). The baselines keep their population:
 * random never evolves, fixed has one architecture.
 */
@Singleton
final class EvolutionStep
{
    private final SearchPlan plan;
    private final Evolver evolver;
    private final ConstrainedSpace space;

    @Inject
    EvolutionStep(SearchPlan plan, Evolver evolver, ConstrainedSpace space)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.evolver = requireNonNull(evolver, "evolver is null");
        this.space = requireNonNull(space, "space is null");
    }

    /** K distinct codes sampled from the (constrained) space, or the fixed baseline's one code. */
    Population initial()
    {
        if (plan.method() == SearchMethod.FIXED) {
            return Population.ofCodes(List.of(plan.fixedCode().orElseThrow()));
        }
        SplittableRandom random = new SplittableRandom(Seeds.derive(plan.seed(), Seeds.POPULATION, 0));
        int size = plan.population().size();
        List<ArchitectureCode> codes = new ArrayList<>();
        Set<ArchitectureCode> distinct = new HashSet<>();
        // tiny spaces may hold fewer codes than K: then repeats are allowed
        for (int attempt = 0; codes.size() < size; attempt++) {
            ArchitectureCode code = space.sample(random);
            if (distinct.add(code) || attempt > 100 * size) {
                codes.add(code);
            }
        }
        return Population.ofCodes(codes);
    }

    /** The population that follows the evaluated generation {@code generation}. */
    Population next(Population evaluated, int generation)
    {
        if (plan.method() != SearchMethod.ATNAS) {
            return evaluated;
        }
        return evolver.evolve(evaluated, space, new SplittableRandom(Seeds.derive(plan.seed(), Seeds.EVOLUTION, generation)));
    }
}
