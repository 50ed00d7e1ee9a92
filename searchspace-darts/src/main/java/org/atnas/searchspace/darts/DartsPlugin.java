package org.atnas.searchspace.darts;

import java.util.List;

import org.atnas.api.SearchSpace;
import org.atnas.api.plugin.ApiVersion;
import org.atnas.api.plugin.ComponentContext;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Plugin;
import org.atnas.api.plugin.Setting;

/** Offers the {@code darts} search space. */
public final class DartsPlugin
        implements Plugin
{
    static final Setting<Integer> CELLS = Setting.integer("darts.cells", 2, 1, 64,
            "Number of cells, each searched on its own; reduction cells at 1/3 and 2/3 of the depth (with 2 cells: the second). The paper's small network has 2, the large one 8.");
    static final Setting<Integer> CHANNELS = Setting.integer("darts.channels", 16, 2, 1024,
            "Initial channels C of the cells (even); doubled at each reduction cell.");
    static final Setting<Integer> STEM_MULTIPLIER = Setting.integer("darts.stem-multiplier", 3, 1, 16,
            "The stem convolution writes stem-multiplier x channels channels.");

    @Override
    public String apiVersion()
    {
        return ApiVersion.CURRENT;
    }

    @Override
    public List<ComponentFactory<?>> components()
    {
        return List.of(ComponentFactory.of(SearchSpace.class, DartsSearchSpace.NAME,
                "DARTS cells (8 ops, 14 edges per cell, 2 inputs per node), each cell searched on its own",
                List.of(CELLS, CHANNELS, STEM_MULTIPLIER),
                this::create));
    }

    private SearchSpace create(ComponentContext context)
    {
        int channels = context.get(CHANNELS);
        if (channels % 2 != 0) {
            // factorized reduce splits the channels in two halves
            throw new IllegalArgumentException("Invalid value [" + channels + "] for key [" + CHANNELS.key() + "]: expected an even number");
        }
        return new DartsSearchSpace(context.get(CELLS), channels, context.get(STEM_MULTIPLIER));
    }
}
