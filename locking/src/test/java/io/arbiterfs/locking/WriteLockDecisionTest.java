package io.arbiterfs.locking;

import static io.arbiterfs.locking.Fixtures.ALICE;
import static io.arbiterfs.locking.Fixtures.NODE;
import static io.arbiterfs.locking.Fixtures.soon;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The direct-write lock decision of contract §3.2, as a table, and the same decisions through {@link IoModeTable}. */
class WriteLockDecisionTest {

    @ParameterizedTest(name = "parallel={0} append={1} off={2} len={3} size={4} mode={5} → {6} {7}")
    @CsvSource(nullValues = "-", value = {
            // parallel, append, offset, length, size, mode,     expected,  reason
            "false, false, 0,    10,   100,  NEUTRAL,  EXCLUSIVE, NOT_PARALLEL",
            "false, true,  0,    10,   100,  CACHED,   EXCLUSIVE, NOT_PARALLEL",
            "true,  true,  0,    10,   100,  NEUTRAL,  EXCLUSIVE, APPEND",
            "true,  true,  200,  10,   100,  CACHED,   EXCLUSIVE, APPEND",
            "true,  false, 95,   10,   100,  NEUTRAL,  EXCLUSIVE, EXTENDING",
            "true,  false, 100,  1,    100,  UNCACHED, EXCLUSIVE, EXTENDING",
            "true,  false, 200,  0,    100,  NEUTRAL,  EXCLUSIVE, EXTENDING",
            "true,  false, 9223372036854775800, 100, 100, NEUTRAL, EXCLUSIVE, EXTENDING",
            "true,  false, 90,   10,   100,  CACHED,   EXCLUSIVE, CACHED_MODE",
            "true,  false, 90,   10,   100,  DRAINING, EXCLUSIVE, DRAINING",
            "true,  false, 90,   10,   100,  NEUTRAL,  SHARED,    -",
            "true,  false, 100,  0,    100,  NEUTRAL,  SHARED,    -",
            "true,  false, 0,    4096, 4096, UNCACHED, SHARED,    -",
    })
    void decisionTable(boolean parallel, boolean append, long offset, long length, long size, IoMode mode,
                       WriteLockMode expected, ExclusiveReason reason) {
        WriteLockDecision.Decision d = WriteLockDecision.decide(new WriteIntent(parallel, append, offset, length), size,
                mode);
        assertEquals(expected, d.mode());
        assertEquals(reason, d.reason());
    }

    /** The same table through the real lock, for the rules that do not depend on the mode. */
    @ParameterizedTest(name = "parallel={0} append={1} off={2} len={3} size={4} → {5}")
    @CsvSource(nullValues = "-", value = {
            "false, false, 0,   10, 100, NOT_PARALLEL",
            "true,  true,  0,   10, 100, APPEND",
            "true,  false, 95,  10, 100, EXTENDING",
            "true,  false, 90,  10, 100, -",
    })
    void throughTheTable(boolean parallel, boolean append, long offset, long length, long size,
                         ExclusiveReason reason) {
        IoModeTable t = new IoModeTable();
        try (WriteGrant g = t.beginWrite(NODE, new WriteIntent(parallel, append, offset, length), () -> size,
                soon())) {
            assertTrue(g.acquired());
            assertEquals(reason == null ? WriteLockMode.SHARED : WriteLockMode.EXCLUSIVE, g.mode());
            assertEquals(reason, g.reason());
        }
        assertEquals(0, t.liveInodes());
    }

    /** "Extending" is judged by the server's size: the kernel's cached i_size may be larger (stale). */
    @Test
    void extendingIsJudgedByTheServersSize() {
        IoModeTable t = new IoModeTable();
        AtomicLong serverSize = new AtomicLong(1000);
        try (WriteGrant g = t.beginWrite(NODE, WriteIntent.parallel(900, 200), serverSize::get, soon())) {
            assertEquals(ExclusiveReason.EXTENDING, g.reason());
        }
        serverSize.set(1100);
        try (WriteGrant g = t.beginWrite(NODE, WriteIntent.parallel(900, 200), serverSize::get, soon())) {
            assertTrue(g.shared());
        }
    }

    /**
     * §3.2 (3) is judged once, after joining the shared side (no truncate can run there): the size is asked exactly
     * once per shared-capable write, and an extending write leaves the shared side for the exclusive one.
     */
    @Test
    void sizeIsAskedOnceAfterJoiningShared() {
        IoModeTable t = new IoModeTable();
        AtomicInteger calls = new AtomicInteger();
        try (WriteGrant g = t.beginWrite(NODE, WriteIntent.parallel(0, 4096), () -> {
            calls.incrementAndGet();
            return 100;
        }, soon())) {
            assertTrue(g.acquired());
            assertEquals(WriteLockMode.EXCLUSIVE, g.mode());
            assertEquals(ExclusiveReason.EXTENDING, g.reason());
            assertEquals(0, t.snapshot(NODE).orElseThrow().parallelWritesInFlight(), "the shared side was left");
        }
        assertEquals(1, calls.get());
        calls.set(0);
        try (WriteGrant g = t.beginWrite(NODE, WriteIntent.parallel(0, 4096), () -> {
            calls.incrementAndGet();
            return 10_000;
        }, soon())) {
            assertTrue(g.shared());
        }
        assertEquals(1, calls.get(), "a shared write asks the size once");
        try (WriteGrant g = t.beginWrite(NODE, new WriteIntent(true, true, 0, 4096), () -> {
            throw new AssertionError("an O_APPEND write needs no size");
        }, soon())) {
            assertEquals(ExclusiveReason.APPEND, g.reason());
        }
        assertEquals(0, t.liveInodes());
    }

    /** A throwing size callback leaves nothing held, whether it throws before or after joining the shared side. */
    @Test
    void throwingSizeCallbackLeavesNothingHeld() {
        IoModeTable t = new IoModeTable();
        t.directOpen(NODE, ALICE);
        // the size is asked once, with the shared side held: a throw there must leave it
        assertThrows(IllegalStateException.class, () -> t.beginWrite(NODE, WriteIntent.parallel(0, 1), () -> {
            throw new IllegalStateException("stat failed");
        }, soon()));
        Fixtures.assertBalancedWriteSide(t.snapshot(NODE).orElseThrow());
        t.directRelease(NODE, ALICE);
        assertEquals(0, t.liveInodes());
    }

    @Test
    void exclusiveOperationsAreCountedByReason() {
        IoModeTable t = new IoModeTable();
        t.directOpen(NODE, ALICE);
        for (ExclusiveReason r : new ExclusiveReason[] {ExclusiveReason.TRUNCATE, ExclusiveReason.FALLOCATE,
                ExclusiveReason.COPY_FILE_RANGE_DST, ExclusiveReason.TRUNCATE}) {
            try (WriteGrant g = t.beginExclusive(NODE, r, soon())) {
                assertTrue(g.acquired());
                assertFalse(r.isWriteDecision());
                assertTrue(t.snapshot(NODE).orElseThrow().exclusiveHeld());
            }
        }
        InodeSnapshot s = t.snapshot(NODE).orElseThrow();
        assertEquals(2, s.exclusiveCount(ExclusiveReason.TRUNCATE));
        assertEquals(1, s.exclusiveCount(ExclusiveReason.FALLOCATE));
        assertEquals(1, s.exclusiveCount(ExclusiveReason.COPY_FILE_RANGE_DST));
    }

    @Test
    void exclusiveWaitsForSharedAndTimesOutCleanly() {
        IoModeTable t = new IoModeTable();
        t.directOpen(NODE, ALICE);
        try (WriteGrant shared = Fixtures.sharedWrite(t)) {
            WriteGrant ex = t.beginExclusive(NODE, ExclusiveReason.TRUNCATE,
                    IoModeTable.deadlineIn(java.time.Duration.ofMillis(30)));
            assertEquals(WriteGrant.Outcome.TIMED_OUT, ex.outcome());
            ex.close();
            InodeSnapshot s = t.snapshot(NODE).orElseThrow();
            assertEquals(0, s.exclusiveWaiters());
            assertFalse(s.exclusiveHeld());
            try (WriteGrant again = Fixtures.sharedWrite(t)) {
                assertTrue(again.shared(), "the gate reopened after the exclusive waiter gave up");
            }
        }
    }
}
