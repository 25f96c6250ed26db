package io.arbiterfs.daemon.reliability;

import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.daemon.nativeio.Linux;
import io.arbiterfs.daemon.nativeio.Native;
import io.arbiterfs.daemon.nativeio.NativeString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Raw system calls through the mount, returning -errno instead of throwing, so tests see the exact errno. */
final class Sys {
    static final LibC libc = Native.libc();
    static final int PAGE = 4096;

    private Sys() {}

    /** open(2) with mode 0644; the fd or -errno. */
    static int open(Path p, int flags) {
        NativeString path = NativeString.of(p.toString());
        int fd = libc.open(path.address(), flags | Linux.O_CLOEXEC, 0644);
        int result = fd >= 0 ? fd : -Native.errno();
        java.lang.ref.Reference.reachabilityFence(path);
        return result;
    }

    static int openOk(Path p, int flags) {
        int fd = open(p, flags);
        if (fd < 0) {
            throw new AssertionError("open " + p + ": errno " + -fd);
        }
        return fd;
    }

    static long pwrite(int fd, ByteBuffer b, int length, long offset) {
        long n = libc.pwrite(fd, Native.address(b), length, offset);
        return n >= 0 ? n : -Native.errno();
    }

    static long pread(int fd, ByteBuffer b, int length, long offset) {
        long n = libc.pread(fd, Native.address(b), length, offset);
        return n >= 0 ? n : -Native.errno();
    }

    static int fsync(int fd) {
        return libc.fsync(fd) == 0 ? 0 : -Native.errno();
    }

    static ByteBuffer filled(int size, byte value) {
        ByteBuffer b = Native.alignedBuffer(size, PAGE);
        for (int i = 0; i < size; i++) {
            b.put(i, value);
        }
        return b;
    }

    /** getxattr(2) of a status attribute as text. */
    static String xattr(Path p, String name) {
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
}
