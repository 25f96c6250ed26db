package io.arbiterfs.daemon.it;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The daemon runs in this JVM, so its descriptors are this process's: /proc/self/fd must come back
 * to where it started after many create/open/write/close/unlink cycles.
 */
@Tag("mount")
class ResourceTest {
    @RegisterExtension
    final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvm(); // a mount of its own: nothing else runs on it

    private static final int CYCLES = 10_000;
    private static final int SLACK = 5;

    static int openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count() - 1; // the listing's own directory fd
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Timeout(120)
    void createOpenWriteCloseUnlinkCyclesLeakNoDescriptors() throws IOException {
        Path d = fs.dir("cycles");
        byte[] payload = "some bytes for the backing file\n".getBytes(StandardCharsets.US_ASCII);
        cycle(d, "warmup", 200, payload); // let lazily created JVM/daemon fds (threads, buffers) appear first
        awaitSettled();
        int before = openFds();
        int inodesBefore = fs.mounted().passthrough().inodeCount();

        cycle(d, "c", CYCLES, payload);

        // RELEASE is sent asynchronously after close(2) returns: the last ones may still be in flight
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals(0, fs.mounted().passthrough().openFileCount(), "open file handles in the daemon after all closes"));
        // FORGETs for the unlinked inodes arrive asynchronously: give them a moment
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            int after = openFds();
            assertTrue(after <= before + SLACK, "daemon fds grew from " + before + " to " + after + " over "
                    + CYCLES + " cycles (inodes " + fs.mounted().passthrough().inodeCount() + ", was " + inodesBefore + ")");
        });
        assertTrue(fs.mounted().passthrough().inodeCount() <= inodesBefore + SLACK,
                "live inodes grew from " + inodesBefore + " to " + fs.mounted().passthrough().inodeCount());
        try (Stream<Path> s = Files.list(fs.backing(d))) {
            assertEquals(0, s.count(), "every file was unlinked");
        }
    }

    @Test
    @Timeout(60)
    void directoryHandlesAndLookupsDoNotLeak() throws IOException {
        Path d = fs.dir("dirs");
        for (int i = 0; i < 50; i++) {
            Files.createFile(d.resolve("f" + i));
        }
        awaitSettled();
        int before = openFds();
        for (int i = 0; i < 2_000; i++) {
            try (Stream<Path> s = Files.list(d)) {
                assertEquals(50, s.count());
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals(0, fs.mounted().passthrough().openDirCount(), "open directory handles after all closedir"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertTrue(openFds() <= before + SLACK, "fds grew from " + before + " to " + openFds()));
    }

    private static void cycle(Path d, String prefix, int n, byte[] payload) throws IOException {
        for (int i = 0; i < n; i++) {
            Path f = d.resolve(prefix + i);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(payload));
            }
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(payload), payload.length);
                ByteBuffer b = ByteBuffer.allocate(payload.length);
                if (ch.read(b, 0) != payload.length) {
                    throw new AssertionError("short read in cycle " + i);
                }
            }
            Files.delete(f);
        }
    }

    /** Waits until the descriptor count stops moving (pending RELEASE/FORGET processed). */
    private static void awaitSettled() {
        int[] last = {-1};
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            int now = openFds();
            boolean same = now == last[0];
            last[0] = now;
            return same;
        });
    }
}
