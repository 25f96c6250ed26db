package io.arbiterfs.daemon.reliability;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.sys.Status;
import io.arbiterfs.testkit.sys.Commands;
import io.arbiterfs.testkit.sys.Syscalls;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.platform.Linux;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The daemon runs in this JVM, so its descriptors, threads and heap are this process's: 20,000
 * files open at once and many thousands of inodes looked up and forgotten must leave them where
 * they started, and max_threads bounds the request threads and what runs at once.
 *
 * <p>The inode count defaults to 50,000 to keep CI short; {@code -Darbiterfs.inodes=200000} runs
 * the full size (README "Reliability").
 */
@Tag("mount")
class ResourceBoundsTest {
    private static final int OPEN_FILES = 20_000;
    private static final int INODES = Integer.getInteger("arbiterfs.inodes", 50_000);

    @RegisterExtension
    final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvm("max_threads=3").mountpointAt("bounds-mnt");

    private static final int DISTINCT_FILES = 100;
    /** Opens the descriptor limit allows: the daemon (this JVM) holds a backing fd per open file. */
    private static int openFiles;

    /**
     * Needs RLIMIT_NOFILE above 20,000 plus what the JVM holds. As root with CAP_SYS_RESOURCE we
     * raise it; where the hard limit cannot be raised (a container without that capability) the
     * test opens as many files as the limit allows and says so, loudly, in its output.
     */
    @BeforeAll
    static void raiseDescriptorLimit() {
        Commands.run("prlimit", "--pid", Long.toString(ProcessHandle.current().pid()), "--nofile=100000:100000");
        int hard = hardNofile();
        openFiles = Math.min(OPEN_FILES, hard - openFds() - DISTINCT_FILES - 300);
        if (openFiles < OPEN_FILES) {
            System.out.println("ResourceBoundsTest: RLIMIT_NOFILE hard limit " + hard + " cannot be raised here"
                    + " (no CAP_SYS_RESOURCE): holding " + openFiles + " files open instead of " + OPEN_FILES);
        }
        assertTrue(openFiles >= 10_000, "descriptor limit " + hard + " too low for a meaningful run");
    }

    static int hardNofile() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return Integer.parseInt(line.substring(26).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no 'Max open files' in /proc/self/limits");
    }

    static int openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count() - 1;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private void awaitBaseline(int fdsBefore, int inodesBefore, long heapBefore, String what) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertEquals(0, fs.mounted().passthrough().openFileCount(), what + ": open handles");
            assertTrue(fs.mounted().passthrough().inodeCount() <= inodesBefore + 5,
                    what + ": inodes " + fs.mounted().passthrough().inodeCount() + ", were " + inodesBefore);
            assertTrue(openFds() <= fdsBefore + 5, what + ": fds " + openFds() + ", were " + fdsBefore);
        });
        long heap = heapAfterGc();
        assertTrue(heap < heapBefore + (48L << 20), what + ": heap " + (heap >> 20) + " MiB, was " + (heapBefore >> 20) + " MiB");
    }

    @Test
    @Timeout(240)
    void twentyThousandOpenFilesThenAllClosedReturnToBaseline() throws Exception {
        Path d = fs.dir("open");
        for (int i = 0; i < DISTINCT_FILES; i++) {
            Files.createFile(fs.backing(d).resolve("f" + i));
        }
        Files.list(d).close(); // a warm-up request, so lazily created fds exist before the baseline
        int fdsBefore = openFds();
        int inodesBefore = fs.mounted().passthrough().inodeCount();
        long heapBefore = heapAfterGc();
        // the opener is its own process with its own limit; it holds everything until told to close
        String script = "my @h; for my $i (0.." + (openFiles - 1) + ") { my $n = $i % " + DISTINCT_FILES
                + "; open(my $f, '<', \"$ARGV[0]/f$n\") or die \"open f$n: $!\"; push @h, $f } "
                + "$| = 1; print \"open\\n\"; <STDIN>; close($_) for @h; print \"closed\\n\";";
        // the opener is a process of its own; openFiles fits its limit (the same as ours) too
        Process p = new ProcessBuilder("perl", "-e", script, d.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                OutputStream stdin = p.getOutputStream()) {
            assertEquals("open", out.readLine(), "the opener died");
            assertEquals(openFiles, fs.mounted().passthrough().openFileCount(), "one daemon handle per open file");
            assertTrue(openFds() >= fdsBefore + openFiles, "a backing fd per open: " + openFds());
            stdin.write('\n');
            stdin.flush();
            assertEquals("closed", out.readLine());
        } finally {
            p.destroy();
            p.waitFor();
        }
        Commands.run("sh", "-c", "echo 2 > /proc/sys/vm/drop_caches").ok(); // FORGET what the kernel cached
        awaitBaseline(fdsBefore, inodesBefore, heapBefore, openFiles + " opens");
    }

    /**
     * Every live inode holds an O_PATH fd in the daemon (as in libfuse's passthrough_hp), so the
     * descriptor limit bounds how many the kernel may hold at once; the inodes are therefore looked
     * up in batches, each forgotten (drop_caches makes the kernel send FORGET) before the next.
     */
    @Test
    @Timeout(900)
    void inodesLookedUpThenForgottenReturnToBaseline() throws Exception {
        int batch = 10_000;
        Path d = fs.dir("many");
        Files.list(d).close();
        int fdsBefore = openFds();
        int inodesBefore = fs.mounted().passthrough().inodeCount();
        long heapBefore = heapAfterGc();
        long t0 = System.nanoTime();
        for (int done = 0; done < INODES; done += batch) {
            Path sub = Files.createDirectory(fs.backing(d).resolve("b" + done));
            for (int i = 0; i < batch; i++) {
                Files.createFile(sub.resolve("i" + i));
            }
            // find stats every entry: a LOOKUP (or READDIRPLUS entry) each, an O_PATH fd each in the daemon
            String count = Commands.run(Duration.ofSeconds(300), List.of("sh", "-c",
                    "find '" + d.resolve(sub.getFileName().toString()) + "' -type f -printf '%s\\n' | wc -l")).ok().out().strip();
            assertEquals(Integer.toString(batch), count);
            assertTrue(fs.mounted().passthrough().inodeCount() >= inodesBefore + batch * 9 / 10,
                    "the batch must have been live at once: " + fs.mounted().passthrough().inodeCount());
            Commands.run("sh", "-c", "echo 2 > /proc/sys/vm/drop_caches").ok();
            awaitBaseline(fdsBefore, inodesBefore + 1, Long.MAX_VALUE - (64L << 20), "batch at " + done);
            Commands.run("rm", "-rf", sub.toString()).ok();
        }
        Commands.run("sh", "-c", "echo 2 > /proc/sys/vm/drop_caches").ok();
        awaitBaseline(fdsBefore, inodesBefore, heapBefore, INODES + " inodes");
        System.out.printf("ResourceBoundsTest: %d inodes looked up and forgotten in %d s%n", INODES,
                (System.nanoTime() - t0) / 1_000_000_000L);
    }

    /** Request threads of this mount: Session names them fuse-<mountpoint name>-<i>. */
    static List<String> requestThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().matches("fuse-bounds-mnt-\\d+") && t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    @Timeout(60)
    void maxThreadsBoundsRequestThreadsAndConcurrentWrites() throws Exception {
        assertEquals(3, requestThreads().size(), "request threads: " + requestThreads());
        Path d = fs.dir("threads");
        // 12 parallel direct writers on one file: the kernel would let them all in, the daemon's 3 threads cannot
        Path f = d.resolve("shared");
        Files.write(fs.backing(f), new byte[12 << 20]);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 12; w++) {
            long region = (long) w << 20;
            writers.add(new Thread(() -> {
                int fd = Syscalls.openOk(f, Linux.O_RDWR | Linux.O_DIRECT);
                ByteBuffer b = Syscalls.filled(256 << 10, (byte) 1);
                for (int i = 0; i < 40; i++) {
                    Syscalls.pwrite(fd, b, b.capacity(), region + (i % 4) * (256L << 10));
                }
                Syscalls.libc.close(fd);
            }));
        }
        writers.forEach(Thread::start);
        int maxSeen = 0;
        while (writers.stream().anyMatch(Thread::isAlive)) {
            maxSeen = Math.max(maxSeen, requestThreads().size());
            Thread.sleep(5);
        }
        for (Thread t : writers) {
            t.join();
        }
        assertEquals(3, maxSeen, "request threads under load");
        int peak = Status.file(f).get("peakParallelWrites").asInt();
        assertTrue(peak >= 2 && peak <= 3, "12 writers, 3 threads: at most 3 WRITEs at once, saw " + peak);
    }
}
