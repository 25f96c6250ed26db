package io.arbiterfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The enable_uring switch (on a stand-in file) and the io_uring fdinfo counters. */
class KernelUringTest {
    /** The head of /proc/PID/fdinfo/FD of one of passthrough_hp's rings on Linux 6.18, after a short fio run. */
    static final String FDINFO = "pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t22150\nSqMask:\t0xf\nSqHead:\t40326\n"
            + "SqTail:\t40326\nCachedSqHead:\t40326\nCqMask:\t0x1f\nCqHead:\t40317\nCqTail:\t40317\nCachedCqTail:\t40317\n";

    @Test
    void theRingIsOfferedOnlyWhileTheStartRuns(@TempDir Path dir) throws Exception {
        Path param = dir.resolve("enable_uring");
        Files.writeString(param, "N");
        String during = KernelUring.withRingOffered(param, () -> Files.readString(param));
        assertEquals("Y", during);
        assertEquals("N", Files.readString(param));
        IOException e = assertThrows(IOException.class, () -> KernelUring.withRingOffered(param, () -> {
            assertEquals("Y", Files.readString(param));
            throw new IOException("mount failed");
        }));
        assertEquals("mount failed", e.getMessage());
        assertEquals("N", Files.readString(param), "restored after a failed start too");
        KernelUring.restoreIfOffered(); // nothing is being started: a no-op
        assertEquals("N", Files.readString(param));
    }

    @Test
    void aKernelWithoutTheParameterIsAClearError(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> KernelUring.withRingOffered(dir.resolve("missing"), () -> "mounted"));
        assertTrue(e.getMessage().contains("CONFIG_FUSE_IO_URING"), e.getMessage());
    }

    @Test
    void completionsAreCqTailDifferencesPerRing() {
        assertEquals(40317, KernelUring.Rings.cqTail(FDINFO));
        assertThrows(IllegalArgumentException.class, () -> KernelUring.Rings.cqTail("pos:\t0\n"));
        KernelUring.Rings before = new KernelUring.Rings(Map.of(8, 14L, 9, 0xFFFF_FFF0L));
        KernelUring.Rings after = new KernelUring.Rings(Map.of(8, 24L, 9, 0x10L, 10, 5L));
        assertEquals(10 + 0x20 + 5, after.completionsSince(before), "the 32-bit tail wraps; a new ring counts from 0");
        assertEquals(3, after.count());
        assertEquals(0, KernelUring.Rings.of(ProcessHandle.current().pid()).count(), "this JVM holds no io_uring");
    }
}
