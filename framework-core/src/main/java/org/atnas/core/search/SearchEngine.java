package org.atnas.core.search;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import org.atnas.core.Injection;

import static java.util.Objects.requireNonNull;

/**
 * The object graph of one search, built by Guice from the selected services and a {@link
 * SearchModule}: the loop and its parts, the supernet and its workers. Closing it closes what it
 * opened (workers, supernet, metrics), whatever parts were used.
 */
public final class SearchEngine
        implements AutoCloseable
{
    private final Injector injector;

    private SearchEngine(Injector injector)
    {
        this.injector = injector;
    }

    /**
     * An engine under the injector that binds the services (the plugins' components).
     *
     * @throws IllegalArgumentException when the services cannot work together (a capability the backend lacks)
     */
    public static SearchEngine start(Injector services, SearchModule search)
    {
        requireNonNull(services, "services is null");
        requireNonNull(search, "search is null");
        return new SearchEngine(Injection.create(() -> services.createChildInjector(search)));
    }

    /**
     * An engine from modules that bind the services themselves, for example a test's toy backend,
     * or {@code Modules.override(services).with(...)} to replace one of them.
     */
    public static SearchEngine start(Module services, SearchModule search)
    {
        requireNonNull(services, "services is null");
        requireNonNull(search, "search is null");
        return new SearchEngine(Injection.create(() -> Guice.createInjector(Stage.DEVELOPMENT, services, search)));
    }

    /** The search loop (Algorithm 1). */
    public MetaSearch search()
    {
        return get(MetaSearch.class);
    }

    /** The meta-step alone, for a benchmark. */
    public MetaStep metaStep()
    {
        return get(MetaStep.class);
    }

    /** The meta-test protocol on the engine's supernet. */
    public MetaTest metaTest()
    {
        return get(MetaTest.class);
    }

    /** A part of the engine. */
    public <T> T get(Class<T> type)
    {
        return Injection.instance(injector, type);
    }

    @Override
    public void close()
    {
        injector.getInstance(Resources.class).close();
    }
}
