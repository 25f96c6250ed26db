package io.arbiterfs.daemon.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.Request;
import io.arbiterfs.daemon.mount.MountOptionException;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.daemon.passthrough.BackingIo;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** backend_latency_us: parsing, rendering, and the wait is at least N µs and not much more. */
class LatencyIoTest {
    @Test
    void optionParsesRendersAndIsOffByDefault() throws Exception {
        assertEquals(0, MountOptions.parse(List.of("rw")).backendLatencyUs);
        assertTrue(!MountOptions.parse(List.of("rw")).render().contains("backend_latency_us"));
        MountOptions o = MountOptions.parse(List.of("backend_latency_us=200"));
        assertEquals(200, o.backendLatencyUs);
        assertEquals(200, MountOptions.parse(List.of(o.render())).backendLatencyUs, o.render());
        for (String bad : List.of("backend_latency_us", "backend_latency_us=-1", "backend_latency_us=x",
                "backend_latency_us=10000001")) {
            MountOptionException e = assertThrows(MountOptionException.class, () -> MountOptions.parse(List.of(bad)), bad);
            assertTrue(e.getMessage().contains("backend_latency_us"), e.getMessage());
        }
    }

    @Test
    void writesWaitReadsAndFsyncsDoNot() {
        AtomicInteger writes = new AtomicInteger();
        BackingIo real = new BackingIo() {
            @Override
            public long pread(Request req, int fd, long address, int length, long offset) {
                return length;
            }

            @Override
            public long pwrite(Request req, int fd, long address, int length, long offset) {
                writes.incrementAndGet();
                return length;
            }

            @Override
            public int fsync(Request req, int fd, boolean dataOnly) {
                return 0;
            }
        };
        LatencyIo io = new LatencyIo(real, 2000);
        long t0 = System.nanoTime();
        assertEquals(4096, io.pwrite(null, 3, 0, 4096, 0));
        long took = System.nanoTime() - t0;
        assertTrue(took >= 2_000_000, "a write waited only " + took + " ns");
        assertEquals(1, writes.get());
        t0 = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            io.pread(null, 3, 0, 4096, 0);
            io.fsync(null, 3, true);
        }
        assertTrue(System.nanoTime() - t0 < 2_000_000, "reads and fsyncs are not delayed");
    }

    @Test
    void waitsAreAccurateToTensOfMicroseconds() {
        for (long micros : new long[] {20, 200, 1000}) {
            long[] took = new long[50];
            for (int i = 0; i < took.length; i++) {
                long t0 = System.nanoTime();
                LatencyIo.waitFor(micros * 1000);
                took[i] = System.nanoTime() - t0;
            }
            Arrays.sort(took);
            assertTrue(took[0] >= micros * 1000, micros + " µs: shortest wait " + took[0] + " ns");
            // the median: a loaded CI machine may deschedule a few waits
            assertTrue(took[took.length / 2] < micros * 1000 + 200_000, micros + " µs: median wait " + took[took.length / 2] + " ns");
        }
    }
}
