package io.arbiterfs.daemon.reliability;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.mount.Mountpoints;
import io.arbiterfs.testkit.process.ChildProcess;
import io.arbiterfs.testkit.sys.Commands;
import io.arbiterfs.testkit.sys.Status;
import io.arbiterfs.testkit.sys.Syscalls;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signals reach requests blocked in the daemon: the kernel sends FUSE_INTERRUPT and the daemon
 * must answer the blocked request with EINTR (the kernel keeps waiting for an answer otherwise, so
 * without it the caller would sit there until the lock or the disk came back). The callers are
 * perl one-liners: perl's default signal handlers do not set SA_RESTART, so EINTR reaches them.
 */
@Tag("mount")
class InterruptTest {
    /** Runs {@code body} with SIGALRM in 1 s; prints "errno=N" or "ok". */
    private static Commands.Result perlWithAlarm(String body, Path file) {
        String script = "use Fcntl qw(:DEFAULT :flock O_DIRECT); $SIG{ALRM} = sub {}; alarm 1; " + body;
        return Commands.run(Duration.ofSeconds(30), List.of("perl", "-e", script, file.toString()));
    }

    @Nested
    class Flock {
        @RegisterExtension
        final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvm();

    @Test
    @Timeout(60)
    void flockWaitingForAnotherProcessGetsEintrOnASignal() throws Exception {
        {
            Path f = Files.writeString(fs.dir("lock").resolve("f"), "x");
            Process holder = new ProcessBuilder("flock", "-o", "-x", f.toString(), "sleep", "60").start(); // -o: only flock(1) holds it
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> Commands.run("flock", "-n", f.toString(), "true").exit() == 1);
                long t0 = System.nanoTime();
                Commands.Result r = perlWithAlarm("open(my $fh, '<', $ARGV[0]) or die \"open: $!\"; "
                        + "if (flock($fh, LOCK_EX)) { print 'ok'; exit 0 } print 'errno=', $!+0; exit 0;", f).ok();
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals("errno=4", r.out().strip(), "SETLKW must end with EINTR on SIGALRM: " + r);
                assertTrue(ms < 10_000, "took " + ms + " ms to give up");
            } finally {
                holder.descendants().forEach(ProcessHandle::destroy);
                holder.destroy();
                holder.waitFor(10, TimeUnit.SECONDS);
            }
            // the worker that ran the interrupted SETLKW is free again, and no lock was left behind
            Commands.run("flock", "-w", "10", f.toString(), "true").ok();
        }
    }
    }

    @Nested
    class SlowBackend {
        @RegisterExtension
        final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvm("fault_delay_ms=20000");

    @Test
    @Timeout(60)
    void directReadAndWriteOnASlowBackendGetEintrOnASignalAndLeaveNoState() throws Exception {
        {
            Path d = fs.dir("slow");
            Path f = d.resolve("f");
            Files.write(fs.backing(f), new byte[8192]);
            for (String io : List.of("sysread($fh, my $buf, 4096)", "syswrite($fh, 'w' x 4096)")) {
                long t0 = System.nanoTime();
                Commands.Result r = perlWithAlarm("sysopen(my $fh, $ARGV[0], O_RDWR | O_DIRECT) or die \"open: $!\"; "
                        + "if (defined(" + io + ")) { print 'ok'; exit 0 } print 'errno=', $!+0; exit 0;", f).ok();
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals("errno=4", r.out().strip(), io + " on a 20 s backend must end with EINTR on SIGALRM");
                assertTrue(ms < 10_000, io + " took " + ms + " ms to give up");
            }
            assertArrayEquals(new byte[8192], Files.readAllBytes(fs.backing(f)), "the interrupted write never reached SOURCE");
            // the interrupted direct write held a write grant: it must be gone with the file closed
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode status = Status.mount(fs.mnt());
                assertTrue(Status.idle(status), status.toString());
            });
        }
    }
    }

    /**
     * Extends ProcessLifecycleTest's SIGTERM-under-load case to writes that are inside the daemon
     * (a 2 s backend) when SIGTERM arrives: each must complete (and then be in SOURCE) or fail, and
     * the daemon still unmounts and exits 0. The writes are O_DIRECT, so the daemon's status counts
     * them while they wait in the backend.
     */
    @Test
    @Timeout(120)
    void sigtermWhileWritesWaitOnASlowBackendFinishesOrFailsEachAndExitsZero() throws Exception {
        Path base = Files.createTempDirectory("arbiterfs-sigterm-");
        Path src = Files.createDirectory(base.resolve("source"));
        Path mnt = Files.createDirectory(base.resolve("mnt"));
        try (ChildProcess daemon = Daemons.start(src, mnt, base.resolve("daemon.log"), "fault_delay_ms=2000")) {
            int n = 4;
            int size = 64 << 10;
            ByteBuffer data = Syscalls.filled(size, (byte) 'q');
            byte[] expected = new byte[size];
            Arrays.fill(expected, (byte) 'q');
            List<Thread> writers = new ArrayList<>();
            String[] outcome = new String[n];
            for (int w = 0; w < n; w++) {
                int id = w;
                Thread t = new Thread(() -> {
                    int fd = Syscalls.open(mnt.resolve("w" + id), Linux.O_CREAT | Linux.O_WRONLY | Linux.O_DIRECT);
                    if (fd < 0) {
                        outcome[id] = "open failed with errno " + -fd;
                        return;
                    }
                    long r = Syscalls.pwrite(fd, data, size, 0);
                    outcome[id] = r >= 0 ? "wrote " + r : "failed with errno " + -r;
                    Syscalls.close(fd);
                }, "slow-writer-" + w);
                t.start();
                writers.add(t);
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Status.field(Status.mount(mnt), "writesInFlight").asInt() == n); // all in the slow backend
            assertEquals(0, daemon.stop(), "exit code after SIGTERM:\n" + daemon.logText());
            assertFalse(Mountpoints.isMounted(mnt), "stale mount after SIGTERM");
            for (int w = 0; w < n; w++) {
                writers.get(w).join(20_000);
                assertFalse(writers.get(w).isAlive(), "writer " + w + " hangs");
                if (outcome[w].startsWith("wrote")) {
                    assertEquals("wrote " + size, outcome[w]);
                    assertArrayEquals(expected, Files.readAllBytes(src.resolve("w" + w)), "an acknowledged write is in SOURCE");
                }
            }
            System.out.println("SIGTERM with writes in a slow backend: " + Arrays.toString(outcome));
        } finally {
            Commands.run("rm", "-rf", "--one-file-system", base.toString());
        }
    }
}
