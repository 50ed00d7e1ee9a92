package org.atnas.backend.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PassThreadsTest
{
    /** libtorch's per-thread setting, as a map: a thread that set nothing has the engine's count. */
    private static final class FakeTorch
    {
        final Map<Thread, Integer> threads = new ConcurrentHashMap<>();
        final List<String> calls = new ArrayList<>();
        final int engine;

        FakeTorch(int engine)
        {
            this.engine = engine;
        }

        int current()
        {
            return threads.getOrDefault(Thread.currentThread(), engine);
        }

        synchronized void set(int count)
        {
            calls.add(Thread.currentThread().getName() + "=" + count);
            threads.put(Thread.currentThread(), count);
        }

        PassThreads passThreads()
        {
            return new PassThreads(this::current, this::set);
        }
    }

    @Test
    void theEngineThreadKeepsOneAndEachPassThreadGetsTheEngineCountOnce()
            throws Exception
    {
        FakeTorch torch = new FakeTorch(2);
        PassThreads passThreads = torch.passThreads();
        String engine = Thread.currentThread().getName();
        passThreads.engineStarted();
        assertThat(passThreads.perPass()).isEqualTo(2);
        assertThat(torch.current()).as("the engine thread").isEqualTo(1);

        Thread worker = new Thread(() -> {
            passThreads.claim();
            passThreads.claim();
        }, "worker-0");
        worker.start();
        worker.join();
        assertThat(torch.threads).containsEntry(worker, 2);
        assertThat(torch.calls).containsExactly(engine + "=1", "worker-0=2");
    }

    @Test
    void aLaterEngineStartChangesNothing()
    {
        FakeTorch torch = new FakeTorch(2);
        PassThreads passThreads = torch.passThreads();
        String engine = Thread.currentThread().getName();
        passThreads.engineStarted();
        passThreads.claim();
        assertThat(torch.current()).as("the engine thread runs passes too (as in tests)").isEqualTo(2);
        passThreads.engineStarted();
        assertThat(passThreads.perPass()).isEqualTo(2);
        assertThat(torch.calls).containsExactly(engine + "=1", engine + "=2");
    }

    @Test
    void noPassThreadsBeforeTheEngineStarted()
    {
        PassThreads passThreads = new FakeTorch(2).passThreads();
        assertThatThrownBy(passThreads::claim)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The PyTorch engine has not started: pass threads have no intra-op thread count yet");
    }
}
