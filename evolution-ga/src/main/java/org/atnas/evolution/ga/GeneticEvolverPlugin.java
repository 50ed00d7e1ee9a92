package org.atnas.evolution.ga;

import java.util.List;

import org.atnas.api.Evolver;
import org.atnas.api.plugin.ApiVersion;
import org.atnas.api.plugin.ComponentContext;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Plugin;
import org.atnas.api.plugin.Setting;

/** Offers the {@code ga} evolver. */
public final class GeneticEvolverPlugin
        implements Plugin
{
    static final Setting<Double> PARENT_FRACTION = Setting.decimal("ga.parent-fraction", 0.25, 0.01, 1.0,
            "t: the fraction of the population kept as parents each generation (the paper: 1/4).");
    static final Setting<Double> CROSSOVER_PROBABILITY = Setting.decimal("ga.crossover-probability", 0.5, 0.0, 1.0,
            "p_c: per gene (intermediate node), the chance a crossover child takes it from the other parent.");
    static final Setting<Double> MUTATION_PROBABILITY = Setting.decimal("ga.mutation-probability", 0.5, 0.0, 1.0,
            "p_m: per gene (intermediate node), the chance a mutant re-draws its edges and ops.");

    @Override
    public String apiVersion()
    {
        return ApiVersion.CURRENT;
    }

    @Override
    public List<ComponentFactory<?>> components()
    {
        return List.of(ComponentFactory.of(Evolver.class, GeneticEvolver.NAME,
                "AT-NAS evolutionary search (Algorithm 2) with population halving (Algorithm 3)",
                List.of(PARENT_FRACTION, CROSSOVER_PROBABILITY, MUTATION_PROBABILITY),
                this::create));
    }

    private Evolver create(ComponentContext context)
    {
        return new GeneticEvolver(context.get(PARENT_FRACTION), context.get(CROSSOVER_PROBABILITY), context.get(MUTATION_PROBABILITY));
    }
}
