package io.arbiterfs.locking;

import static io.arbiterfs.locking.Fixtures.ALICE;
import static io.arbiterfs.locking.Fixtures.NODE;
import static io.arbiterfs.locking.Fixtures.SIZE;
import static io.arbiterfs.locking.Fixtures.async;
import static io.arbiterfs.locking.Fixtures.awaitDrainWaiters;
import static io.arbiterfs.locking.Fixtures.sharedWrite;
import static io.arbiterfs.locking.Fixtures.snap;
import static io.arbiterfs.locking.Fixtures.soon;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.locking.OpenDecision.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * T2 (2f3d8ff45798, cached-open starvation), deterministically: once a cached opener waits, no new writer joins the
 * shared side, so the opener waits for exactly the writes that were in flight when it arrived.
 */
class DrainFairnessTest {
    private final IoModeTable t = new IoModeTable();

    @Test
    void openerWaitsOnlyForWritesAlreadyInFlight() throws Exception {
        t.directOpen(NODE, ALICE);
        List<WriteGrant> inFlight = new ArrayList<>(List.of(sharedWrite(t), sharedWrite(t), sharedWrite(t)));
        CompletableFuture<OpenDecision> opener = async(() -> t.cachedOpen(NODE, ALICE, soon()));
        awaitDrainWaiters(t, 1);

        // Writers arriving now: each must go exclusive (reason DRAINING) and so wait, never join the shared side.
        List<CompletableFuture<WriteGrant>> late = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            late.add(async(() -> {
                WriteGrant g = t.beginWrite(NODE, WriteIntent.parallel(0, 512), () -> SIZE, soon());
                g.close();
                return g;
            }));
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> snap(t).exclusiveWaiters() == 4);
        assertEquals(3, snap(t).parallelWritesInFlight(), "T2: a late writer joined the shared side");

        inFlight.remove(0).close();
        inFlight.remove(0).close();
        assertFalse(opener.isDone());
        inFlight.remove(0).close();
        assertEquals(Outcome.GRANTED, opener.get(5, TimeUnit.SECONDS).outcome());
        for (CompletableFuture<WriteGrant> f : late) {
            WriteGrant g = f.get(5, TimeUnit.SECONDS);
            assertTrue(g.acquired());
            assertEquals(ExclusiveReason.DRAINING, g.reason());
        }
        assertEquals(4, snap(t).exclusiveCount(ExclusiveReason.DRAINING));
        Fixtures.assertBalancedWriteSide(snap(t));
    }

    @Test
    void twoOpenersShareOneDrain() throws Exception {
        WriteGrant w = sharedWrite(t);
        CompletableFuture<OpenDecision> a = async(() -> t.cachedOpen(NODE, ALICE, soon()));
        CompletableFuture<OpenDecision> b = async(() -> t.cachedOpen(NODE, Fixtures.BOB, soon()));
        awaitDrainWaiters(t, 2);
        w.close();
        assertEquals(Outcome.GRANTED, a.get(5, TimeUnit.SECONDS).outcome());
        assertEquals(Outcome.GRANTED, b.get(5, TimeUnit.SECONDS).outcome());
        assertEquals(2, snap(t).cachedOpens());
        assertEquals(0, snap(t).drainWaiters());
    }

    @Test
    void exclusiveWritersDoNotDelayTheOpener() throws Exception {
        try (WriteGrant truncate = t.beginExclusive(NODE, ExclusiveReason.TRUNCATE, soon())) {
            assertTrue(truncate.acquired());
            // Exclusive operations hold no uncached reference, so the cached open need not wait (kernel: same).
            assertEquals(Outcome.GRANTED, t.cachedOpen(NODE, ALICE, IoModeTable.NO_WAIT).outcome());
        }
    }
}
