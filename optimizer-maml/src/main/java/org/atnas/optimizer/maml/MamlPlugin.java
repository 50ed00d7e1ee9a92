package org.atnas.optimizer.maml;

import java.util.List;

import org.atnas.api.MetaOptimizer;
import org.atnas.api.plugin.ApiVersion;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Plugin;
import org.atnas.api.plugin.Setting;

/** Offers the {@code maml} meta-optimizer. */
public final class MamlPlugin
        implements Plugin
{
    static final Setting<Boolean> SECOND_ORDER = Setting.bool("maml.second-order", false,
            "Differentiate through the inner loop (full MAML; needs a backend with second-order gradients, about 2-3x slower). "
                    + "false is first-order MAML, the paper's choice.");

    @Override
    public String apiVersion()
    {
        return ApiVersion.CURRENT;
    }

    @Override
    public List<ComponentFactory<?>> components()
    {
        return List.of(ComponentFactory.of(MetaOptimizer.class, Maml.NAME,
                "MAML: first order (the paper's choice) or second order where the backend can",
                List.of(SECOND_ORDER),
                context -> new Maml(context.get(SECOND_ORDER))));
    }
}
