#set($api = {"evolver": "Evolver", "search-space": "SearchSpace", "backend": "WeightBackend", "meta-optimizer": "MetaOptimizer", "predictor": "Predictor"})
#set($service_type = $api.get($service))
#if($service == "backend")#set($kit = "WeightBackendConformance")#else#set($kit = "${service_type}Conformance")#end
package ${package};

import org.atnas.api.${service_type};
#if($service == "backend")
import org.atnas.backend.conformance.WeightBackendConformance;
#else
import org.atnas.conformance.Components;
import org.atnas.conformance.${service_type}Conformance;
#end

/** The {@code ${componentName}} ${service} against the atnas conformance kit: the contract every ${service_type} must keep. */
class ${className}Test
        extends ${kit}
{
#if($service == "backend")
    @Override
    protected WeightBackend createBackend(boolean float64)
    {
        return new ${className}(float64);
    }
#else
    @Override
    protected ${service_type} create${service_type}()
    {
        // made as the host makes it: through the plugin's factory, with the settings' defaults
        return Components.create(new ${className}Plugin(), ${service_type}.class, ${className}.NAME);
    }
#end
}
