package org.atnas.api.plugin;

import java.util.List;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Makes one named component of one service type. The configuration selects a component by name
 * (for example {@code evolver = ga}); the host then calls {@link #create} with the settings this
 * factory declared.
 *
 * @param <T> the service: {@code SearchSpace}, {@code WeightBackend}, {@code MetaOptimizer},
 *     {@code Evolver} or {@code Predictor}
 */
public interface ComponentFactory<T>
{
    /** The service interface this factory makes. */
    Class<T> service();

    /** The name configuration selects it by: lower case, digits and dashes, for example {@code random-forest}. */
    String name();

    /** One line for {@code atnas plugins}. */
    String description();

    /**
     * Every configuration key this component reads, each with type, default and description. Keys
     * start with the component's name and a dot ({@code ga.parent-fraction}). A key set in the
     * configuration that no selected component declares is an error.
     */
    List<Setting<?>> settings();

    /**
     * Creates the component. Called with the thread context class loader set to the plugin's.
     *
     * @param context the values of {@link #settings()}, parsed and checked
     * @throws IllegalArgumentException if the settings cannot work together (the message names the keys)
     */
    T create(ComponentContext context);

    /**
     * A factory from its parts, for plugins that need no class of their own.
     *
     * @param creator makes the component from the settings; see {@link #create}
     */
    static <T> ComponentFactory<T> of(Class<T> service, String name, String description, List<Setting<?>> settings, Function<ComponentContext, T> creator)
    {
        requireNonNull(service, "service is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        List<Setting<?>> declared = List.copyOf(requireNonNull(settings, "settings is null"));
        requireNonNull(creator, "creator is null");
        return new ComponentFactory<>()
        {
            @Override
            public Class<T> service()
            {
                return service;
            }

            @Override
            public String name()
            {
                return name;
            }

            @Override
            public String description()
            {
                return description;
            }

            @Override
            public List<Setting<?>> settings()
            {
                return declared;
            }

            @Override
            public T create(ComponentContext context)
            {
                return creator.apply(context);
            }
        };
    }
}
