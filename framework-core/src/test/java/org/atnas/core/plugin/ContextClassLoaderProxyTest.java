package org.atnas.core.plugin;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Set;

import org.atnas.api.BackendCapability;
import org.atnas.api.BackendWorker;
import org.atnas.api.Gradient;
import org.atnas.api.InnerLoop;
import org.atnas.api.MetaGradient;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.Task;
import org.atnas.api.ImageBatch;
import org.atnas.api.Loss;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Subnet;
import org.atnas.api.Supernet;
import org.atnas.api.SupernetState;
import org.atnas.api.WeightBackend;
import org.atnas.api.Weights;
import org.atnas.api.network.NetworkDescription;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextClassLoaderProxyTest
{
    private static final ClassLoader PLUGIN = new URLClassLoader("plugin-fake", new URL[0], null);

    /** A backend-shaped object that records the context class loader and checks it gets its own handles back. */
    private static final class RecordingBackend
            implements WeightBackend, Supernet
    {
        final class OwnWeights
                implements Weights
        {
            @Override
            public void close() {}
        }

        ClassLoader seen;
        Object received;

        @Override
        public String name()
        {
            seen = Thread.currentThread().getContextClassLoader();
            return "fake";
        }

        @Override
        public Set<BackendCapability> capabilities()
        {
            throw new IllegalStateException("no capabilities today");
        }

        @Override
        public Supernet createSupernet(NetworkDescription supernet, MetaUpdate metaUpdate, long seed)
        {
            return this;
        }

        @Override
        public NetworkDescription description()
        {
            return null;
        }

        @Override
        public BackendWorker newWorker()
        {
            return null;
        }

        @Override
        public void applyMetaGradient(List<Gradient> gradients)
        {
            received = gradients;
        }

        @Override
        public SupernetState state()
        {
            return null;
        }

        @Override
        public void restore(SupernetState state)
        {
            received = state;
        }

        @Override
        public void close() {}
    }

    @Test
    void setsTheContextClassLoaderAndRestoresIt()
    {
        RecordingBackend target = new RecordingBackend();
        WeightBackend backend = ContextClassLoaderProxy.wrap(WeightBackend.class, target, PLUGIN);
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        assertThat(backend.name()).isEqualTo("fake");
        assertThat(target.seen).isSameAs(PLUGIN);
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
        assertThatThrownBy(backend::capabilities).isInstanceOf(IllegalStateException.class).hasMessage("no capabilities today");
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    /** A worker that only accepts its own weights back, as a real backend casts them. */
    private static final class OwnWeightsWorker
            implements BackendWorker
    {
        private final Weights own = () -> { };
        ClassLoader lastLoader;

        @Override
        public Subnet compile(NetworkDescription subnet)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public Weights weights(Subnet subnet, boolean differentiable)
        {
            lastLoader = Thread.currentThread().getContextClassLoader();
            return own;
        }

        @Override
        public Loss forward(Subnet subnet, Weights weights, ImageBatch batch)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public Gradient gradient(Loss loss, Weights withRespectTo, boolean createGraph)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public Weights sgdStep(Weights weights, Gradient gradient, double learningRate)
        {
            if (weights != own) {
                throw new IllegalArgumentException("not my weights: " + weights);
            }
            return own;
        }

        @Override
        public Gradient difference(Weights minuend, Weights subtrahend)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }

    @Test
    void wrapsReturnedServicesButNotHandles()
    {
        RecordingBackend target = new RecordingBackend();
        WeightBackend backend = ContextClassLoaderProxy.wrap(WeightBackend.class, target, PLUGIN);
        Supernet supernet = backend.createSupernet(null, MetaUpdate.adam(0.001), 0);
        assertThat(supernet).isNotSameAs(target);
        assertThat(ContextClassLoaderProxy.unwrap(supernet)).isSameAs(target);
        assertThat(ContextClassLoaderProxy.wrap(Supernet.class, supernet, PLUGIN)).isSameAs(supernet);

        OwnWeightsWorker worker = new OwnWeightsWorker();
        BackendWorker wrapped = ContextClassLoaderProxy.wrap(BackendWorker.class, worker, PLUGIN);
        Weights weights = wrapped.weights(null, false);
        assertThat(weights).isSameAs(worker.own);
        assertThat(wrapped.sgdStep(weights, null, 0.1)).isSameAs(worker.own);
    }

    @Test
    void argumentsStayWrappedForAnotherPluginAndAreUnwrappedForTheirOwn()
    {
        ClassLoader optimizerLoader = new URLClassLoader("plugin-optimizer", new URL[0], null);
        OwnWeightsWorker worker = new OwnWeightsWorker();
        BackendWorker wrappedWorker = ContextClassLoaderProxy.wrap(BackendWorker.class, worker, PLUGIN);
        ClassLoader[] seenByBackend = new ClassLoader[1];
        Object[] received = new Object[1];
        MetaOptimizer optimizer = new MetaOptimizer()
        {
            @Override
            public String name()
            {
                return "recording";
            }

            @Override
            public Set<BackendCapability> requiredCapabilities()
            {
                return Set.of();
            }

            @Override
            public MetaGradient metaGradient(BackendWorker given, Subnet subnet, Task task, InnerLoop innerLoop)
            {
                received[0] = given;
                assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(optimizerLoader);
                Weights weights = given.weights(subnet, false);
                seenByBackend[0] = worker.lastLoader;
                given.sgdStep(weights, null, 0.1);
                return null;
            }
        };
        MetaOptimizer wrappedOptimizer = ContextClassLoaderProxy.wrap(MetaOptimizer.class, optimizer, optimizerLoader);
        wrappedOptimizer.metaGradient(wrappedWorker, null, null, new InnerLoop(1, 0.1));
        assertThat(received[0]).isSameAs(wrappedWorker);
        assertThat(seenByBackend[0]).isSameAs(PLUGIN);

        RecordingBackend target = new RecordingBackend();
        Supernet supernet = ContextClassLoaderProxy.wrap(Supernet.class, target, PLUGIN);
        SupernetState state = new SupernetState(java.util.Map.of(), java.util.Map.of(), java.util.Map.of(), java.util.Map.of());
        supernet.restore(state);
        assertThat(target.received).isSameAs(state);
        assertThat(supernet.equals(ContextClassLoaderProxy.wrap(Supernet.class, target, PLUGIN))).isTrue();
    }
}
