package io.arbiterfs.locking;

import static io.arbiterfs.locking.Fixtures.ALICE;
import static io.arbiterfs.locking.Fixtures.NODE;
import static io.arbiterfs.locking.Fixtures.SIZE;
import static io.arbiterfs.locking.Fixtures.snap;
import static io.arbiterfs.locking.Fixtures.soon;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One grant object reused by a request thread for every write: filled in place, and only once closed. */
class ReusableGrantTest {
    @Test
    void oneObjectServesSharedAndExclusiveWritesInTurn() {
        IoModeTable t = new IoModeTable();
        t.directOpen(NODE, ALICE);
        WriteGrant mine = WriteGrant.reusable();
        assertTrue(mine.isClosed(), "a fresh reusable grant holds nothing");

        try (WriteGrant g = t.beginWrite(NODE, WriteIntent.parallel(0, 4096), () -> SIZE, soon(), mine)) {
            assertSame(mine, g);
            assertTrue(g.acquired() && g.shared());
            assertEquals(1, snap(t).parallelWritesInFlight());
        }
        assertTrue(mine.isClosed());
        assertEquals(0, snap(t).parallelWritesInFlight());

        try (WriteGrant g = t.beginWrite(NODE, WriteIntent.parallel(SIZE, 4096), () -> SIZE, soon(), mine)) {
            assertSame(mine, g);
            assertFalse(g.shared(), "extending: exclusive");
            assertEquals(ExclusiveReason.EXTENDING, g.reason());
            assertTrue(snap(t).exclusiveHeld());
        }
        assertFalse(snap(t).exclusiveHeld());
        t.directRelease(NODE, ALICE);
        assertEquals(0, t.liveInodes(), "every pin was released");
    }

    @Test
    void aGrantStillHeldCannotBeFilledAgain() {
        IoModeTable t = new IoModeTable();
        t.directOpen(NODE, ALICE);
        WriteGrant mine = WriteGrant.reusable();
        try (WriteGrant g = t.beginWrite(NODE, WriteIntent.parallel(0, 4096), () -> SIZE, soon(), mine)) {
            assertThrows(IllegalStateException.class,
                    () -> t.beginWrite(NODE, WriteIntent.parallel(0, 4096), () -> SIZE, soon(), mine));
            assertEquals(1, snap(t).parallelWritesInFlight(), "the refused call took nothing");
            assertTrue(g.acquired(), "and did not disturb the held grant");
        }
        assertEquals(0, snap(t).parallelWritesInFlight());
        t.directRelease(NODE, ALICE);
        assertEquals(0, t.liveInodes());
    }
}
