package io.arbiterfs.testkit.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.DataView;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.ReplyBuffer;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.WriteArgs;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** backend_latency_us: the wait is at least N µs and not much more (its parsing: FaultOptionsTest). */
class BackendLatencyTest {
    @Test
    void writesWaitReadsAndFsyncsDoNot() {
        AtomicInteger writes = new AtomicInteger();
        FileSystem<Object, Object> backend = new FileSystem<>() {
            @Override
            public int read(Request req, long node, Object file, long offset, int size, ReplyBuffer out) {
                return size;
            }

            @Override
            public int write(Request req, long node, Object file, WriteArgs args, DataView data) {
                writes.incrementAndGet();
                return 4096;
            }

            @Override
            public int fsync(Request req, long node, Object file, boolean dataOnly) {
                return 0;
            }
        };
        BackendLatency<Object, Object> slow = new BackendLatency<>(backend, 2000);
        long t0 = System.nanoTime();
        assertEquals(4096, slow.write(null, 2, null, null, null));
        long took = System.nanoTime() - t0;
        assertTrue(took >= 2_000_000, "a write waited only " + took + " ns");
        assertEquals(1, writes.get());
        t0 = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            slow.read(null, 2, null, 0, 4096, null);
            slow.fsync(null, 2, null, true);
        }
        assertTrue(System.nanoTime() - t0 < 2_000_000, "reads and fsyncs are not delayed");
    }

    @Test
    void waitsAreAccurateToTensOfMicroseconds() {
        for (long micros : new long[] {20, 200, 1000}) {
            long[] took = new long[50];
            for (int i = 0; i < took.length; i++) {
                long t0 = System.nanoTime();
                BackendLatency.waitFor(micros * 1000);
                took[i] = System.nanoTime() - t0;
            }
            Arrays.sort(took);
            assertTrue(took[0] >= micros * 1000, micros + " µs: shortest wait " + took[0] + " ns");
            // the median: a loaded CI machine may deschedule a few waits
            assertTrue(took[took.length / 2] < micros * 1000 + 200_000, micros + " µs: median wait " + took[took.length / 2] + " ns");
        }
    }
}
