package io.arbiterfs.daemon.reliability;

import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.Mountpoints;
import io.arbiterfs.testkit.process.ChildProcess;
import io.arbiterfs.testkit.sys.Commands;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of the daemon in the middle of parallel writes: the mount reports ENOTCONN, {@code
 * arbiterfs unmount} clears it, a new daemon mounts the same place, and every record an fsync
 * acknowledged before the kill reads back with its checksum.
 */
@Tag("mount")
class CrashRestartTest {
    private static final int WRITERS = 4;
    private static final int RECORD = 64 << 10;
    private Path base;
    private Path src;
    private Path mnt;

    @BeforeEach
    void dirs() throws IOException {
        base = Files.createTempDirectory("arbiterfs-crash-");
        src = Files.createDirectory(base.resolve("source"));
        mnt = Files.createDirectory(base.resolve("mnt"));
    }

    @AfterEach
    void clean() {
        boolean left = Mountpoints.isMounted(mnt);
        Mountpoints.detach(mnt);
        assertFalse(left, "mount left on " + mnt);
        Commands.run("rm", "-rf", "--one-file-system", base.toString());
    }

    /** Record {@code i} of writer {@code w}: reproducible bytes, so the check needs no copy. */
    static byte[] record(int w, long i) {
        byte[] b = new byte[RECORD];
        new Random(w * 1_000_003L + i).nextBytes(b);
        return b;
    }

    @Test
    @Timeout(180)
    void killNineDuringParallelWritesLosesNothingAnFsyncAcknowledged() throws Exception {
        AtomicLongArray acked = new AtomicLongArray(WRITERS); // records covered by a successful fsync
        List<Throwable> endings = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> writers = new ArrayList<>();
        ChildProcess daemon = Daemons.start(src, mnt, base.resolve("daemon-1.log"), "");
        try {
            for (int w = 0; w < WRITERS; w++) {
                int id = w;
                Thread t = new Thread(() -> {
                    try (FileChannel ch = FileChannel.open(mnt.resolve("w" + id), StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE)) {
                        for (long i = 0; ; i++) {
                            ByteBuffer b = ByteBuffer.wrap(record(id, i));
                            while (b.hasRemaining()) {
                                ch.write(b, i * RECORD + b.position());
                            }
                            if (i % 4 == 3) {
                                ch.force(true);
                                acked.set(id, i + 1);
                            }
                        }
                    } catch (Throwable e) {
                        endings.add(e);
                    }
                }, "writer-" + w);
                t.start();
                writers.add(t);
            }
            await("writers getting going").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> minAcked(acked) >= 16);

            daemon.kill(); // SIGKILL: no unmount, no DESTROY, no flush
            assertFalse(daemon.process().isAlive(), "daemon survived SIGKILL");
            for (Thread t : writers) {
                t.join(20_000);
                assertFalse(t.isAlive(), t.getName() + " hangs on the dead mount");
            }
            assertEquals(WRITERS, endings.size(), "every writer must fail once the daemon is gone: " + endings);

            Commands.Result stat = Commands.run("stat", mnt.toString()).exit(1);
            assertTrue(stat.err().contains("Transport endpoint is not connected"), "ENOTCONN expected: " + stat.err());
            assertTrue(Mountpoints.isMounted(mnt), "the dead mount stays in the table until unmounted");
            Daemons.run("unmount", mnt.toString()).ok();
            assertFalse(Mountpoints.isMounted(mnt), "unmount must clear a dead daemon's mount");
        } finally {
            daemon.close();
        }

        try (ChildProcess again = Daemons.start(src, mnt, base.resolve("daemon-2.log"), "")) {
            for (int w = 0; w < WRITERS; w++) {
                long n = acked.get(w);
                Path f = mnt.resolve("w" + w);
                assertTrue(Files.size(f) >= n * RECORD, "writer " + w + ": " + Files.size(f) + " bytes, " + n + " records acked");
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    for (long i = 0; i < n; i++) {
                        ByteBuffer got = ByteBuffer.allocate(RECORD);
                        while (got.hasRemaining() && ch.read(got, i * RECORD + got.position()) > 0) {
                            // until full
                        }
                        assertArrayEquals(sha256(record(w, i)), sha256(got.array()),
                                "writer " + w + " record " + i + " of " + n + " acknowledged records");
                    }
                }
            }
            // and the new daemon takes writes
            Files.writeString(mnt.resolve("after-restart"), "ok");
            assertEquals("ok", Files.readString(src.resolve("after-restart")));
            System.out.println("kill -9 test: acknowledged records per writer " + acked + " (" + RECORD / 1024 + " KiB each), all intact");
        }
    }

    private static long minAcked(AtomicLongArray a) {
        long m = Long.MAX_VALUE;
        for (int i = 0; i < a.length(); i++) {
            m = Math.min(m, a.get(i));
        }
        return m;
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
