package io.arbiterfs.daemon.coherence;

import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.sys.Status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.testkit.sys.Commands;
import io.arbiterfs.testkit.sys.Syscalls;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A program writing to SOURCE directly (not through the mount) while a reader on the mount holds
 * the file open buffered: the daemon pushes the change to the kernel, so the reader sees it at once
 * even though its attributes (and so FUSE_AUTO_INVAL_DATA) would not expire for a minute. The
 * daemon's own writes push nothing.
 */
@Tag("mount")
class SourceChangeTest {
    private static final String LONG_CACHE = "attr_timeout=60,entry_timeout=60";
    private static final int LEN = 4 * Syscalls.PAGE;

    @Test
    void anotherProgramsWriteReachesAnOpenBufferedReader() throws Exception {
        try (MountFixture<?> m = Daemons.inJvm(LONG_CACHE).open()) {
            Path f = m.file("shared");
            Files.write(f, filled(LEN, (byte) 'a'));
            try (RandomAccessFile reader = new RandomAccessFile(f.toFile(), "r")) {
                assertArrayEquals(filled(LEN, (byte) 'a'), readAll(reader, LEN)); // now in the page cache

                overwriteInSource(m.source().resolve("shared"), "bbbbbbbb");
                await().atMost(3, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20))
                        .until(() -> new String(readAll(reader, 8), StandardCharsets.US_ASCII).equals("bbbbbbbb"));
                assertEquals('a', readAll(reader, LEN)[8], "the rest of the file is unchanged");

                appendInSource(m.source().resolve("shared"), Syscalls.PAGE);
                await().atMost(3, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20))
                        .until(() -> reader.length() == LEN + Syscalls.PAGE);
            }
            assertTrue(pushed(m) >= 2, "status counts the pushed changes: " + pushed(m));
        }
    }

    @Test
    void writesThroughTheMountPushNothing() throws Exception {
        try (MountFixture<?> m = Daemons.inJvm(LONG_CACHE).open()) {
            Path f = m.file("own");
            Files.write(f, filled(LEN, (byte) 'a'));
            try (RandomAccessFile reader = new RandomAccessFile(f.toFile(), "r");
                    RandomAccessFile writer = new RandomAccessFile(f.toFile(), "rw")) {
                readAll(reader, LEN);
                for (int i = 0; i < 200; i++) {
                    writer.seek((long) (i % 4) * Syscalls.PAGE);
                    writer.write(filled(100, (byte) ('c' + i % 3)));
                }
                writer.setLength(LEN / 2);
                int fd = Syscalls.openOk(f, Linux.O_RDWR | Linux.O_DIRECT);
                Syscalls.pwriteFully(fd, Syscalls.filled(Syscalls.PAGE, (byte) 'd'), Syscalls.PAGE, 0);
                Syscalls.close(fd);
            }
            // a (wrong) event would arrive within the watcher's 10 ms batches: none may be taken for a foreign change
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertEquals(0, pushed(m), "the daemon's own writes are not changes behind the kernel's back"));
        }
    }

    /** Without the watch the same reader keeps the old pages: the test above is not passing by accident. */
    @Test
    void withoutTheWatchTheReaderStaysStale() throws Exception {
        try (MountFixture<?> m = Daemons.inJvm(LONG_CACHE + ",nowatch_source").open()) {
            Path f = m.file("stale");
            Files.write(f, filled(LEN, (byte) 'a'));
            try (RandomAccessFile reader = new RandomAccessFile(f.toFile(), "r")) {
                readAll(reader, LEN);
                overwriteInSource(m.source().resolve("stale"), "bbbbbbbb");
                // longer than the watched case ever needed (its 3 s bound), and the reader keeps the old pages throughout
                await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                        .untilAsserted(() -> assertEquals("aaaaaaaa", new String(readAll(reader, 8), StandardCharsets.US_ASCII)));
            }
            assertEquals(-1, pushed(m));
        }
    }

    private static long pushed(MountFixture<?> m) {
        return Status.mount(m.mnt()).get("sourceChangesPushed").asLong();
    }

    /** Another process (the daemon runs in this JVM, whose own writes are ignored by design). */
    private static void overwriteInSource(Path file, String text) {
        Commands.sh("printf %s '" + text + "' | dd of='" + file + "' conv=notrunc status=none").ok();
    }

    private static void appendInSource(Path file, int bytes) {
        Commands.sh("head -c " + bytes + " /dev/zero >> '" + file + "'").ok();
    }

    private static byte[] readAll(RandomAccessFile r, int length) throws IOException {
        byte[] b = new byte[length];
        r.seek(0);
        r.readFully(b);
        return b;
    }

    private static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        Arrays.fill(b, value);
        return b;
    }
}
