package io.arbiterfs.daemon.it;

import io.arbiterfs.testkit.mount.Mountpoints;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbiterfs.daemon.testing.DaemonWithFaults;
import io.arbiterfs.testkit.process.ChildProcess;
import io.arbiterfs.testkit.sys.Commands;
import io.arbiterfs.testkit.sys.Status;
import io.arbiterfs.testkit.sys.Syscalls;
import io.arbiterfs.fuse.platform.Linux;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example file systems, written only against the engine's public API, mounted with {@code ./arbiterfs example}
 * under the IO-mode arbitration: what any file system gets on this engine.
 */
@Tag("mount")
class ExamplesMountTest {
    @TempDir
    Path base;
    private Path mnt;

    @BeforeEach
    void mountpoint() throws Exception {
        mnt = Files.createDirectory(base.resolve("mnt"));
        Mountpoints.register(mnt);
    }

    @AfterEach
    void unmount() throws Exception {
        if (Cli.mounted(mnt)) {
            Cli.run("unmount", mnt.toString()).ok();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Cli.daemonsFor(mnt).isEmpty());
        Cli.reap(mnt);
        Mountpoints.unregister(mnt);
    }

    @Test
    @Timeout(120)
    void memoryGetsParallelDirectWritesMmapOnDirectOpensAndStatus() throws Exception {
        // each WRITE waits 2 ms below the arbitration (the test layer), so writes that may overlap do: the peak then
        // says what the arbitration allows, not how the scheduler happened to interleave fast in-memory writes
        try (ChildProcess example = ChildProcess.java(DaemonWithFaults.class.getName(), List.of("example", "memory", "-f",
                "--notify-ready", mnt.toString(), "-o", "backend_latency_us=2000")).mountpoint(mnt)
                .log(base.resolve("daemon.log")).start()) {
            memoryFileSystemChecks();
        }
    }

    private void memoryFileSystemChecks() throws Exception {
        Path f = mnt.resolve("data");
        Files.write(f, new byte[16 << 20]);

        // 4 O_DIRECT writers on one file, each in its own region: the daemon must see them side by side
        int writers = 4;
        CyclicBarrier start = new CyclicBarrier(writers);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            long region = (long) w << 22;
            threads.add(new Thread(() -> {
                int fd = Syscalls.openOk(f, Linux.O_RDWR | Linux.O_DIRECT);
                ByteBuffer block = Syscalls.filled(64 << 10, (byte) 7);
                try {
                    start.await();
                    for (int i = 0; i < 50; i++) {
                        Syscalls.pwriteFully(fd, block, block.capacity(), region + (i % 64) * (64L << 10));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    Syscalls.close(fd);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        JsonNode file = Status.file(f);
        assertEquals(writers, file.get("peakParallelWrites").asInt(),
                "4 O_DIRECT writers on one file, 2 ms per WRITE: all 4 WRITEs in the daemon at once; " + file);

        // MAP_SHARED of a file opened O_DIRECT (FUSE_DIRECT_IO_ALLOW_MMAP), then the store reaches the file system
        int fd = Syscalls.openOk(f, Linux.O_RDWR | Linux.O_DIRECT);
        long addr = Syscalls.mapShared(fd, 4096);
        assertTrue(addr > 0, "MAP_SHARED on an O_DIRECT open: errno " + -addr);
        jnr.ffi.Pointer.wrap(jnr.ffi.Runtime.getSystemRuntime(), addr).putByte(0, (byte) 'M');
        assertEquals(0, Syscalls.libc.msync(addr, 4096, Linux.MS_SYNC));
        Syscalls.libc.munmap(addr, 4096);
        Syscalls.close(fd);
        assertEquals('M', Files.readAllBytes(f)[0]);

        JsonNode mount = Status.mount(mnt);
        assertTrue(mount.has("liveInodes") && mount.has("inodes"), mount.toString());
    }

    @Test
    @Timeout(60)
    void helloShowsItsOneFile() throws Exception {
        Cli.run("example", "hello", mnt.toString(), "--log", base.resolve("daemon.log").toString()).ok();
        assertEquals("Hello, world!\n", Files.readString(mnt.resolve("hello")));
        try (var listing = Files.list(mnt)) {
            assertEquals(List.of("hello"), listing.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals("NEUTRAL", Status.file(mnt.resolve("hello")).get("mode").asText());
    }

    @Test
    void anUnknownExampleIsAUsageError() {
        Commands.Result r = Cli.run("example", "nosuch", mnt.toString()).exit(2);
        assertTrue(r.err().contains("nosuch"), r.err());
    }
}
