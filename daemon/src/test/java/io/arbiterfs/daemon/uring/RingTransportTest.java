package io.arbiterfs.daemon.uring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.mount.Mountpoints;
import io.arbiterfs.testkit.process.ChildProcess;
import io.arbiterfs.testkit.sys.Commands;
import io.arbiterfs.testkit.sys.KernelRing;
import io.arbiterfs.testkit.sys.Status;
import io.arbiterfs.testkit.sys.Syscalls;
import io.arbiterfs.fuse.platform.Linux;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The io_uring transport on the real kernel: the fallback, every queue served, large requests, interrupts,
 * notifications, unmount under load and kill -9. The ring is offered (enable_uring=Y) only while each mount is made.
 */
@Tag("mount")
class RingTransportTest {
    private static JsonNode transport(Path mnt) {
        return Status.mount(mnt).get("transport");
    }

    private static long servedTotal(Path mnt) {
        long n = 0;
        for (JsonNode q : transport(mnt).get("servedPerQueue")) {
            n += q.asLong();
        }
        return n;
    }

    @Nested
    class WithoutTheKernelsOffer {
        @RegisterExtension
        final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvm(false, "attr_timeout=0,entry_timeout=0");

        @Test
        void runsOnDevFuseAndSaysWhy() throws Exception {
            assertEquals("N", KernelRing.value(), "tests leave enable_uring as they found it");
            JsonNode t = transport(fs.mnt());
            assertEquals("/dev/fuse", t.get("kind").asText(), t.toString());
            assertTrue(t.get("note").asText().contains("enable_uring"), t.toString());
            Files.writeString(fs.mnt().resolve("f"), "works");
            assertEquals("works", Files.readString(fs.mnt().resolve("f")));
        }
    }

    @Nested
    class OverTheRing {
        @RegisterExtension
        final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvmOverIoUring("attr_timeout=0,entry_timeout=0");

        // attr_timeout=0: every stat reaches the daemon, so each CPU's stats show in its queue's count

        @Test
        void everyQueueAnswersItsCpu() throws Exception {
            JsonNode t = transport(fs.mnt());
            assertEquals("io_uring", t.get("kind").asText(), t.toString());
            int queues = t.get("queues").asInt();
            assertTrue(queues >= 1);
            Path f = Files.writeString(fs.mnt().resolve("f"), "x");
            for (int cpu = 0; cpu < queues; cpu++) {
                long before = transport(fs.mnt()).get("servedPerQueue").get(cpu).asLong();
                for (int i = 0; i < 5; i++) {
                    Commands.run("taskset", "-c", Integer.toString(cpu), "stat", f.toString()).ok();
                }
                long after = transport(fs.mnt()).get("servedPerQueue").get(cpu).asLong();
                assertTrue(after >= before + 5, "queue " + cpu + " served " + (after - before) + " of 5 stats from CPU " + cpu);
            }
        }

        @Test
        void oneMebibyteDirectReadsAndWrites() throws Exception {
            Path f = fs.mnt().resolve("big");
            byte[] data = new byte[8 << 20];
            new Random(11).nextBytes(data);
            Files.write(fs.backing(f), data);
            long before = servedTotal(fs.mnt());
            Commands.run("dd", "if=" + f, "of=" + fs.backing(fs.mnt().resolve("copy")), "bs=1M", "iflag=direct").ok();
            assertArrayEquals(data, Files.readAllBytes(fs.backing(fs.mnt().resolve("copy"))));
            Commands.run("dd", "if=" + fs.backing(f), "of=" + fs.mnt().resolve("back"), "bs=1M", "oflag=direct").ok();
            assertArrayEquals(data, Files.readAllBytes(fs.backing(fs.mnt().resolve("back"))));
            assertTrue(servedTotal(fs.mnt()) - before >= 16, "the 1 MiB READs and WRITEs came over the ring");
        }

        @Test
        void invalidationsGoOutWhileTheRingRuns() throws Exception {
            // a buffered reader keeps the old page; another program changes SOURCE: the watcher notifies on /dev/fuse
            Path f = fs.mnt().resolve("watched");
            Files.writeString(fs.backing(f), "old!");
            try (RandomAccessFile reader = new RandomAccessFile(f.toFile(), "r")) {
                byte[] b = new byte[4];
                reader.readFully(b);
                assertEquals("old!", new String(b));
                // another process: the watcher skips changes made by the daemon's own pid, which this JVM is
                Commands.run("sh", "-c", "printf new! > \"$0\"", fs.backing(f).toString()).ok();
                await().atMost(Duration.ofSeconds(5)).until(() -> {
                    reader.seek(0);
                    reader.readFully(b);
                    return new String(b).equals("new!");
                });
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> Status.mount(fs.mnt()).get("sourceChangesPushed").asLong() >= 1);
            // and a direct write beside a cached open drops the written range before it is answered
            Path g = fs.mnt().resolve("mixed");
            Files.write(fs.backing(g), new byte[8192]);
            try (RandomAccessFile cached = new RandomAccessFile(g.toFile(), "r")) {
                byte[] page = new byte[4096];
                cached.readFully(page);
                int fd = Syscalls.openOk(g, Linux.O_RDWR | Linux.O_DIRECT);
                try {
                    Syscalls.pwriteFully(fd, Syscalls.filled(4096, (byte) 9), 4096, 0);
                } finally {
                    Syscalls.close(fd);
                }
                cached.seek(0);
                cached.readFully(page);
                assertEquals(9, page[0], "the cached reader sees the direct write at once");
            }
        }

        @Test
        @Timeout(60)
        void unmountWithRequestsQueuedHangsNothing() throws Exception {
            // several readers pinned to CPU 0 (one queue), more than that queue has threads
            Path f = Files.write(fs.mnt().resolve("shared"), new byte[1 << 20]);
            List<Process> readers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                readers.add(new ProcessBuilder("taskset", "-c", "0", "dd", "if=" + f, "of=/dev/null", "bs=4k",
                        "iflag=direct", "count=1000000").redirectErrorStream(true).start());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> servedTotal(fs.mnt()) > 100);
            fs.mounted().mount().unmount(Duration.ofSeconds(2)); // readers keep the file open: detached, then aborted
            for (Process p : readers) {
                assertTrue(p.waitFor(20, TimeUnit.SECONDS), "a reader hung after the unmount");
            }
            assertTrue(fs.mounted().mount().awaitUnmounted(Duration.ofSeconds(20)), "the ring threads ended");
        }
    }

    @Nested
    class SlowBackend {
        @RegisterExtension
        final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvmOverIoUring("fault_delay_ms=20000");

        @Test
        @Timeout(60)
        void aSignalEndsARingRequestWithEintr() throws Exception {
            assertEquals("io_uring", transport(fs.mnt()).get("kind").asText());
            Path f = fs.mnt().resolve("slow");
            Files.write(fs.backing(f), new byte[8192]);
            for (String io : List.of("sysread($fh, my $buf, 4096)", "syswrite($fh, 'w' x 4096)")) {
                String script = "use Fcntl qw(:DEFAULT O_DIRECT); $SIG{ALRM} = sub {}; alarm 1; "
                        + "sysopen(my $fh, $ARGV[0], O_RDWR | O_DIRECT) or die \"open: $!\"; "
                        + "if (defined(" + io + ")) { print 'ok'; exit 0 } print 'errno=', $!+0; exit 0;";
                long t0 = System.nanoTime();
                Commands.Result r = Commands.run(Duration.ofSeconds(30), List.of("perl", "-e", script, f.toString())).ok();
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals("errno=4", r.out().strip(), io + " on a 20 s backend, over the ring, must end with EINTR");
                assertTrue(ms < 10_000, io + " took " + ms + " ms to give up");
            }
        }
    }

    @Test
    @Timeout(120)
    void killNineThenUnmountAndRemountKeepsEveryFsyncedByte() throws Exception {
        Path base = Files.createTempDirectory("arbiterfs-ring-crash-");
        Path src = Files.createDirectory(base.resolve("source"));
        Path mnt = Files.createDirectory(base.resolve("mnt"));
        byte[] record = new byte[64 << 10];
        new Random(3).nextBytes(record);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(record);
        ChildProcess d = Daemons.start(true, src, mnt, base.resolve("log"), "");
        try {
            assertEquals("io_uring", transport(mnt).get("kind").asText());
            int fd = Syscalls.openOk(mnt.resolve("f"), Linux.O_RDWR | Linux.O_CREAT);
            ByteBuffer b = ByteBuffer.allocateDirect(record.length).put(record).flip();
            for (int i = 0; i < 8; i++) {
                Syscalls.pwriteFully(fd, b, record.length, (long) i * record.length);
            }
            assertEquals(0, Syscalls.fsync(fd));
            CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() ->
                    Syscalls.pwrite(fd, b, record.length, 8L * record.length));
            d.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            blocked.get(20, TimeUnit.SECONDS); // ENOTCONN or done, never hung
            Syscalls.close(fd);
            Commands.Result stat = Commands.run("stat", mnt.toString());
            assertTrue(stat.err().contains("not connected") || stat.exit() != 0, stat.toString());
            Daemons.run("unmount", mnt.toString()).ok();
        } finally {
            d.close();
        }
        byte[] all = Files.readAllBytes(src.resolve("f"));
        for (int i = 0; i < 8; i++) {
            byte[] rec = java.util.Arrays.copyOfRange(all, i * record.length, (i + 1) * record.length);
            assertArrayEquals(digest, MessageDigest.getInstance("SHA-256").digest(rec), "fsynced record " + i);
        }
        try (ChildProcess again = Daemons.start(true, src, mnt, base.resolve("log2"), "")) {
            assertTrue(Files.size(mnt.resolve("f")) >= 8L * record.length);
        }
        Mountpoints.detach(mnt);
        Commands.run("rm", "-rf", "--one-file-system", base.toString());
    }
}
