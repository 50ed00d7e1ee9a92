package org.atnas.backend.djl;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PassGateTest
{
    @Test
    void withoutBoundNothingIsCountedAndNothingWaits()
    {
        PassGate gate = new PassGate(0);
        assertThat(gate.acquire(75, false)).isZero();
        assertThat(gate.acquire(75, false)).isZero();
        assertThat(gate.held()).isZero();
        gate.release(0);
    }

    @Test
    void aPassThatDoesNotFitWaitsUntilImagesAreReleased()
            throws Exception
    {
        PassGate gate = new PassGate(100);
        assertThat(gate.acquire(75, false)).isEqualTo(75);
        assertThat(gate.acquire(5, false)).as("fits beside the first").isEqualTo(5);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> second = other.submit(() -> gate.acquire(75, false));
            Thread.sleep(300);
            assertThat(second).as("75 + 5 + 75 > 100").isNotDone();
            gate.release(5);
            Thread.sleep(100);
            assertThat(second).as("75 + 75 > 100 still").isNotDone();
            gate.release(75);
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(75);
            assertThat(gate.held()).isEqualTo(75);
        }
        finally {
            other.shutdownNow();
        }
    }

    @Test
    void aWorkerThatHoldsImagesNeverWaitsAndAnOversizedPassRunsAlone()
    {
        PassGate gate = new PassGate(100);
        gate.acquire(75, false);
        assertThat(gate.acquire(75, true)).isEqualTo(75);
        assertThat(gate.held()).isEqualTo(150);
        gate.release(150);
        assertThat(gate.acquire(250, false)).as("larger than the bound, nothing held").isEqualTo(250);
    }

    @Test
    void anInterruptedWaitFailsAndKeepsTheInterruptFlag()
            throws Exception
    {
        PassGate gate = new PassGate(100);
        gate.acquire(75, false);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread waiting = new Thread(() -> {
            try {
                gate.acquire(50, false);
                failure.complete(null);
            }
            catch (IllegalStateException e) {
                failure.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("interrupt flag cleared"));
            }
        });
        waiting.start();
        Thread.sleep(200);
        waiting.interrupt();
        assertThat(failure.get(10, TimeUnit.SECONDS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Interrupted while a pass of 50 images waited for djl.images-in-flight (100, 75 held)");
        assertThat(gate.held()).isEqualTo(75);
    }

    @Test
    void badArgumentsAreRefused()
    {
        assertThatThrownBy(() -> new PassGate(-1))
                .hasMessage("limit must be 0 (no bound) or positive, not -1");
        PassGate gate = new PassGate(100);
        assertThatThrownBy(() -> gate.acquire(0, false))
                .hasMessage("images must be positive, not 0");
        gate.acquire(10, false);
        assertThatThrownBy(() -> gate.release(11))
                .hasMessage("Cannot release 11 images, 10 are held");
    }
}
