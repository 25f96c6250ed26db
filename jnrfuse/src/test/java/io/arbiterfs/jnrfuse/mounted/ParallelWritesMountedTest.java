package io.arbiterfs.jnrfuse.mounted;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Four concurrent O_DIRECT writers on one file of {@link BarrierFs}, whose write() returns only when four writes are
 * inside it at once: they meet with {@code -o parallel_dio} on the bridge (FOPEN_PARALLEL_DIRECT_WRITES), and on
 * the bridge's default and on stock jnr-fuse / libfuse 2 the kernel sends them one at a time, so every write times
 * out. The mount's status shows the peak of 4 parallel writes; a policy file can pin the file to parallel writes.
 */
@Tag("mount")
class ParallelWritesMountedTest {
    private Path mountpoint;

    @BeforeEach
    void mountpoint() throws IOException {
        mountpoint = Files.createTempDirectory("jnrfuse-barrier");
    }

    @AfterEach
    void removeMountpoint() throws IOException {
        Files.deleteIfExists(mountpoint);
    }

    /** What four concurrent direct writers of 4 KiB at different offsets got: bytes written or the error. */
    private static List<String> fourDirectWriters(Path file) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(BarrierFs.PARTIES);
        try {
            List<CompletableFuture<String>> writes = new ArrayList<>();
            for (int i = 0; i < BarrierFs.PARTIES; i++) {
                long offset = i * 65536L;
                writes.add(CompletableFuture.supplyAsync(() -> {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
                        ByteBuffer b = ByteBuffer.allocateDirect(2 * 4096).alignedSlice(4096).limit(4096);
                        return "wrote " + ch.write(b, offset);
                    } catch (IOException e) {
                        return "failed: " + e.getMessage();
                    }
                }, pool));
            }
            List<String> outcomes = new ArrayList<>();
            for (CompletableFuture<String> w : writes) {
                outcomes.add(w.get(4 * BarrierFs.WAIT_MS + 30_000, TimeUnit.MILLISECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String stats(Path root) throws IOException {
        return Files.readString(root.resolve("stats"), StandardCharsets.US_ASCII).trim();
    }

    /** {@code ./arbiterfs status MOUNTPOINT [PATH]}: the daemon's own status command, path-based getxattr (no open). */
    private static String status(Path mountpoint, String... paths) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.arbiterfs.daemon.cli.Main", "status", mountpoint.toString()));
        cmd.addAll(List.of(paths));
        Commands.Result r = Commands.runIn(null, cmd, 60);
        assertEquals(0, r.exitCode(), r.output());
        return r.output();
    }

    private static List<String> all(String outcome) {
        return java.util.Collections.nCopies(BarrierFs.PARTIES, outcome);
    }

    @Test
    void withParallelDioTheFourWritesMeetInsideTheFileSystem() throws Exception {
        try (ChildMount m = ChildMount.bridge(mountpoint, BarrierFs.class, "parallel_dio")) {
            Path data = mountpoint.resolve("data");
            assertEquals(all("wrote 4096"), fourDirectWriters(data), m.log());
            assertEquals("peak=4 met=4 timedout=0", stats(mountpoint));
            String status = status(mountpoint, "data");
            assertTrue(status.contains("parallel writes: 0 in flight, peak 4"),
                    "./arbiterfs status shows the peak of 4 parallel writes:\n" + status);
            String mountStatus = status(mountpoint);
            assertTrue(mountStatus.contains("peak on one file 4"), mountStatus);
            m.closeCleanly();
        }
    }

    @Test
    void aPolicyFilePinsOneFileToParallelWritesWithoutTheOption() throws Exception {
        Path policy = Files.createTempFile("jnrfuse", ".policy");
        try {
            Files.writeString(policy, "# BarrierFs\ndata parallel\n");
            try (ChildMount m = ChildMount.bridge(mountpoint, BarrierFs.class, "policy=" + policy)) {
                assertEquals(all("wrote 4096"), fourDirectWriters(mountpoint.resolve("data")), m.log());
                assertEquals("peak=4 met=4 timedout=0", stats(mountpoint));
                m.closeCleanly();
            }
        } finally {
            Files.delete(policy);
        }
    }

    @Test
    void byDefaultTheBridgeLetsTheKernelSerializeTheWritesAndTheBarrierTimesOut() throws Exception {
        try (ChildMount m = ChildMount.bridge(mountpoint, BarrierFs.class)) {
            List<String> outcomes = fourDirectWriters(mountpoint.resolve("data"));
            assertEquals(all("failed: Connection timed out"), outcomes, m.log());
            assertEquals("peak=1 met=0 timedout=4", stats(mountpoint), "one write at a time reached the file system");
            m.closeCleanly();
        }
    }

    @Test
    void onStockJnrFuseTheWritesComeOneAtATimeAndTheBarrierTimesOut() throws Exception {
        try (ChildMount m = ChildMount.stock(mountpoint, BarrierFs.class)) {
            List<String> outcomes = fourDirectWriters(mountpoint.resolve("data"));
            assertEquals(all("failed: Connection timed out"), outcomes, m.log());
            assertEquals("peak=1 met=0 timedout=4", stats(mountpoint), "one write at a time reached the file system");
            m.closeCleanly();
        }
    }
}
