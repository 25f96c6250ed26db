package io.arbiterfs.daemon.reliability;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.sys.Commands;
import io.arbiterfs.testkit.sys.Syscalls;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbiterfs.testkit.sys.Status;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failing backend (the {@code fault_*} test options, {@link io.arbiterfs.testkit.faults.FaultOptions}): 15% of READ/WRITE/FSYNC calls fail with
 * EIO, ENOSPC or EINTR or, for WRITEs, come back short. The client must see exactly those errnos
 * (or the real short count), the daemon must keep serving, and once every file is closed no IO-mode
 * state, write grant or handle may be left over.
 */
@Tag("mount")
class BackendFaultTest {
    private static final String FAULTS = "fault_rate=150,fault_errnos=EIO:ENOSPC:EINTR,fault_short_writes,fault_seed=7";
    private static final Set<Integer> INJECTED = Set.of(Errno.EIO, Errno.ENOSPC, Errno.EINTR);

    @RegisterExtension
    final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvm(FAULTS);

    /** Everything the workload saw, by kind; any errno outside {@link #INJECTED} is a finding. */
    private final AtomicLong full = new AtomicLong();
    private final AtomicLong shortWrites = new AtomicLong();
    private final AtomicLong injectedErrors = new AtomicLong();
    private final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());

    private void outcome(String what, long result, long wanted) {
        if (result == wanted) {
            full.incrementAndGet();
        } else if (result >= 0 && result < wanted) {
            shortWrites.incrementAndGet();
        } else if (result < 0 && INJECTED.contains((int) -result)) {
            injectedErrors.incrementAndGet();
        } else {
            unexpected.add(what + " -> " + result);
        }
    }

    @Test
    @Timeout(90)
    void parallelDirectWritersBufferedOpensAndMmapUnderFaultsLeaveEveryInodeNeutral() throws Exception {
        Path d = fs.dir("mix");
        Path parallel = d.resolve("parallel");
        Path mapped = d.resolve("mapped");
        // created on the SOURCE side: setup must not depend on the faulty data path
        Files.write(fs.backing(parallel), new byte[1 << 20]);
        Files.write(fs.backing(mapped), new byte[64 << 10]);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(worker("direct-" + t, stop, () -> directWriterRound(parallel)));
        }
        for (int t = 0; t < 2; t++) {
            threads.add(worker("buffered-" + t, stop, () -> bufferedRound(parallel)));
        }
        threads.add(worker("mmap", stop, () -> mmapRound(mapped)));
        threads.forEach(Thread::start);
        Thread.sleep(4000);
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
            assertTrue(!t.isAlive(), t.getName() + " hangs");
        }

        assertEquals(List.of(), unexpected, "errnos the fault layer never injects");
        assertTrue(injectedErrors.get() > 0 && shortWrites.get() > 0 && full.get() > 0,
                "the run must see successes, errors and short writes: " + full + "/" + injectedErrors + "/" + shortWrites);
        assertStillServing(d);
        // RELEASE follows close(2) asynchronously: wait for the daemon to have seen every one
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode status = Status.mount(fs.mnt());
            assertTrue(Status.idle(status), "IO-mode state left after all files were closed: " + status);
            assertEquals(0, fs.mounted().passthrough().openFileCount(), "open handles left in the daemon");
        });
    }

    /** Opens with O_DIRECT, writes 4 KiB pages in place (parallel, non-extending), fsyncs, closes. */
    private void directWriterRound(Path f) {
        int fd = Syscalls.openOk(f, Linux.O_RDWR | Linux.O_DIRECT);
        ByteBuffer page = Syscalls.filled(Syscalls.PAGE, (byte) 'd');
        try {
            for (int i = 0; i < 32; i++) {
                long off = ThreadLocalRandom.current().nextLong(256) * Syscalls.PAGE;
                outcome("direct pwrite", Syscalls.pwrite(fd, page, Syscalls.PAGE, off), Syscalls.PAGE);
            }
            outcome("fsync", Syscalls.fsync(fd), 0);
        } finally {
            Syscalls.libc.close(fd);
        }
    }

    /** A page-cache open of the file the direct writers use: pushes the inode to CACHED and back. */
    private void bufferedRound(Path f) {
        int fd = Syscalls.openOk(f, Linux.O_RDONLY);
        ByteBuffer buf = Native.alignedBuffer(64 << 10, Syscalls.PAGE);
        try {
            long r = Syscalls.pread(fd, buf, buf.capacity(), ThreadLocalRandom.current().nextLong(16) * buf.capacity());
            if (r < 0) {
                outcome("buffered pread", r, buf.capacity());
            }
        } finally {
            Syscalls.libc.close(fd);
        }
    }

    /**
     * Stores into a MAP_SHARED mapping and msyncs it (writeback WRITEs, pid 0, meet the faults too),
     * from xfs_io: never from this JVM, which serves the mount. A fault here would hold this
     * process's mmap lock until a worker answers the READ, while the VM thread, mid-safepoint with
     * that worker stopped, waits for the same lock in mprotect.
     */
    private void mmapRound(Path f) {
        List<String> cmd = new ArrayList<>(List.of("xfs_io", "-c", "mmap -rw 0 65536"));
        for (int i = 0; i < 16; i++) {
            cmd.addAll(List.of("-c", "mwrite -S 0x6d " + ThreadLocalRandom.current().nextInt(64 << 10) + " 1"));
        }
        cmd.addAll(List.of("-c", "msync -s 0 65536", f.toString()));
        Commands.Result r = Commands.run(Duration.ofSeconds(30), cmd);
        String out = (r.out() + r.err()).strip();
        if (r.exit() == 128 + 7 || out.contains("SIGBUS") || out.contains("Bus error")) {
            injectedErrors.incrementAndGet(); // a page whose READ failed
        } else if (out.isEmpty() && r.exit() == 0) {
            full.incrementAndGet();
        } else if (out.contains("Input/output error") || out.contains("No space left") || out.contains("Interrupted system call")) {
            injectedErrors.incrementAndGet(); // msync: the writeback WRITE failed
        } else {
            unexpected.add("xfs_io mmap round: exit " + r.exit() + ": " + out);
        }
    }

    private Thread worker(String name, AtomicBoolean stop, Runnable round) {
        return new Thread(() -> {
            while (!stop.get()) {
                try {
                    round.run();
                } catch (Throwable e) {
                    unexpected.add(name + " threw " + e);
                    return;
                }
            }
        }, name);
    }

    /** Metadata is never faulted, and among data calls most succeed: the daemon answers as before. */
    private void assertStillServing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            assertEquals(2, s.count());
        }
        int fd = Syscalls.openOk(d.resolve("parallel"), Linux.O_RDWR | Linux.O_DIRECT);
        try {
            ByteBuffer page = Syscalls.filled(Syscalls.PAGE, (byte) 'z');
            boolean written = false;
            for (int i = 0; i < 100 && !written; i++) {
                written = Syscalls.pwrite(fd, page, Syscalls.PAGE, 0) == Syscalls.PAGE;
            }
            assertTrue(written, "no full write in 100 attempts at a 15% fault rate");
        } finally {
            Syscalls.libc.close(fd);
        }
    }

    /**
     * One writer, so the backing file can be checked after every call: a short write reports
     * exactly the bytes that reached SOURCE (its first half), a failed one changes nothing.
     */
    @Test
    @Timeout(60)
    void shortAndFailedWritesReportExactlyWhatReachedTheBackingFile() throws Exception {
        Path f = fs.dir("seq").resolve("f");
        byte[] model = new byte[64 << 10];
        Arrays.fill(model, (byte) 'o');
        Files.write(fs.backing(f), model);
        Set<Integer> errnosSeen = ConcurrentHashMap.newKeySet();
        int shorts = 0;
        int fd = Syscalls.openOk(f, Linux.O_RDWR | Linux.O_DIRECT);
        try {
            for (int i = 0; i < 300; i++) {
                byte fill = (byte) ('A' + i % 26);
                int off = (i % 8) * 8192;
                long n = Syscalls.pwrite(fd, Syscalls.filled(8192, fill), 8192, off);
                if (n < 0) {
                    assertTrue(INJECTED.contains((int) -n), "write " + i + " failed with errno " + -n);
                    errnosSeen.add((int) -n);
                } else {
                    assertTrue(n == 8192 || n == 4096, "write " + i + " returned " + n + ": neither full nor the injected half");
                    shorts += n < 8192 ? 1 : 0;
                    Arrays.fill(model, off, off + (int) n, fill);
                }
                assertArrayEquals(model, Files.readAllBytes(fs.backing(f)), "backing file after write " + i + " (" + n + ")");
            }
        } finally {
            Syscalls.libc.close(fd);
        }
        assertEquals(INJECTED, errnosSeen, "each configured errno reaches the client");
        assertTrue(shorts > 0, "no short write in 300");
    }
}
