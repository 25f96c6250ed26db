package io.arbiterfs.locking;

import static io.arbiterfs.locking.Fixtures.ALICE;
import static io.arbiterfs.locking.Fixtures.NODE;
import static io.arbiterfs.locking.Fixtures.SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * T2 under load: four threads loop overlapping parallel writes on one inode, so the shared count almost never drops to
 * zero on its own. A cached opener, and exclusive operations, must still get through within a bound.
 */
class ContentionTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final IoModeTable t = new IoModeTable();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final List<Thread> writers = new ArrayList<>();

    @BeforeEach
    void startWriters() {
        t.directOpen(NODE, ALICE);
        for (int i = 0; i < 4; i++) {
            Thread th = new Thread(() -> {
                while (!stop.get()) {
                    try (WriteGrant g = t.beginWrite(NODE, WriteIntent.parallel(0, 4096), () -> SIZE,
                            IoModeTable.deadlineIn(Duration.ofSeconds(10)))) {
                        if (!g.acquired()) {
                            failures.incrementAndGet();
                        }
                        busy(20_000); // the write itself: 20 µs, overlapping the other writers'
                    }
                    writes.incrementAndGet();
                }
            }, "writer-" + i);
            th.setDaemon(true);
            writers.add(th);
            th.start();
        }
        Awaitility.await().atMost(BOUND).until(() -> writes.get() > 1000);
    }

    @AfterEach
    void stopWriters() throws InterruptedException {
        stop.set(true);
        for (Thread th : writers) {
            th.join(5000);
        }
        assertEquals(0, failures.get(), "writers gave up");
        InodeSnapshot s = t.snapshot(NODE).orElseThrow();
        Fixtures.assertBalancedWriteSide(s);
        t.directRelease(NODE, ALICE);
        assertEquals(0, t.liveInodes());
    }

    @Test
    void cachedOpenerIsNotStarved() {
        for (int round = 0; round < 10; round++) {
            CompletableFuture<OpenDecision> open = Fixtures.async(
                    () -> t.cachedOpen(NODE, ALICE, IoModeTable.deadlineIn(Duration.ofSeconds(30))));
            Awaitility.await("cached open, round " + round).atMost(BOUND).until(open::isDone);
            assertEquals(OpenDecision.Outcome.GRANTED, open.join().outcome());
            long before = writes.get();
            Awaitility.await().atMost(BOUND).until(() -> writes.get() > before + 10); // writers keep going (exclusive)
            assertTrue(t.cachedRelease(NODE, ALICE));
            long shared = writes.get();
            Awaitility.await().atMost(BOUND).until(() -> writes.get() > shared + 100); // back to parallel
        }
        assertTrue(t.snapshot(NODE).orElseThrow().peakParallelWrites() >= 2, "writers did overlap");
    }

    @Test
    void exclusiveOperationsAreNotStarved() {
        for (int i = 0; i < 25; i++) {
            CompletableFuture<Boolean> op = Fixtures.async(() -> {
                try (WriteGrant g = t.beginExclusive(NODE, ExclusiveReason.TRUNCATE,
                        IoModeTable.deadlineIn(Duration.ofSeconds(30)))) {
                    return g.acquired();
                }
            });
            Awaitility.await("truncate " + i).atMost(BOUND).until(op::isDone);
            assertTrue(op.join());
        }
        assertEquals(25, t.snapshot(NODE).orElseThrow().exclusiveCount(ExclusiveReason.TRUNCATE));
    }

    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
