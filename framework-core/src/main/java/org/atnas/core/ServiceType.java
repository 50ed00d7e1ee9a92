package org.atnas.core;

import java.util.Arrays;
import java.util.Optional;

import org.atnas.api.Evolver;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.Predictor;
import org.atnas.api.SearchSpace;
import org.atnas.api.WeightBackend;
import org.atnas.api.cluster.ClusterService;

/** The services of the API, each selected by one configuration key. */
public enum ServiceType
{
    SEARCH_SPACE(SearchSpace.class, "search-space", "search space", "darts"),
    BACKEND(WeightBackend.class, "backend", "weight backend", "djl"),
    META_OPTIMIZER(MetaOptimizer.class, "meta-optimizer", "meta-optimizer", "maml"),
    EVOLVER(Evolver.class, "evolver", "evolver", "ga"),
    PREDICTOR(Predictor.class, "predictor", "predictor", ServiceType.NONE),
    CLUSTER(ClusterService.class, "cluster", "cluster service", ServiceType.NONE);

    /** The predictor name that means "no predictor": the paper's plain algorithm. */
    public static final String NONE = "none";

    private final Class<?> type;
    private final String key;
    private final String label;
    private final String defaultName;

    ServiceType(Class<?> type, String key, String label, String defaultName)
    {
        this.type = type;
        this.key = key;
        this.label = label;
        this.defaultName = defaultName;
    }

    /** The service interface. */
    public Class<?> type()
    {
        return type;
    }

    /** The configuration key that selects the component, for example {@code evolver}. */
    public String key()
    {
        return key;
    }

    /** How messages name the service, for example {@code weight backend}. */
    public String label()
    {
        return label;
    }

    /** The label with a capital letter, to start a message. */
    public String title()
    {
        return Character.toUpperCase(label.charAt(0)) + label.substring(1);
    }

    public String defaultName()
    {
        return defaultName;
    }

    /** Whether {@link #NONE} is a valid selection (no component at all). */
    public boolean isOptional()
    {
        return this == PREDICTOR || this == CLUSTER;
    }

    public static Optional<ServiceType> ofType(Class<?> type)
    {
        return Arrays.stream(values()).filter(service -> service.type.equals(type)).findFirst();
    }
}
