package io.arbiterfs.locking;

import static io.arbiterfs.locking.Fixtures.ALICE;
import static io.arbiterfs.locking.Fixtures.BOB;
import static io.arbiterfs.locking.Fixtures.NODE;
import static io.arbiterfs.locking.Fixtures.SIZE;
import static io.arbiterfs.locking.Fixtures.async;
import static io.arbiterfs.locking.Fixtures.awaitDrainWaiters;
import static io.arbiterfs.locking.Fixtures.lastRow;
import static io.arbiterfs.locking.Fixtures.sharedWrite;
import static io.arbiterfs.locking.Fixtures.snap;
import static io.arbiterfs.locking.Fixtures.soon;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.locking.OpenDecision.Outcome;
import io.arbiterfs.locking.TransitionTable.Row;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One test per row of {@link TransitionTable} that applies to a server (contract §2.4 rows 1–19, and S1–S3).
 *
 * <p>Rows 20 and 21 do not apply: a MAP_PRIVATE mmap (20) is invisible to the server and changes no mode, and
 * arbiterfs always implements OPEN and has no DAX (21). {@link #everyApplicableRowHasATest()} keeps this list honest.
 */
class TransitionRowsTest {
    private final IoModeTable t = new IoModeTable();

    @Test
    void everyApplicableRowHasATest() {
        Set<String> methods = Arrays.stream(getClass().getDeclaredMethods()).map(Method::getName)
                .collect(Collectors.toSet());
        for (Row r : Row.values()) {
            String name = "row" + r.id();
            assertEquals(r.appliesToServer(), methods.contains(name), name + " (applies=" + r.appliesToServer() + ")");
        }
    }

    @Test
    void row1() {
        assertFalse(t.hasCachedOpens(NODE));
        assertEquals(Outcome.GRANTED, t.cachedOpen(NODE, ALICE, soon()).outcome());
        assertTrue(t.hasCachedOpens(NODE));
        InodeSnapshot s = snap(t);
        assertEquals(IoMode.CACHED, s.mode());
        assertEquals(1, s.cachedOpens());
        assertEquals(ALICE, s.pushedOutBy());
        Transition last = s.transitions().get(s.transitions().size() - 1);
        assertEquals(Row.R1, last.row());
        assertEquals(IoMode.NEUTRAL, last.from());
        assertEquals(IoMode.CACHED, last.to());
        assertEquals(ALICE, last.who());
    }

    @Test
    void row2() {
        t.cachedOpen(NODE, ALICE, soon());
        assertEquals(Outcome.GRANTED, t.cachedOpen(NODE, BOB, soon()).outcome());
        assertEquals(2, snap(t).cachedOpens());
        assertEquals(Row.R2, lastRow(t));
        assertEquals(ALICE, snap(t).pushedOutBy(), "the first cached user pushed the file out of parallel mode");
    }

    @Test
    void row3() throws Exception {
        WriteGrant inFlight = sharedWrite(t);
        assertTrue(inFlight.shared());
        CompletableFuture<OpenDecision> opener = async(() -> t.cachedOpen(NODE, ALICE, soon()));
        awaitDrainWaiters(t, 1);
        assertEquals(IoMode.DRAINING, snap(t).mode());
        assertEquals(ALICE, snap(t).pushedOutBy());
        // A new writer must not join the shared side now; it would have to wait for the in-flight one.
        WriteGrant late = t.beginWrite(NODE, WriteIntent.parallel(0, 10), () -> SIZE, IoModeTable.NO_WAIT);
        assertEquals(WriteLockMode.EXCLUSIVE, late.mode());
        assertEquals(ExclusiveReason.DRAINING, late.reason());
        assertFalse(late.acquired());
        assertFalse(opener.isDone());

        inFlight.close(); // row 19 wakes the opener
        assertEquals(Outcome.GRANTED, opener.get(5, TimeUnit.SECONDS).outcome());
        InodeSnapshot s = snap(t);
        assertEquals(IoMode.CACHED, s.mode());
        assertEquals(Row.R3, lastRow(t));
        assertTrue(s.drainNanosTotal() > 0);
        Fixtures.assertBalancedWriteSide(s);
    }

    @Test
    void row4() {
        t.passthroughOpen(NODE, 5, BOB);
        OpenDecision d = t.cachedOpen(NODE, ALICE, soon());
        assertEquals(Outcome.MUST_USE_PASSTHROUGH, d.outcome());
        assertEquals(ConflictReason.PASSTHROUGH_ACTIVE, d.reason());
        assertEquals(5, d.backingId());
        assertTrue(d.passthrough());
        assertEquals(0, snap(t).cachedOpens());
        assertEquals(2, snap(t).passthroughOpens(), "counted as a passthrough open");
        assertEquals(Row.R4, lastRow(t));
        assertFalse(t.passthroughRelease(NODE, ALICE).closeBackingId());
        assertTrue(t.passthroughRelease(NODE, BOB).closeBackingId());
        assertEquals(0, t.liveInodes());
    }

    @Test
    void row5() throws Exception {
        WriteGrant inFlight = sharedWrite(t);
        CompletableFuture<OpenDecision> opener = async(() -> t.cachedOpen(NODE, ALICE, soon()));
        awaitDrainWaiters(t, 1);
        assertEquals(Outcome.GRANTED, t.passthroughOpen(NODE, 9, BOB).outcome()); // row 12
        OpenDecision d = opener.get(5, TimeUnit.SECONDS);
        assertEquals(Outcome.MUST_USE_PASSTHROUGH, d.outcome());
        assertEquals(ConflictReason.BECAME_PASSTHROUGH_WHILE_WAITING, d.reason());
        assertEquals(9, d.backingId());
        InodeSnapshot s = snap(t);
        assertEquals(0, s.drainWaiters());
        assertEquals(0, s.cachedOpens());
        assertEquals(2, s.passthroughOpens());
        assertEquals(IoMode.UNCACHED, s.mode());
        assertEquals(Row.R5, lastRow(t));
        inFlight.close();
    }

    @Test
    void row6() {
        t.directOpen(NODE, ALICE); // a DIRECT_IO file, later shared-mmapped: the server only sees writeback
        assertTrue(t.notePageCacheWrite(NODE));
        assertEquals(IoMode.CACHED, snap(t).mode());
        try (WriteGrant g = sharedWrite(t)) {
            assertEquals(WriteLockMode.EXCLUSIVE, g.mode());
            assertEquals(ExclusiveReason.CACHED_MODE, g.reason());
        }
        assertEquals(ConflictReason.CACHED_USERS, t.passthroughOpen(NODE, 3, BOB).reason());
    }

    @Test
    void row7() {
        t.cachedOpen(NODE, ALICE, soon());
        t.cachedOpen(NODE, BOB, soon());
        assertTrue(t.cachedRelease(NODE, BOB));
        assertEquals(IoMode.CACHED, snap(t).mode());
        assertEquals(Row.R7, lastRow(t));
        assertTrue(t.hasCachedOpens(NODE));
        assertTrue(t.cachedRelease(NODE, ALICE));
        assertFalse(t.hasCachedOpens(NODE));
        assertEquals(0, t.liveInodes());
        InodeSnapshot last = t.snapshot(NODE).orElseThrow();
        assertFalse(last.live());
        assertEquals(IoMode.NEUTRAL, last.mode());
        assertFalse(t.cachedRelease(NODE, ALICE), "nothing left to release");
    }

    @Test
    void row8() {
        OpenDecision d = t.passthroughOpen(NODE, 3, ALICE);
        assertEquals(Outcome.GRANTED, d.outcome());
        assertEquals(3, d.backingId());
        assertEquals(IoMode.UNCACHED, snap(t).mode());
        assertEquals(OptionalInt.of(3), t.backingIdOf(NODE));
        assertEquals(Row.R8, lastRow(t));
    }

    @Test
    void row9() {
        t.passthroughOpen(NODE, 3, ALICE);
        assertEquals(Outcome.GRANTED, t.passthroughOpen(NODE, 3, BOB).outcome());
        assertEquals(2, snap(t).passthroughOpens());
        assertEquals(Row.R9, lastRow(t));
    }

    @Test
    void row10() {
        t.passthroughOpen(NODE, 3, ALICE);
        OpenDecision d = t.passthroughOpen(NODE, 4, BOB);
        assertEquals(Outcome.MUST_USE_PASSTHROUGH, d.outcome());
        assertEquals(ConflictReason.OTHER_BACKING_ID, d.reason());
        assertEquals(3, d.backingId(), "answer with the inode's id, never a second one");
        assertEquals(2, snap(t).passthroughOpens());
        assertEquals(3, snap(t).backingId());
        assertEquals(Row.R10, lastRow(t));
    }

    @Test
    void row11() {
        t.cachedOpen(NODE, ALICE, soon());
        OpenDecision d = t.passthroughOpen(NODE, 3, BOB);
        assertEquals(Outcome.CONFLICT, d.outcome());
        assertEquals(ConflictReason.CACHED_USERS, d.reason());
        assertFalse(d.counted());
        assertEquals(0, snap(t).passthroughOpens());
        assertEquals(0, snap(t).backingId());
        assertEquals(Row.R11, lastRow(t));
    }

    @Test
    void row12() {
        try (WriteGrant inFlight = sharedWrite(t)) {
            assertTrue(inFlight.shared());
            assertEquals(Outcome.GRANTED, t.passthroughOpen(NODE, 3, ALICE).outcome());
            InodeSnapshot s = snap(t);
            assertEquals(IoMode.UNCACHED, s.mode());
            assertEquals(1, s.parallelWritesInFlight());
            assertEquals(Row.R12, lastRow(t));
        }
    }

    @Test
    void row13() {
        assertEquals(ConflictReason.INVALID_BACKING_ID, t.passthroughOpen(NODE, 0, ALICE).reason());
        assertEquals(ConflictReason.INVALID_BACKING_ID, t.passthroughOpen(NODE, -1, ALICE).reason());
        assertEquals(0, t.liveInodes(), "a refused open leaves nothing behind");
    }

    @Test
    void row14() {
        t.passthroughOpen(NODE, 3, ALICE);
        t.passthroughOpen(NODE, 3, BOB);
        PassthroughRelease first = t.passthroughRelease(NODE, BOB);
        assertTrue(first.wasOpen());
        assertFalse(first.closeBackingId());
        assertEquals(1, first.passthroughOpens());
        assertEquals(Row.R14, lastRow(t));
        PassthroughRelease last = t.passthroughRelease(NODE, ALICE);
        assertTrue(last.closeBackingId());
        assertEquals(3, last.backingId());
        assertEquals(0, t.liveInodes());
        assertFalse(t.passthroughRelease(NODE, ALICE).wasOpen());
    }

    @Test
    void row15() {
        assertEquals(Outcome.GRANTED, t.directOpen(NODE, ALICE).outcome());
        assertEquals(IoMode.NEUTRAL, snap(t).mode());
        t.cachedOpen(NODE, BOB, soon());
        t.directOpen(NODE, ALICE);
        assertEquals(IoMode.CACHED, snap(t).mode());
        t.cachedRelease(NODE, BOB);
        try (WriteGrant g = sharedWrite(t)) {
            t.directOpen(NODE, ALICE);
            assertEquals(IoMode.UNCACHED, snap(t).mode());
            assertEquals(Row.R15, lastRow(t));
        }
        assertEquals(3, snap(t).directOpens());
        for (int i = 0; i < 3; i++) {
            assertTrue(t.directRelease(NODE, ALICE));
        }
        assertEquals(0, t.liveInodes());
    }

    @Test
    void row16() {
        t.passthroughOpen(NODE, 6, ALICE);
        OpenDecision d = t.directOpen(NODE, BOB);
        assertEquals(Outcome.MUST_USE_PASSTHROUGH, d.outcome());
        assertEquals(ConflictReason.PASSTHROUGH_ACTIVE, d.reason());
        assertEquals(6, d.backingId());
        assertEquals(0, snap(t).directOpens());
        assertEquals(Row.R16, lastRow(t));
    }

    /** Also T3 (7cc911262835): a parallel write on a passthrough inode is SHARED, not a false conflict. */
    @Test
    void row17() {
        try (WriteGrant a = sharedWrite(t); WriteGrant b = sharedWrite(t)) {
            assertTrue(a.shared() && b.shared());
            assertEquals(IoMode.UNCACHED, snap(t).mode());
            assertEquals(2, snap(t).parallelWritesInFlight());
        }
        assertEquals(2, snap(t).peakParallelWrites());
        t.passthroughOpen(NODE, 3, ALICE);
        try (WriteGrant a = sharedWrite(t); WriteGrant b = sharedWrite(t)) {
            assertTrue(a.shared() && b.shared(), "T3: passthrough must not force or refuse parallel writes");
            assertEquals(IoMode.UNCACHED, snap(t).mode());
        }
    }

    @Test
    void row18() {
        t.cachedOpen(NODE, ALICE, soon());
        try (WriteGrant g = sharedWrite(t)) {
            assertTrue(g.acquired(), "no error anywhere");
            assertEquals(WriteLockMode.EXCLUSIVE, g.mode());
            assertEquals(ExclusiveReason.CACHED_MODE, g.reason());
            assertEquals(IoMode.CACHED, snap(t).mode());
        }
        assertEquals(1, snap(t).exclusiveCount(ExclusiveReason.CACHED_MODE));
    }

    @Test
    void row19() {
        t.directOpen(NODE, ALICE);
        WriteGrant a = sharedWrite(t);
        WriteGrant b = sharedWrite(t);
        a.close();
        assertEquals(IoMode.UNCACHED, snap(t).mode());
        a.close(); // closing twice does nothing
        assertEquals(1, snap(t).parallelWritesInFlight());
        b.close();
        assertEquals(IoMode.NEUTRAL, snap(t).mode());
        Fixtures.assertBalancedWriteSide(snap(t));
    }

    @Test
    void rowS1() throws Exception {
        t.directOpen(NODE, ALICE);
        try (WriteGrant inFlight = sharedWrite(t)) {
            long t0 = System.nanoTime();
            OpenDecision d = t.cachedOpen(NODE, BOB, IoModeTable.deadlineIn(Duration.ofMillis(50)));
            assertEquals(Outcome.TIMED_OUT, d.outcome());
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50));
            assertEquals(Row.S1, lastRow(t));
            InodeSnapshot s = snap(t);
            assertEquals(0, s.drainWaiters(), "the draining mark is gone");
            assertEquals(0, s.cachedOpens());
            assertEquals(1, s.drainsGivenUp());
            assertEquals(IoMode.UNCACHED, s.mode());
            try (WriteGrant next = sharedWrite(t)) {
                assertTrue(next.shared(), "the shared side is open again");
            }

            CompletableFuture<Thread> waiter = new CompletableFuture<>();
            CompletableFuture<Object[]> interrupted = async(() -> {
                waiter.complete(Thread.currentThread());
                OpenDecision r = t.cachedOpen(NODE, BOB, soon());
                return new Object[] {r, Thread.currentThread().isInterrupted()};
            });
            awaitDrainWaiters(t, 1);
            waiter.get().interrupt();
            Object[] r = interrupted.get(5, TimeUnit.SECONDS);
            assertEquals(Outcome.INTERRUPTED, ((OpenDecision) r[0]).outcome());
            assertEquals(true, r[1], "interrupt status kept");
            assertEquals(0, snap(t).drainWaiters());
            assertEquals(2, snap(t).drainsGivenUp());
        }
        assertEquals(IoMode.NEUTRAL, snap(t).mode());
    }

    @Test
    void rowS2() {
        t.directOpen(NODE, ALICE);
        try (WriteGrant inFlight = sharedWrite(t)) {
            assertTrue(t.notePageCacheWrite(NODE));
            assertEquals(IoMode.DRAINING, snap(t).mode());
            assertEquals(Row.S2, lastRow(t));
            assertEquals(Caller.kernel(), snap(t).pushedOutBy());
            WriteGrant late = t.beginWrite(NODE, WriteIntent.parallel(0, 1), () -> SIZE, IoModeTable.NO_WAIT);
            assertEquals(WriteLockMode.EXCLUSIVE, late.mode());
        }
        assertEquals(IoMode.CACHED, snap(t).mode());
        assertFalse(t.notePageCacheWrite(99), "no open, nothing to note");
        assertEquals(1, t.liveInodes());
    }

    @Test
    void rowS3() {
        t.directOpen(NODE, ALICE);
        t.directOpen(NODE, BOB);
        t.notePageCacheWrite(NODE);
        t.directRelease(NODE, BOB);
        assertTrue(snap(t).pageCacheSeen(), "kept while any open remains");
        t.directRelease(NODE, ALICE);
        assertEquals(0, t.liveInodes());
        assertEquals(Row.S3, lastRow(t), "from the recently-closed snapshot");
        t.directOpen(NODE, ALICE);
        assertFalse(snap(t).pageCacheSeen());
        assertEquals(IoMode.NEUTRAL, snap(t).mode());
    }
}
