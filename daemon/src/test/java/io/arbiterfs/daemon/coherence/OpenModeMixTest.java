package io.arbiterfs.daemon.coherence;

import org.junit.jupiter.api.Tag;
import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.sys.Syscalls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.platform.Linux;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Opens of every kind on one inode, kept open together, in every order, with and without
 * passthrough: the kernel must accept every reply (a conflicting one fails open() with EIO), and
 * each handle must read and write.
 */
@Tag("mount")
class OpenModeMixTest {
    enum Kind { BUFFERED, DIRECT, DIRECT_TOGGLED_OFF, BUFFERED_TOGGLED_ON }

    static Stream<Arguments> orders() {
        List<Arguments> out = new ArrayList<>();
        Kind[] k = Kind.values();
        for (String opts : List.of("dio=auto", "passthrough", "dio=always")) {
            for (int a = 0; a < k.length; a++) {
                for (int b = 0; b < k.length; b++) {
                    for (int c = 0; c < k.length; c++) {
                        if (a != b && b != c && a != c) {
                            out.add(Arguments.of(opts, List.of(k[a], k[b], k[c])));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    private static int open(Path f, Kind kind) {
        int flags = switch (kind) {
            case BUFFERED, BUFFERED_TOGGLED_ON -> Linux.O_RDWR;
            case DIRECT, DIRECT_TOGGLED_OFF -> Linux.O_RDWR | Linux.O_DIRECT;
        };
        int fd = Syscalls.open(f, flags);
        assertTrue(fd >= 0, kind + " open failed with errno " + -fd);
        if (kind == Kind.DIRECT_TOGGLED_OFF) {
            assertEquals(0, Syscalls.libc.fcntl(fd, Linux.F_SETFL, 0));
        } else if (kind == Kind.BUFFERED_TOGGLED_ON) {
            assertEquals(0, Syscalls.libc.fcntl(fd, Linux.F_SETFL, Linux.O_DIRECT));
        }
        return fd;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("orders")
    void everyOrderOpensWithoutEio(String opts, List<Kind> order) throws Exception {
        try (MountFixture<?> m = Daemons.inJvm(opts).open()) {
            Path f = m.file("mixed");
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(16 * Syscalls.PAGE);
            }
            List<Integer> fds = new ArrayList<>();
            try {
                int i = 0;
                for (Kind kind : order) {
                    int fd = open(f, kind);
                    fds.add(fd);
                    ByteBuffer buf = Syscalls.filled(Syscalls.PAGE, (byte) ('A' + i));
                    Syscalls.pwriteFully(fd, buf, Syscalls.PAGE, (long) i * Syscalls.PAGE);
                    i++;
                }
                // every handle reads what every other wrote
                for (int fd : fds) {
                    for (int j = 0; j < order.size(); j++) {
                        ByteBuffer r = Syscalls.aligned(Syscalls.PAGE);
                        Syscalls.preadFully(fd, r, Syscalls.PAGE, (long) j * Syscalls.PAGE);
                        assertEquals((byte) ('A' + j), r.get(100), "handle " + fd + " page " + j);
                    }
                }
            } finally {
                fds.forEach(Syscalls::close);
            }
        }
    }
}
