package io.arbiterfs.daemon.arbitration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbiterfs.daemon.passthrough.OpenFile;
import io.arbiterfs.daemon.passthrough.PassthroughFs;
import io.arbiterfs.fuse.internal.dispatch.WireDriver;
import io.arbiterfs.fuse.platform.Linux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arbitration asks the file system for a file's size only when a direct write might extend it: writes within the
 * size it last heard of need no fstat, and every operation of the mount that may shrink the file makes it ask again.
 * Driven over the wire (the real dispatch table) on the passthrough, counting the size questions.
 */
class KnownSizeTest {
    private static final int SETATTR_SIZE = 1 << 3; // FATTR_SIZE
    private static final int SETATTR_FH = 1 << 6; // FATTR_FH
    private static final int FALLOC_FL_PUNCH_HOLE_KEEP_SIZE = 0x02 | 0x01;

    @TempDir
    Path src;
    private PassthroughFs passthrough;
    private final AtomicInteger sizeQuestions = new AtomicInteger();
    private WireDriver d;
    private long node;
    private long fh;

    @BeforeEach
    void mount() throws Exception {
        Files.write(src.resolve("f"), new byte[64 << 10]);
        passthrough = new PassthroughFs(src);
        ArbitrationFacts<OpenFile> counting = new ArbitrationFacts<>() {
            public boolean isRegularFile(long n, OpenFile file) { return passthrough.isRegularFile(n, file); }
            public long size(long n, OpenFile file) { sizeQuestions.incrementAndGet(); return passthrough.size(n, file); }
            public int backingFd(long n, OpenFile file) { return passthrough.backingFd(n, file); }
            public boolean known(long n) { return passthrough.known(n); }
            public Optional<String> path(long n) { return passthrough.path(n); }
        };
        d = new WireDriver(new IoModeArbiter<>(passthrough, counting, OpenPolicy.defaults()));
        node = d.lookup(WireDriver.ROOT, "f");
        fh = d.open(node, Linux.O_RDWR | Linux.O_DIRECT);
    }

    @AfterEach
    void unmount() {
        passthrough.destroy();
    }

    private void write(long offset, int length) {
        assertEquals(length, d.write(node, fh, offset, new byte[length]));
    }

    @Test
    void writesWithinTheKnownSizeAskNothing() {
        write(0, 4096);
        assertEquals(1, sizeQuestions.get(), "the first direct write asks");
        for (int i = 1; i < 16; i++) {
            write(i * 4096L, 4096);
        }
        assertEquals(1, sizeQuestions.get(), "writes inside 64 KiB were judged by the size already known");
    }

    @Test
    void aWriteBeyondTheKnownSizeAsksAgainAndTheFileGrows() throws Exception {
        write(0, 4096);
        write(64 << 10, 4096); // extends: asked again, then written exclusive
        assertEquals(2, sizeQuestions.get());
        assertEquals((64 << 10) + 4096, Files.size(src.resolve("f")));
        write(64 << 10, 4096); // the size known is still the 64 KiB from before the extension: asks, and learns 68 KiB
        assertEquals(3, sizeQuestions.get());
        write(66 << 10, 2048);
        assertEquals(3, sizeQuestions.get(), "68 KiB is known now");
    }

    @Test
    void truncateFallocateAndOpensForgetTheSize() throws Exception {
        write(0, 4096);
        assertEquals(1, sizeQuestions.get());
        // shrink to 8 KiB through the mount: the next write at 16 KiB extends and must be judged so
        assertEquals(0, d.setattr(node, SETATTR_SIZE | SETATTR_FH, fh, 8192, 0, 0, 0, 0, 0));
        write(16384, 4096);
        assertEquals(2, sizeQuestions.get(), "a truncate makes the arbitration ask again");
        assertEquals(20480, Files.size(src.resolve("f")));
        assertEquals(0, d.fallocate(node, fh, 0, 4096, FALLOC_FL_PUNCH_HOLE_KEEP_SIZE));
        write(0, 4096);
        assertEquals(3, sizeQuestions.get(), "after fallocate");
        long other = d.open(node, Linux.O_RDWR | Linux.O_DIRECT);
        write(0, 4096);
        assertEquals(4, sizeQuestions.get(), "after an open (which may have been O_TRUNC)");
        assertEquals(0, d.release(node, other));
    }
}
