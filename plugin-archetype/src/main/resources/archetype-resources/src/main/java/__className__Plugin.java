#set($api = {"evolver": "Evolver", "search-space": "SearchSpace", "backend": "WeightBackend", "meta-optimizer": "MetaOptimizer", "predictor": "Predictor"})
#set($service_type = $api.get($service))
package ${package};

import java.util.List;

import org.atnas.api.${service_type};
import org.atnas.api.plugin.ApiVersion;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Plugin;
import org.atnas.api.plugin.Setting;

/**
 * Offers the {@code ${componentName}} ${service}, selected with {@code ${service} = ${componentName}}. Listed in
 * {@code META-INF/services/org.atnas.api.plugin.Plugin}, so the host finds it with {@link java.util.ServiceLoader}.
 */
public final class ${className}Plugin
        implements Plugin
{
#if($service == "evolver")
    static final Setting<Double> MUTATION_PROBABILITY = Setting.decimal("${componentName}.mutation-probability", 0.5, 0, 1,
            "Per gene, the chance that a mutant draws it anew.");
#elseif($service == "search-space")
    static final Setting<Integer> NODES = Setting.integer("${componentName}.nodes", 3, 1, 16,
            "Nodes of the chain; each reads the one before through one op.");
    static final Setting<Integer> CHANNELS = Setting.integer("${componentName}.channels", 16, 1, 1024,
            "Channels of every node.");
#elseif($service == "backend")
    static final Setting<Boolean> FLOAT64 = Setting.bool("${componentName}.float64", false,
            "Compute in double precision.");
#elseif($service == "meta-optimizer")
#elseif($service == "predictor")
#end

    @Override
    public String apiVersion()
    {
        // a constant, compiled into this class: the host checks it against its own API version
        return ApiVersion.CURRENT;
    }

    @Override
    public List<ComponentFactory<?>> components()
    {
#if($service == "evolver")
        return List.of(ComponentFactory.of(Evolver.class, ${className}.NAME, "keeps the best quarter, fills with their mutants",
                List.of(MUTATION_PROBABILITY), context -> new ${className}(context.get(MUTATION_PROBABILITY))));
#elseif($service == "search-space")
        return List.of(ComponentFactory.of(SearchSpace.class, ${className}.NAME, "a chain of nodes, each one op of four",
                List.of(NODES, CHANNELS), context -> new ${className}(context.get(NODES), context.get(CHANNELS))));
#elseif($service == "backend")
        return List.of(ComponentFactory.of(WeightBackend.class, ${className}.NAME, "a weight backend (to be written)",
                List.of(FLOAT64), context -> new ${className}(context.get(FLOAT64))));
#elseif($service == "meta-optimizer")
        return List.of(ComponentFactory.of(MetaOptimizer.class, ${className}.NAME, "first-order MAML",
                List.of(), context -> new ${className}()));
#elseif($service == "predictor")
        return List.of(ComponentFactory.of(Predictor.class, ${className}.NAME, "an additive model: the mean effect of each value at each position",
                List.of(), context -> new ${className}()));
#end
    }
}
