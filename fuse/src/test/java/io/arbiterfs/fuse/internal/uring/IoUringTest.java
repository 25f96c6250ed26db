package io.arbiterfs.fuse.internal.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.platform.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The io_uring layer against the real kernel: rings, entries, the queue count. */
class IoUringTest {
    private static final byte IORING_OP_NOP = 0;

    @Test
    void nopsRoundTripAcrossManyRingWraps() throws Exception {
        try (IoUring ring = new IoUring(4, 8)) {
            List<Long> seen = new ArrayList<>();
            for (int round = 0; round < 100; round++) {
                for (int i = 0; i < 3; i++) {
                    int at = ring.nextSqe();
                    ring.sqes().put(at, IORING_OP_NOP).putLong(at + 32, round * 10L + i);
                }
                int submitted = ring.enter(3);
                assertEquals(3, submitted);
                int[] got = {0};
                while (got[0] < 3) {
                    got[0] += ring.reap((userData, res, flags) -> {
                        assertEquals(0, res);
                        seen.add(userData);
                    });
                    if (got[0] < 3) {
                        ring.enter(1);
                    }
                }
            }
            assertEquals(300, seen.size());
            for (int round = 0; round < 100; round++) {
                for (int i = 0; i < 3; i++) {
                    assertTrue(seen.contains(round * 10L + i));
                }
            }
        }
    }

    @Test
    void aFullSubmissionQueueIsRefusedNotOverwritten() throws Exception {
        try (IoUring ring = new IoUring(2, 4)) {
            ring.nextSqe();
            ring.nextSqe();
            assertThrows(IllegalStateException.class, ring::nextSqe);
        }
    }

    @Test
    void registerOnADeviceWithoutAConnectionFails() throws Exception {
        // a /dev/fuse descriptor that was never mounted has no connection: fuse_uring_cmd() refuses the command
        int fd = io.arbiterfs.fuse.internal.transport.FuseDevice.open();
        try (IoUring ring = new IoUring(2, 4); RingEntry e = new RingEntry(FuseRingAbi.payloadSize(1 << 20, 256))) {
            FuseRingAbi.register(ring.sqes(), ring.nextSqe(), fd, e.iovecs(), 0, 7);
            ring.enter(1);
            int[] res = {1};
            ring.reap((userData, r, flags) -> {
                assertEquals(7, userData);
                res[0] = r;
            });
            assertTrue(res[0] < 0, "REGISTER without a connection must fail, got " + res[0]);
            assertTrue(res[0] == -Errno.EPERM || res[0] == -Errno.EOPNOTSUPP || res[0] == -Errno.EINVAL,
                    "errno " + -res[0]);
        } finally {
            io.arbiterfs.fuse.internal.transport.FuseDevice.close(fd);
        }
    }

    @Test
    void entriesAreOnePageOfHeadersThenThePayload() throws Exception {
        int payload = FuseRingAbi.payloadSize(1 << 20, 256);
        assertEquals(1 << 20, payload);
        assertEquals(128 << 10, FuseRingAbi.payloadSize(4096, 32), "without max_pages the kernel asks 32 pages");
        try (RingEntry e = new RingEntry(payload)) {
            assertEquals(0, e.address() % 4096, "page-aligned");
            assertEquals(4096 + payload, e.buffer().capacity());
            long iov = e.iovecs() - e.address();
            assertEquals(e.address(), e.buffer().getLong((int) iov));
            assertEquals(4096, e.buffer().getLong((int) iov + 8));
            assertEquals(e.address() + RingEntry.PAYLOAD, e.buffer().getLong((int) iov + 16));
            assertEquals(payload, e.buffer().getLong((int) iov + 24));
            assertTrue(iov >= FuseRingAbi.HEADER_SIZE, "the iovecs do not overlap what the kernel writes");
        }
    }

    @Test
    void possibleCpusCountsTheKernelsList() throws Exception {
        assertEquals(2, PossibleCpus.count("0-1\n"));
        assertEquals(1, PossibleCpus.count("0"));
        assertEquals(7, PossibleCpus.count("0,2-7"));
        assertEquals(8, PossibleCpus.count("0-3,4-7"));
        assertThrows(IllegalArgumentException.class, () -> PossibleCpus.count(""));
        assertThrows(IllegalArgumentException.class, () -> PossibleCpus.count("3-1"));
        String live = Files.readString(Path.of("/sys/devices/system/cpu/possible"));
        assertTrue(PossibleCpus.count() >= Runtime.getRuntime().availableProcessors(), live);
    }
}
