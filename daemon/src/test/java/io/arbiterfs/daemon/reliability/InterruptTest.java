package io.arbiterfs.daemon.reliability;

import io.arbiterfs.daemon.testing.DaemonProcess;
import io.arbiterfs.daemon.testing.Commands;
import io.arbiterfs.daemon.testing.Syscalls;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.daemon.status.StatusXattrs;
import io.arbiterfs.daemon.it.MountedFs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signals reach requests blocked in the daemon: the kernel sends FUSE_INTERRUPT and the daemon
 * must answer the blocked request with EINTR (the kernel keeps waiting for an answer otherwise, so
 * without it the caller would sit there until the lock or the disk came back). The callers are
 * perl one-liners: perl's default signal handlers do not set SA_RESTART, so EINTR reaches them.
 */
class InterruptTest {
    /** Runs {@code body} with SIGALRM in 1 s; prints "errno=N" or "ok". */
    private static Commands.Result perlWithAlarm(String body, Path file) {
        String script = "use Fcntl qw(:DEFAULT :flock O_DIRECT); $SIG{ALRM} = sub {}; alarm 1; " + body;
        return Commands.run(Duration.ofSeconds(30), List.of("perl", "-e", script, file.toString()));
    }

    @Nested
    class Flock {
        @RegisterExtension
        final MountedFs fs = new MountedFs();

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
        final MountedFs fs = new MountedFs("fault_delay_ms=20000");

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
                String status = Syscalls.xattr(fs.mnt(), StatusXattrs.STATUS_XATTR);
                assertTrue(status.contains("\"liveInodes\":0") && status.contains("\"writesInFlight\":0"), status);
            });
        }
    }
    }

    /**
     * Extends ProcessLifecycleTest's SIGTERM-under-load case to writes that are inside the daemon
     * (a 2 s backend) when SIGTERM arrives: each must complete (and then be in SOURCE) or fail, and
     * the daemon still unmounts and exits 0.
     */
    @Test
    @Timeout(120)
    void sigtermWhileWritesWaitOnASlowBackendFinishesOrFailsEachAndExitsZero() throws Exception {
        Path base = Files.createTempDirectory("arbiterfs-sigterm-");
        Path src = Files.createDirectory(base.resolve("source"));
        Path mnt = Files.createDirectory(base.resolve("mnt"));
        try (DaemonProcess daemon = DaemonProcess.start(src, mnt, base.resolve("daemon.log"), "fault_delay_ms=2000")) {
            int n = 4;
            byte[] data = new byte[64 << 10];
            Arrays.fill(data, (byte) 'q');
            List<Thread> writers = new ArrayList<>();
            String[] outcome = new String[n];
            for (int w = 0; w < n; w++) {
                int id = w;
                Thread t = new Thread(() -> {
                    try (FileChannel ch = FileChannel.open(mnt.resolve("w" + id), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                        outcome[id] = "wrote " + ch.write(ByteBuffer.wrap(data), 0);
                    } catch (IOException e) {
                        outcome[id] = "failed " + e.getMessage();
                    }
                }, "slow-writer-" + w);
                t.start();
                writers.add(t);
            }
            Thread.sleep(700); // the WRITEs are now waiting in the slow backend
            daemon.process().destroy(); // SIGTERM
            assertTrue(daemon.process().waitFor(60, TimeUnit.SECONDS), "no exit after SIGTERM:\n" + daemon.logText());
            assertEquals(0, daemon.process().exitValue(), "exit code after SIGTERM:\n" + daemon.logText());
            assertFalse(DaemonProcess.mounted(mnt), "stale mount after SIGTERM");
            for (int w = 0; w < n; w++) {
                writers.get(w).join(20_000);
                assertFalse(writers.get(w).isAlive(), "writer " + w + " hangs");
                if (outcome[w].startsWith("wrote")) {
                    assertEquals("wrote " + data.length, outcome[w]);
                    assertArrayEquals(data, Files.readAllBytes(src.resolve("w" + w)), "an acknowledged write is in SOURCE");
                }
            }
            System.out.println("SIGTERM with writes in a slow backend: " + Arrays.toString(outcome));
        } finally {
            Commands.run("rm", "-rf", "--one-file-system", base.toString());
        }
    }
}
