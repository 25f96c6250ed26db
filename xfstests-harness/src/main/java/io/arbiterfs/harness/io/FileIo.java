package io.arbiterfs.harness.io;

import com.sun.nio.file.ExtendedOpenOption;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.NativeString;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The three ways the tests touch file data: buffered (page cache), direct (O_DIRECT, 4 KiB aligned)
 * and shared mappings (MAP_SHARED, msync), plus libc calls Java lacks (fallocate, growing truncate).
 */
public final class FileIo {
    /** The DIO alignment xfstests assumes on FUSE (no STATX_DIOALIGN): offsets, lengths and buffers. */
    public static final int DIO_ALIGN = 4096;

    private static final LibC libc = LibC.get();
    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private FileIo() {}

    public static FileChannel openBuffered(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    public static FileChannel openDirect(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT);
    }

    /** A direct buffer whose address is 4 KiB aligned, usable for O_DIRECT. */
    public static ByteBuffer aligned(int size) {
        return ByteBuffer.allocateDirect(size + DIO_ALIGN).alignedSlice(DIO_ALIGN).limit(size).slice();
    }

    /** pwrite of the whole buffer at {@code offset}; a short write is an error (regular files never write short). */
    public static void writeFully(FileChannel ch, ByteBuffer buf, long offset) throws IOException {
        ByteBuffer b = buf.duplicate().clear().limit(buf.limit());
        int len = b.remaining();
        int n = ch.write(b, offset);
        if (n != len) {
            throw new IOException("short write: " + n + " of " + len + " bytes at offset " + offset);
        }
    }

    /** pread into the whole buffer; returns the byte count, which is short only at EOF. */
    public static int read(FileChannel ch, ByteBuffer buf, long offset) throws IOException {
        ByteBuffer b = buf.duplicate().clear().limit(buf.limit());
        int total = 0;
        while (b.hasRemaining()) {
            int want = b.remaining();
            int n = ch.read(b, offset + total);
            if (n <= 0) {
                break;
            }
            total += n;
            if (n < want) {
                break; // short read of a regular file: EOF (and O_DIRECT could not continue unaligned anyway)
            }
        }
        return total;
    }

    /** A MAP_SHARED mapping of {@code [offset, offset + len)}; the range must lie inside the file. */
    public static MappedByteBuffer map(FileChannel ch, long offset, long len) throws IOException {
        return ch.map(FileChannel.MapMode.READ_WRITE, offset, len);
    }

    /** munmap now, rather than whenever the GC gets to it (a live mapping keeps the inode in cached mode). */
    public static void unmap(MappedByteBuffer m) {
        UNSAFE.invokeCleaner(m);
    }

    /** A libc descriptor for calls FileChannel lacks; close it with {@link #close(int)}. */
    public static int openFd(Path file, boolean direct) throws IOException {
        int flags = Linux.O_RDWR | Linux.O_CREAT | (direct ? Linux.O_DIRECT : 0);
        int fd = libc.open(NativeString.of(file.toString()).address(), flags, 0644);
        if (fd < 0) {
            throw errno("open " + file);
        }
        return fd;
    }

    public static void close(int fd) {
        libc.close(fd);
    }

    public static void fallocate(int fd, int mode, long offset, long len) throws IOException {
        if (libc.fallocate(fd, mode, offset, len) != 0) {
            throw errno(String.format("fallocate(mode=0x%x, %d, %d)", mode, offset, len));
        }
    }

    /** ftruncate: grows as well as shrinks (FileChannel.truncate only shrinks). */
    public static void truncate(int fd, long size) throws IOException {
        if (libc.ftruncate(fd, size) != 0) {
            throw errno("ftruncate(" + size + ")");
        }
    }

    public static void fsync(int fd) throws IOException {
        if (libc.fsync(fd) != 0) {
            throw errno("fsync");
        }
    }

    /** The errno of the last failed libc call, as an exception naming the call. */
    public static IOException errno(String call) {
        int e = Native.errno();
        return new ErrnoException(call + " failed: errno " + e, e);
    }

    /** A failed libc call; {@link #errno()} lets a test tell an expected EOPNOTSUPP from a failure. */
    public static final class ErrnoException extends IOException {
        private final int errno;

        ErrnoException(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
