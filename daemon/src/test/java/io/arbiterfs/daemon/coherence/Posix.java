package io.arbiterfs.daemon.coherence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.daemon.nativeio.Linux;
import io.arbiterfs.daemon.nativeio.Native;
import io.arbiterfs.daemon.nativeio.NativeString;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** The system calls the coherence tests make through the mount, with page-aligned buffers. */
final class Posix {
    static final LibC libc = Native.libc();
    static final int PAGE = 4096;

    private Posix() {}

    /** open(2); returns the fd or -errno. */
    static int open(Path p, int flags) {
        NativeString path = NativeString.of(p.toString());
        int fd = libc.open(path.address(), flags | Linux.O_CLOEXEC, 0644);
        int result = fd >= 0 ? fd : -Native.errno();
        java.lang.ref.Reference.reachabilityFence(path);
        return result;
    }

    static int openOk(Path p, int flags) {
        int fd = open(p, flags);
        assertTrue(fd >= 0, "open " + p + " failed with errno " + -fd);
        return fd;
    }

    static ByteBuffer aligned(int size) {
        return Native.alignedBuffer(size, PAGE);
    }

    static ByteBuffer filled(int size, byte value) {
        ByteBuffer b = aligned(size);
        for (int i = 0; i < size; i++) {
            b.put(i, value);
        }
        return b;
    }

    static void pwriteFully(int fd, ByteBuffer b, int length, long offset) {
        long n = libc.pwrite(fd, Native.address(b), length, offset);
        assertEquals(length, n, "pwrite at " + offset + " (errno " + (n < 0 ? Native.errno() : 0) + ")");
    }

    static void preadFully(int fd, ByteBuffer b, int length, long offset) {
        long n = libc.pread(fd, Native.address(b), length, offset);
        assertEquals(length, n, "pread at " + offset + " (errno " + (n < 0 ? Native.errno() : 0) + ")");
    }

    /** mmap(MAP_SHARED, read+write); returns the address or -errno. */
    static long mapShared(int fd, long length) {
        jnr.ffi.Pointer p = libc.mmap(null, length, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_SHARED, fd, 0);
        return p == null || p.address() == Linux.MAP_FAILED ? -Native.errno() : p.address();
    }

    static void close(int fd) {
        libc.close(fd);
    }
}
