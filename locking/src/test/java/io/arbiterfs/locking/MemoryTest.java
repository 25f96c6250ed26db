package io.arbiterfs.locking;

import static io.arbiterfs.locking.Fixtures.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Entries exist only while inodes have users; the recently-closed list stays bounded. */
class MemoryTest {

    @Test
    void aMillionInodesLeaveNothingBehind() {
        IoModeTable t = new IoModeTable();
        for (long node = 1; node <= 1_000_000; node++) {
            switch ((int) (node % 3)) {
                case 0:
                    t.cachedOpen(node, ALICE, IoModeTable.NO_WAIT);
                    t.cachedRelease(node, ALICE);
                    break;
                case 1:
                    t.directOpen(node, ALICE);
                    t.beginWrite(node, WriteIntent.parallel(0, 1), () -> 10, IoModeTable.NO_WAIT).close();
                    t.directRelease(node, ALICE);
                    break;
                default:
                    t.passthroughOpen(node, 7, ALICE);
                    assertTrue(t.passthroughRelease(node, ALICE).closeBackingId());
                    break;
            }
            if (node % 100_000 == 0) {
                assertEquals(0, t.liveInodes(), "after " + node);
            }
        }
        assertEquals(0, t.liveInodes());
        assertEquals(64, t.recentlyClosed().size());
        assertFalse(t.snapshot(1_000_000).orElseThrow().live());
        assertTrue(t.snapshot(1).isEmpty(), "evicted from the recently-closed list");
    }

    @Test
    void writesWithoutOpensLeaveNothingBehind() {
        IoModeTable t = new IoModeTable(0);
        for (long node = 1; node <= 100_000; node++) {
            t.beginWrite(node, WriteIntent.parallel(0, 1), () -> 10, IoModeTable.NO_WAIT).close();
            t.beginExclusive(node, ExclusiveReason.TRUNCATE, IoModeTable.NO_WAIT).close();
        }
        assertEquals(0, t.liveInodes());
        assertTrue(t.recentlyClosed().isEmpty());
    }

    /**
     * The remove-while-acquiring race: threads open and release a few hot inodes, so entries are retired and
     * recreated constantly. An open counted on an entry that was being removed would show up as a release that finds
     * nothing to release, or as an entry left at the end.
     */
    @Test
    void retireRacesLoseNoOpen() throws InterruptedException {
        IoModeTable t = new IoModeTable(4);
        AtomicLong lost = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(new Thread(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int k = 0; k < 250_000; k++) {
                    long node = rnd.nextInt(8);
                    t.directOpen(node, ALICE);
                    try (WriteGrant g = t.beginWrite(node, WriteIntent.parallel(0, 1), () -> 10, Fixtures.soon())) {
                        if (!g.acquired()) {
                            lost.incrementAndGet();
                        }
                    }
                    if (!t.directRelease(node, ALICE)) {
                        lost.incrementAndGet();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(0, lost.get());
        assertEquals(0, t.liveInodes());
    }
}
