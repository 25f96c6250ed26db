package io.arbiterfs.daemon.it;

import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.Mountpoints;
import io.arbiterfs.testkit.process.ChildProcess;
import io.arbiterfs.testkit.sys.Commands;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.FuseMount;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.fuse.Mounts;
import io.arbiterfs.daemon.passthrough.PassthroughFs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The daemon as a process: background mount and unmount, usage errors, SIGTERM under load. */
@Tag("mount")
class ProcessLifecycleTest {
    private Path base;
    private Path src;
    private Path mnt;
    private Path log;

    @BeforeEach
    void dirs() throws IOException {
        base = Files.createTempDirectory("arbiterfs-it-proc-");
        src = Files.createDirectory(base.resolve("source"));
        mnt = Files.createDirectory(base.resolve("mnt"));
        log = base.resolve("daemon.log");
        Mountpoints.register(mnt);
    }

    @AfterEach
    void reap() throws Exception {
        Cli.reap(mnt);
        Mountpoints.unregister(mnt);
        assertFalse(Cli.mounted(mnt), "mount left behind on " + mnt);
        Mountpoints.deleteTree(base);
    }

    private String daemonLog() {
        try {
            return Files.exists(log) ? Files.readString(log) : "<no log>";
        } catch (IOException e) {
            return "<unreadable log: " + e.getMessage() + ">";
        }
    }

    @Test
    @Timeout(120)
    void backgroundMountAnswersAtOnceAndUnmountEndsTheDaemon() throws Exception {
        Files.writeString(src.resolve("pre-existing"), "hello");
        Commands.Result r = Cli.run("mount", src.toString(), mnt.toString(), "--log", log.toString()).ok();
        assertTrue(r.out().contains("mounted on " + mnt), r.out());
        // no polling: the mount must answer as soon as the command returned
        assertTrue(Mounts.hasType(mnt, io.arbiterfs.daemon.ArbiterDaemon.FS_TYPE), "mount table: " + Mounts.at(mnt));
        assertEquals("hello", Files.readString(mnt.resolve("pre-existing")));
        Files.writeString(mnt.resolve("new"), "through the daemon");
        assertEquals("through the daemon", Files.readString(src.resolve("new")));

        List<ProcessHandle> daemons = Cli.daemonsFor(mnt);
        assertEquals(1, daemons.size(), "exactly one daemon process for " + mnt + ": " + daemons);
        ProcessHandle daemon = daemons.get(0);
        assertTrue(daemon.info().commandLine().orElse("").contains("--notify-ready"));

        Cli.run("unmount", mnt.toString()).ok();
        assertFalse(Cli.mounted(mnt), "unmount returned 0 but the mount table still shows " + mnt);
        assertTrue(daemon.onExit().completeOnTimeout(daemon, 15, TimeUnit.SECONDS).join() != null && !daemon.isAlive(),
                "the daemon must exit after unmount; log:\n" + daemonLog());
        assertFalse(Files.exists(mnt.resolve("new")), "after unmount the mountpoint is the empty directory again");
        // unmounting again is a usage error
        Cli.run("unmount", mnt.toString()).exit(2);
    }

    @Test
    @Timeout(60)
    void unknownOptionIsAUsageErrorNamingIt() {
        Commands.Result r = Cli.run("mount", src.toString(), mnt.toString(), "-o", "rw,bogus_opt", "--log", log.toString()).exit(2);
        assertTrue(r.err().contains("bogus_opt"), "stderr must name the option: " + r.err());
        assertFalse(Cli.mounted(mnt));
        assertEquals(List.of(), Cli.daemonsFor(mnt), "no daemon may stay behind");
    }

    @Test
    @Timeout(60)
    void missingSourceOrMountpointIsAUsageError() {
        Commands.Result r = Cli.run("mount", base.resolve("no-such-source").toString(), mnt.toString(), "--log", log.toString()).exit(2);
        assertTrue(r.err().contains("no-such-source"), r.err());
        assertFalse(Cli.mounted(mnt));
        r = Cli.run("mount", src.toString(), base.resolve("no-such-mnt").toString(), "--log", log.toString()).exit(2);
        assertTrue(r.err().contains("no-such-mnt"), r.err());
        r = Cli.run("mount", src.toString(), "--log", log.toString()).exit(2);
        assertTrue(r.err().contains("MOUNTPOINT"), r.err());
        assertFalse(Cli.mounted(mnt));
    }

    @Test
    @Timeout(60)
    void busyMountpointIsAUsageErrorAndLeavesTheExistingMountAlone() throws Exception {
        Path other = Files.createDirectory(base.resolve("other-source"));
        Files.writeString(other.resolve("mine"), "first mount");
        try (FuseMount first = FuseMount.builder(new PassthroughFs(other)).mountpoint(mnt).fsname("arbiterfs-it-first")
                .threads(2).mount()) {
            long before = Mounts.all().stream().filter(e -> e.target().equals(mnt)).count();
            Commands.Result r = Cli.run("mount", src.toString(), mnt.toString(), "--log", log.toString()).exit(2);
            assertTrue(r.err().contains("busy"), r.err());
            assertEquals(before, Mounts.all().stream().filter(e -> e.target().equals(mnt)).count(),
                    "no second mount stacked on " + mnt);
            assertEquals("first mount", Files.readString(mnt.resolve("mine")), "the first mount still answers");
            r = Cli.run("mount", src.toString(), mnt.toString(), "-f", "--log", log.toString()).exit(2);
            assertTrue(r.err().contains("busy"), r.err());
        }
        assertFalse(Cli.mounted(mnt));
    }

    /** Starts {@code mount -f --notify-ready} as a child; returns once it said the mount answers. */
    private ChildProcess startForeground() throws IOException {
        ChildProcess daemon = Daemons.start(src, mnt, log, "");
        // stat through the mount: the mountpoint's attributes now come from SOURCE
        assertEquals(Files.getAttribute(src, "unix:ino"), Files.getAttribute(mnt, "unix:ino"));
        return daemon;
    }

    @Test
    @Timeout(60)
    void sigtermOnAnIdleForegroundDaemonUnmountsAndExitsZero() throws Exception {
        try (ChildProcess daemon = startForeground()) {
            Files.writeString(mnt.resolve("f"), "x");
            assertEquals(0, daemon.stop(), "exit code after SIGTERM; log:\n" + daemonLog());
        }
        assertFalse(Cli.mounted(mnt), "stale mount after SIGTERM");
        assertEquals("x", Files.readString(src.resolve("f")));
    }

    @Test
    @Timeout(90)
    void sigtermWhileFourWritersWriteExitsZeroWithoutAStaleMount() throws Exception {
        int writers = 4;
        CountDownLatch started = new CountDownLatch(writers);
        AtomicLong written = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> endings = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ChildProcess daemon = startForeground()) {
            for (int w = 0; w < writers; w++) {
                Path f = mnt.resolve("writer-" + w);
                Thread t = new Thread(() -> {
                    ByteBuffer block = ByteBuffer.allocate(64 * 1024);
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                        started.countDown();
                        for (long i = 0; ; i++) {
                            block.clear();
                            // a 16 MiB ring: keeps writing without filling the disk
                            written.addAndGet(ch.write(block, (i % 256) * block.capacity()));
                        }
                    } catch (Throwable e) {
                        endings.add(e); // expected once the connection is gone
                    }
                }, "writer-" + w);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            assertTrue(started.await(20, TimeUnit.SECONDS), "writers did not start");
            await().atMost(Duration.ofSeconds(20)).until(() -> written.get() > 32L << 20);

            // SIGTERM while the writers are busy
            assertEquals(0, daemon.stop(), "exit code after SIGTERM under load; log:\n" + daemonLog());
        }
        assertFalse(Cli.mounted(mnt), "stale entry in /proc/mounts after SIGTERM");
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(t.isAlive(), "writer " + t.getName() + " hangs on the dead mount");
        }
        assertEquals(writers, endings.size(), "each writer must see its file fail once the daemon is gone: " + endings);
        for (int w = 0; w < writers; w++) {
            assertTrue(Files.size(src.resolve("writer-" + w)) > 0, "writer " + w + " wrote to SOURCE before the end");
        }
    }
}
