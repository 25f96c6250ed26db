package io.arbiterfs.daemon.passthrough;

import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.NativeString;
import io.arbiterfs.fuse.platform.StatBuffer;
import java.nio.ByteBuffer;

/**
 * Per-thread native scratch memory for system call arguments (stat buffers, /proc paths, timespecs,
 * offsets), so a request allocates nothing off-heap. Each region is reused by the next call on the
 * same thread: use a value before asking for the next one of the same kind.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    private static final int PROC_PATH = 0; // "/proc/self/fd/" + up to 10 digits + NUL < 64
    private static final int TIMES = 64; // struct timespec[2], 32 bytes
    private static final int OFFSETS = 96; // two loff_t for copy_file_range
    private static final int STATVFS = 128; // struct statvfs, 112 bytes
    private static final int SIZE = 256;
    private static final byte[] PROC_PREFIX = "/proc/self/fd/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Address of "" for AT_EMPTY_PATH calls; the static field keeps its memory alive. */
    private static final NativeString EMPTY = NativeString.of("");
    static final long EMPTY_PATH = EMPTY.address();

    final StatBuffer stat = new StatBuffer();
    private final ByteBuffer buf = Native.buffer(SIZE);
    private final long address = Native.address(buf);

    static Scratch get() {
        return PER_THREAD.get();
    }

    /** NUL-terminated "/proc/self/fd/{fd}": reopens, or names for path-only calls, the file behind fd. */
    long procPath(int fd) {
        buf.put(PROC_PATH, PROC_PREFIX);
        int at = PROC_PATH + PROC_PREFIX.length;
        String digits = Integer.toString(fd);
        for (int i = 0; i < digits.length(); i++) {
            buf.put(at++, (byte) digits.charAt(i));
        }
        buf.put(at, (byte) 0);
        return address + PROC_PATH;
    }

    /** A struct timespec[2] {atime, mtime}; nsec may be UTIME_NOW or UTIME_OMIT. */
    long times(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) {
        buf.putLong(TIMES, atimeSec);
        buf.putLong(TIMES + 8, atimeNsec);
        buf.putLong(TIMES + 16, mtimeSec);
        buf.putLong(TIMES + 24, mtimeNsec);
        return address + TIMES;
    }

    /** Address of the first of two in/out loff_t values; the second is 8 bytes later. */
    long offsets(long first, long second) {
        buf.putLong(OFFSETS, first);
        buf.putLong(OFFSETS + 8, second);
        return address + OFFSETS;
    }

    long statvfsAddress() {
        return address + STATVFS;
    }

    // struct statvfs, x86-64: unsigned long fields at 8-byte strides
    long statvfsBsize() { return buf.getLong(STATVFS); }
    long statvfsFrsize() { return buf.getLong(STATVFS + 8); }
    long statvfsBlocks() { return buf.getLong(STATVFS + 16); }
    long statvfsBfree() { return buf.getLong(STATVFS + 24); }
    long statvfsBavail() { return buf.getLong(STATVFS + 32); }
    long statvfsFiles() { return buf.getLong(STATVFS + 40); }
    long statvfsFfree() { return buf.getLong(STATVFS + 48); }
    long statvfsNamemax() { return buf.getLong(STATVFS + 80); }
}
