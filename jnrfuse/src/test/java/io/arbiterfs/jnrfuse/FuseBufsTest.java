package io.arbiterfs.jnrfuse;

import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ru.serce.jnrfuse.struct.FuseBufvec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.arbiterfs.jnrfuse.LibFuse2Abi.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fuse_buf_size} / {@code fuse_buf_copy} as {@link JavaLibFuse} answers them (libfuse 2.9 lib/buffer.c). */
class FuseBufsTest {
    private final Runtime runtime = Runtime.getSystemRuntime();

    /** A vector of {@code sizes.length} buffers; memory buffers get their own zeroed memory. */
    private Pointer vector(long... sizes) {
        Pointer vector = runtime.getMemoryManager().allocateDirect(BUFVEC_BUF + sizes.length * BUF_SIZE, true);
        vector.putLong(BUFVEC_COUNT, sizes.length);
        for (int i = 0; i < sizes.length; i++) {
            long buf = BUFVEC_BUF + (long) i * BUF_SIZE;
            vector.putLong(buf + BUF_SIZE_FIELD, sizes[i]);
            vector.putInt(buf + BUF_FD, -1);
            if (sizes[i] > 0 && sizes[i] != -1L) {
                vector.putAddress(buf + BUF_MEM, runtime.getMemoryManager().allocateDirect((int) sizes[i], true).address());
            }
        }
        return vector;
    }

    private Pointer memOf(Pointer vector, int index) {
        return Pointer.wrap(runtime, vector.getAddress(BUFVEC_BUF + (long) index * BUF_SIZE + BUF_MEM));
    }

    private static FuseBufvec struct(Pointer vector) {
        return FuseBufvec.of(vector);
    }

    @Test
    void sizeAddsUpAndSaturatesAtSizeMax() {
        assertEquals(15, JavaLibFuse.instance().fuse_buf_size(struct(vector(3, 5, 7))));
        assertEquals(-1L, JavaLibFuse.instance().fuse_buf_size(struct(vector(3, -1L, 7))));
    }

    @Test
    void memoryToMemoryAcrossBufferBoundariesAdvancesBothVectors() {
        Pointer src = vector(3, 5);
        memOf(src, 0).put(0, "abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
        memOf(src, 1).put(0, "defgh".getBytes(StandardCharsets.US_ASCII), 0, 5);
        Pointer dst = vector(2, 10);
        long copied = JavaLibFuse.instance().fuse_buf_copy(struct(dst), struct(src), 0);
        assertEquals(8, copied);
        assertEquals("ab", memOf(dst, 0).getString(0, 2, StandardCharsets.US_ASCII));
        assertEquals("cdefgh", memOf(dst, 1).getString(0, 6, StandardCharsets.US_ASCII));
        assertEquals(2, src.getLong(BUFVEC_IDX)); // source exhausted
        assertEquals(1, dst.getLong(BUFVEC_IDX));
        // as in libfuse: the copy that exhausts the source does not advance the destination (short-circuit)
        assertEquals(1, dst.getLong(BUFVEC_OFF));
    }

    @Test
    void memoryToAndFromASeekingFileDescriptor(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data");
        Files.writeString(file, "0123456789");
        jnr.posix.POSIX posix = jnr.posix.POSIXFactory.getNativePOSIX();
        int fd = posix.open(file.toString(), jnr.constants.platform.OpenFlags.O_RDWR.intValue(), 0);
        assertTrue(fd >= 0, "open failed: errno " + posix.errno());
        try {
            Pointer fdVector = vector(4);
            long buf = BUFVEC_BUF;
            fdVector.putInt(buf + BUF_FLAGS, BUF_IS_FD | BUF_FD_SEEK);
            fdVector.putInt(buf + BUF_FD, fd);
            fdVector.putLong(buf + BUF_POS, 3);
            Pointer mem = vector(4);
            assertEquals(4, JavaLibFuse.instance().fuse_buf_copy(struct(mem), struct(fdVector), 0));
            assertEquals("3456", memOf(mem, 0).getString(0, 4, StandardCharsets.US_ASCII));

            Pointer source = vector(2);
            memOf(source, 0).put(0, "XY".getBytes(StandardCharsets.US_ASCII), 0, 2);
            Pointer target = vector(2);
            target.putInt(buf + BUF_FLAGS, BUF_IS_FD | BUF_FD_SEEK);
            target.putInt(buf + BUF_FD, fd);
            target.putLong(buf + BUF_POS, 8);
            assertEquals(2, JavaLibFuse.instance().fuse_buf_copy(struct(target), struct(source), 0));
        } finally {
            posix.close(fd);
        }
        assertEquals("01234567XY", Files.readString(file));
    }

    @Test
    void aBadDescriptorBeforeAnyCopyIsANegativeErrno() {
        Pointer fdVector = vector(4);
        fdVector.putInt(BUFVEC_BUF + BUF_FLAGS, BUF_IS_FD | BUF_FD_SEEK);
        fdVector.putInt(BUFVEC_BUF + BUF_FD, 1_000_000);
        assertEquals(-ru.serce.jnrfuse.ErrorCodes.EBADF(), JavaLibFuse.instance().fuse_buf_copy(struct(vector(4)), struct(fdVector), 0));
    }
}
