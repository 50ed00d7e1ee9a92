package org.atnas.optimizer.reptile;

import java.util.List;

import org.atnas.api.MetaOptimizer;
import org.atnas.api.plugin.ApiVersion;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Plugin;

/** Offers the {@code reptile} meta-optimizer. */
public final class ReptilePlugin
        implements Plugin
{
    @Override
    public String apiVersion()
    {
        return ApiVersion.CURRENT;
    }

    @Override
    public List<ComponentFactory<?>> components()
    {
        return List.of(ComponentFactory.of(MetaOptimizer.class, Reptile.NAME,
                "Reptile: meta-gradient W minus the adapted weights",
                List.of(),
                context -> new Reptile()));
    }
}
