package io.arbiterfs.daemon.coherence;

import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.sys.Status;
import io.arbiterfs.testkit.sys.Syscalls;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.platform.Linux;
import java.io.FileInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the daemon sees of the kernel's direct-write lock: parallel WRITEs with parallel_dio, one at a
 * time without it or while the file is mapped shared (contract T1), and a buffered opener that is
 * not starved by looping parallel writers (T2).
 */
@Tag("mount")
class ParallelWritesTest {
    private static final long SIZE = 16 << 20;

    private static Path sizedFile(MountFixture<?> m) throws Exception {
        Path f = m.file("data");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(SIZE);
        }
        return f;
    }

    private static int peakWhileWriting(MountFixture<?> m, Path f, long millis) throws Exception {
        Status.resetWritePeak(m.mnt());
        try (DirectWriters w = new DirectWriters(f, 4, SIZE)) {
            Thread.sleep(millis);
            assertEquals(0, w.errors(), "direct writes failed");
            assertTrue(w.writes() > 50, "writers made progress: " + w.writes());
        }
        return Status.writePeak(m.mnt());
    }

    @Test
    void parallelDioLetsWritesOverlap() throws Exception {
        try (MountFixture<?> m = Daemons.inJvm().open()) {
            Path f = sizedFile(m);
            int peak = peakWhileWriting(m, f, 1500);
            assertTrue(peak >= 2, "with parallel_dio the daemon should see overlapping WRITEs, peak was " + peak);
        }
    }

    @Test
    void noparallelDioSerializesWrites() throws Exception {
        try (MountFixture<?> m = Daemons.inJvm("noparallel_dio").open()) {
            Path f = sizedFile(m);
            assertEquals(1, peakWhileWriting(m, f, 1500), "without parallel_dio the kernel sends one WRITE at a time");
        }
    }

    @Test
    void sharedMappingSerializesWritesUntilReleased() throws Exception {
        try (MountFixture<?> m = Daemons.inChildProcess().open()) { // this JVM faults on the mapping
            Path f = sizedFile(m);
            int fd = Syscalls.openOk(f, Linux.O_RDWR | Linux.O_DIRECT);
            long addr = Syscalls.mapShared(fd, Syscalls.PAGE);
            assertTrue(addr > 0, "MAP_SHARED of a direct-IO file with allow_mmap: errno " + -addr);
            // dirty the page and write it back now, so no writeback WRITE overlaps the measurement
            jnr.ffi.Pointer.wrap(jnr.ffi.Runtime.getSystemRuntime(), addr).putByte(0, (byte) 'M');
            assertEquals(0, Syscalls.libc.msync(addr, Syscalls.PAGE, Linux.MS_SYNC));
            assertEquals(1, peakWhileWriting(m, f, 1500), "T1: while mapped shared, direct writes are exclusive");
            assertEquals("CACHED", Status.file(f).get("mode").asText());
            Syscalls.libc.munmap(addr, Syscalls.PAGE);
            Syscalls.close(fd);
            // the kernel releases the file asynchronously: caching mode ends when that RELEASE arrives
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
                    !Status.file(f).get("mode").asText().equals("CACHED"));
            int after = peakWhileWriting(m, f, 1500);
            assertTrue(after >= 2, "after munmap and close parallel writes come back, peak was " + after + "; "
                    + Status.file(f));
        }
    }

    @Test
    void bufferedOpenIsNotStarvedByParallelWriters() throws Exception {
        try (MountFixture<?> m = Daemons.inJvm().open()) {
            Path f = sizedFile(m);
            try (DirectWriters w = new DirectWriters(f, 4, SIZE)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> w.writes() > 50); // the parallel writes are looping
                long start = System.nanoTime();
                try (FileInputStream in = new FileInputStream(f.toFile())) {
                    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertTrue(took < 1000, "T2: buffered open took " + took + " ms while parallel writes looped");
                    assertEquals(4096, in.readNBytes(4096).length);
                }
                assertEquals(0, w.errors());
            }
        }
    }

    @Test
    void mmapOfDirectFileFollowsAllowMmap() throws Exception {
        try (MountFixture<?> m = Daemons.inJvm("noallow_mmap").open()) {
            Path f = sizedFile(m);
            int fd = Syscalls.openOk(f, Linux.O_RDWR | Linux.O_DIRECT);
            long addr = Syscalls.mapShared(fd, Syscalls.PAGE);
            Syscalls.close(fd);
            assertEquals(-19, addr, "MAP_SHARED of a direct-IO file without allow_mmap must fail with ENODEV");
        }
        try (MountFixture<?> m = Daemons.inChildProcess("allow_mmap").open()) {
            Path f = sizedFile(m);
            int fd = Syscalls.openOk(f, Linux.O_RDWR | Linux.O_DIRECT);
            long addr = Syscalls.mapShared(fd, Syscalls.PAGE);
            assertTrue(addr > 0, "MAP_SHARED with allow_mmap: errno " + -addr);
            Syscalls.libc.munmap(addr, Syscalls.PAGE);
            Syscalls.close(fd);
        }
    }
}
