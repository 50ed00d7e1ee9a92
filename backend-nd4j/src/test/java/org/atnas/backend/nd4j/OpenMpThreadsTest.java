package org.atnas.backend.nd4j;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.BackendWorker;
import org.atnas.api.ImageBatch;
import org.atnas.api.ImageShape;
import org.atnas.api.Loss;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Subnet;
import org.atnas.api.Supernet;
import org.atnas.api.Weights;
import org.atnas.api.network.NetworkDescription;
import org.atnas.backend.conformance.Networks;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** nd4j.threads reaches the OpenMP team of oneDNN's convolutions, on every thread that runs a pass. */
class OpenMpThreadsTest
{
    private static final ImageShape INPUT = new ImageShape(1, 28, 28);

    @Test
    void aWorkersPassRunsWithTheConfiguredOpenMpThreadsOnItsOwnThread()
            throws Exception
    {
        int openMpDefault = onNewThread(OpenMpThreads::currentThreadCount);
        // the premise: OpenMP's default on this machine (one thread per core) is not what the backend asks for
        assertThat(openMpDefault).isGreaterThan(1);
        DartsSearchSpace space = new DartsSearchSpace(2, 4, 2);
        NetworkDescription subnetDescription = space.describe(ArchitectureCode.parse("4,4,4,4,0,3,4,0,0,3,0,6,0,0,1,1,0,1,3,1,0,3,0,0,1,3,0,0"), INPUT, 5);
        ImageBatch batch = Networks.batch(INPUT, 5, 5, 3);
        Nd4jBackend backend = new Nd4jBackend(1, 1536, 0, DataType.FLOAT);
        try (Supernet supernet = backend.createSupernet(space.describeSupernet(INPUT, 5), MetaUpdate.adam(0.001), 7)) {
            int afterPass = onNewThread(() -> {
                try (BackendWorker worker = supernet.newWorker()) {
                    Subnet subnet = worker.compile(subnetDescription);
                    try (Weights weights = worker.weights(subnet, false); Loss loss = worker.forward(subnet, weights, batch)) {
                        assertThat(loss.value()).isPositive();
                    }
                }
                return OpenMpThreads.currentThreadCount();
            });
            assertThat(afterPass).isEqualTo(1);
            // OpenMP keeps the setting per thread: a thread that ran no pass still has the default
            assertThat(onNewThread(OpenMpThreads::currentThreadCount)).isEqualTo(openMpDefault);
        }
        finally {
            backend.close();
        }
    }

    @Test
    void zeroLeavesOpenMpsDefault()
            throws Exception
    {
        int openMpDefault = onNewThread(OpenMpThreads::currentThreadCount);
        OpenMpThreads threads = new OpenMpThreads(0);
        assertThat(onNewThread(() -> {
            threads.applyToCurrentThread();
            return OpenMpThreads.currentThreadCount();
        })).isEqualTo(openMpDefault);
    }

    @Test
    void aNegativeCountIsRefused()
    {
        assertThatThrownBy(() -> new OpenMpThreads(-2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must not be negative, got -2");
    }

    private static <T> T onNewThread(Callable<T> task)
            throws InterruptedException, ExecutionException
    {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<T> result = thread.submit(task);
            return result.get();
        }
        finally {
            thread.shutdownNow();
        }
    }
}
