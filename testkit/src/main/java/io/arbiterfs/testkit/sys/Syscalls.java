package io.arbiterfs.testkit.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.NativeString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Raw system calls that tests make through a mount, with page-aligned buffers for O_DIRECT. The
 * plain forms return -errno instead of throwing, so a test sees the exact errno; the *Ok / *Fully
 * forms assert success.
 */
public final class Syscalls {
    public static final LibC libc = LibC.get();
    public static final int PAGE = 4096;

    private Syscalls() {}

    /** open(2) with mode 0644; the fd or -errno. */
    public static int open(Path p, int flags) {
        NativeString path = NativeString.of(p.toString());
        int fd = libc.open(path.address(), flags | Linux.O_CLOEXEC, 0644);
        int result = fd >= 0 ? fd : -Native.errno();
        java.lang.ref.Reference.reachabilityFence(path);
        return result;
    }

    public static int openOk(Path p, int flags) {
        int fd = open(p, flags);
        if (fd < 0) {
            throw new AssertionError("open " + p + " failed with errno " + -fd);
        }
        return fd;
    }

    public static void close(int fd) {
        libc.close(fd);
    }

    public static ByteBuffer aligned(int size) {
        return Native.alignedBuffer(size, PAGE);
    }

    public static ByteBuffer filled(int size, byte value) {
        ByteBuffer b = aligned(size);
        for (int i = 0; i < size; i++) {
            b.put(i, value);
        }
        return b;
    }

    public static long pwrite(int fd, ByteBuffer b, int length, long offset) {
        long n = libc.pwrite(fd, Native.address(b), length, offset);
        return n >= 0 ? n : -Native.errno();
    }

    public static long pread(int fd, ByteBuffer b, int length, long offset) {
        long n = libc.pread(fd, Native.address(b), length, offset);
        return n >= 0 ? n : -Native.errno();
    }

    public static void pwriteFully(int fd, ByteBuffer b, int length, long offset) {
        assertEquals(length, pwrite(fd, b, length, offset), "pwrite at " + offset + " (negative: -errno)");
    }

    public static void preadFully(int fd, ByteBuffer b, int length, long offset) {
        assertEquals(length, pread(fd, b, length, offset), "pread at " + offset + " (negative: -errno)");
    }

    public static int fsync(int fd) {
        return libc.fsync(fd) == 0 ? 0 : -Native.errno();
    }

    /** mmap(MAP_SHARED, read+write); the address or -errno. */
    public static long mapShared(int fd, long length) {
        jnr.ffi.Pointer p = libc.mmap(null, length, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_SHARED, fd, 0);
        return p == null || p.address() == Linux.MAP_FAILED ? -Native.errno() : p.address();
    }

    /** getxattr(2) as text (the daemon's status attributes); fails the test on an error. */
    public static String xattr(Path p, String name) {
        ByteBuffer buf = Native.buffer(64 * 1024);
        NativeString path = NativeString.of(p.toString());
        NativeString attr = NativeString.of(name);
        long n = libc.getxattr(path.address(), attr.address(), Native.address(buf), buf.capacity());
        int e = Native.errno();
        java.lang.ref.Reference.reachabilityFence(path);
        java.lang.ref.Reference.reachabilityFence(attr);
        if (n < 0) {
            throw new AssertionError("getxattr " + name + " on " + p + ": errno " + e);
        }
        byte[] b = new byte[(int) n];
        buf.get(0, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** setxattr(2) of a one-byte value; 0 or -errno. */
    public static int setxattr(Path p, String name) {
        ByteBuffer one = Native.buffer(1).put(0, (byte) '1');
        NativeString path = NativeString.of(p.toString());
        NativeString attr = NativeString.of(name);
        int rc = libc.setxattr(path.address(), attr.address(), Native.address(one), 1, 0);
        int result = rc == 0 ? 0 : -Native.errno();
        java.lang.ref.Reference.reachabilityFence(path);
        java.lang.ref.Reference.reachabilityFence(attr);
        return result;
    }
}
