package io.arbiterfs.locking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.awaitility.Awaitility;

/** Small helpers shared by the tests. */
final class Fixtures {
    static final long NODE = 42;
    static final long SIZE = 1 << 20;
    static final Caller ALICE = new Caller(1001, "alice");
    static final Caller BOB = new Caller(1002, "bob");

    private Fixtures() {
    }

    static long soon() {
        return IoModeTable.deadlineIn(Duration.ofSeconds(10));
    }

    /** A parallel, non-extending write on {@link #NODE}'s file of {@link #SIZE} bytes. */
    static WriteGrant sharedWrite(IoModeTable t) {
        return t.beginWrite(NODE, WriteIntent.parallel(0, 4096), () -> SIZE, soon());
    }

    static InodeSnapshot snap(IoModeTable t) {
        return t.snapshot(NODE).orElseThrow();
    }

    /** Runs {@code call} on its own (daemon) thread. */
    static <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "test-async");
            th.setDaemon(true);
            return th;
        }));
    }

    /** Waits until {@code n} cached openers wait on {@link #NODE}. */
    static void awaitDrainWaiters(IoModeTable t, int n) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                .until(() -> t.snapshot(NODE).map(InodeSnapshot::drainWaiters).orElse(0) == n);
    }

    static TransitionTable.Row lastRow(IoModeTable t) {
        var log = t.snapshot(NODE).orElseThrow().transitions(); // live, or recently closed
        return log.get(log.size() - 1).row();
    }

    static void assertBalancedWriteSide(InodeSnapshot s) {
        assertEquals(0, s.parallelWritesInFlight(), "parallel writes in flight");
        assertEquals(false, s.exclusiveHeld(), "exclusive held");
        assertEquals(0, s.exclusiveWaiters(), "exclusive waiters");
        assertEquals(0, s.drainWaiters(), "drain waiters");
    }
}
