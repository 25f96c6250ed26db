package io.arbiterfs.jnrfuse;

import com.kenai.jffi.MemoryIO;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

import static io.arbiterfs.jnrfuse.LibFuse2Abi.*;

/**
 * {@code fuse_buf_size} and {@code fuse_buf_copy} in Java, with libfuse 2.9's semantics ({@code lib/buffer.c}):
 * buffers are walked from each vector's {@code idx}/{@code off}, which the copy advances; a copy stops at the
 * end of either vector or at the first short transfer; an error is returned only if nothing was copied yet.
 * Memory buffers are moved with memmove; file-descriptor buffers are read and written with (p)read/(p)write,
 * repeated only under {@code FUSE_BUF_FD_RETRY}; descriptor to descriptor goes through a bounce buffer
 * (libfuse would splice when allowed; the result is the same bytes).
 */
final class FuseBufs {
    private static final MemoryIO IO = MemoryIO.getInstance();
    private static final int BOUNCE_SIZE = 64 * 1024;

    /** The few libc calls descriptor buffers need; loaded through jnr-ffi's own provider. */
    public interface LibC {
        @SaveError long read(int fd, Pointer buf, long count);

        @SaveError long write(int fd, Pointer buf, long count);

        @SaveError long pread(int fd, Pointer buf, long count, long offset);

        @SaveError long pwrite(int fd, Pointer buf, long count, long offset);
    }

    private static final class LibCHolder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).failImmediately().load("c");
    }

    private FuseBufs() {}

    private static long bufAt(long vector, long index) {
        return vector + BUFVEC_BUF + index * BUF_SIZE;
    }

    /** Sum of all buffer sizes of the vector at {@code vector}; SIZE_MAX if any buffer's size is SIZE_MAX. */
    static long size(long vector) {
        long count = IO.getLong(vector + BUFVEC_COUNT);
        long total = 0;
        boolean unbounded = false;
        for (long i = 0; i < count; i++) {
            long size = IO.getLong(bufAt(vector, i) + BUF_SIZE_FIELD);
            if (size == -1L) {
                unbounded = true;
            } else {
                total += size;
            }
        }
        return unbounded ? -1L : total;
    }

    /** Copies from {@code srcVector} to {@code dstVector}; bytes copied, or a negative errno if none were. */
    static long copy(long dstVector, long srcVector) {
        if (dstVector == srcVector) {
            return size(dstVector);
        }
        long copied = 0;
        while (true) {
            long srcIdx = IO.getLong(srcVector + BUFVEC_IDX), dstIdx = IO.getLong(dstVector + BUFVEC_IDX);
            if (Long.compareUnsigned(srcIdx, IO.getLong(srcVector + BUFVEC_COUNT)) >= 0
                    || Long.compareUnsigned(dstIdx, IO.getLong(dstVector + BUFVEC_COUNT)) >= 0) {
                break;
            }
            long src = bufAt(srcVector, srcIdx), dst = bufAt(dstVector, dstIdx);
            long srcOff = IO.getLong(srcVector + BUFVEC_OFF), dstOff = IO.getLong(dstVector + BUFVEC_OFF);
            long srcLen = IO.getLong(src + BUF_SIZE_FIELD) - srcOff, dstLen = IO.getLong(dst + BUF_SIZE_FIELD) - dstOff;
            long len = Long.compareUnsigned(srcLen, dstLen) <= 0 ? srcLen : dstLen;
            long res = copyOne(dst, dstOff, src, srcOff, len);
            if (res < 0) {
                return copied == 0 ? res : copied;
            }
            copied += res;
            if (!advance(srcVector, res) || !advance(dstVector, res) || res < len) {
                break;
            }
        }
        return copied;
    }

    /** Moves the vector's position on by {@code len}; false once it has passed its last buffer. */
    private static boolean advance(long vector, long len) {
        long idx = IO.getLong(vector + BUFVEC_IDX);
        long off = IO.getLong(vector + BUFVEC_OFF) + len;
        IO.putLong(vector + BUFVEC_OFF, off);
        if (off == IO.getLong(bufAt(vector, idx) + BUF_SIZE_FIELD)) {
            IO.putLong(vector + BUFVEC_IDX, ++idx);
            if (idx == IO.getLong(vector + BUFVEC_COUNT)) {
                return false;
            }
            IO.putLong(vector + BUFVEC_OFF, 0);
        }
        return true;
    }

    private static boolean isFd(long buf) {
        return (IO.getInt(buf + BUF_FLAGS) & BUF_IS_FD) != 0;
    }

    private static long copyOne(long dst, long dstOff, long src, long srcOff, long len) {
        boolean srcFd = isFd(src), dstFd = isFd(dst);
        if (!srcFd && !dstFd) {
            long to = IO.getAddress(dst + BUF_MEM) + dstOff, from = IO.getAddress(src + BUF_MEM) + srcOff;
            if (to != from) {
                IO.memmove(to, from, len);
            }
            return len;
        }
        if (!srcFd) {
            return fdTransfer(dst, dstOff, IO.getAddress(src + BUF_MEM) + srcOff, len, true);
        }
        if (!dstFd) {
            return fdTransfer(src, srcOff, IO.getAddress(dst + BUF_MEM) + dstOff, len, false);
        }
        return fdToFd(dst, dstOff, src, srcOff, len);
    }

    /** Writes memory at {@code mem} to the fd buffer {@code fdBuf} (or reads it from there when !toFd). */
    private static long fdTransfer(long fdBuf, long fdOff, long mem, long len, boolean toFd) {
        LibC libc = LibCHolder.LIBC;
        Runtime runtime = Runtime.getSystemRuntime();
        int fd = IO.getInt(fdBuf + BUF_FD);
        int flags = IO.getInt(fdBuf + BUF_FLAGS);
        long copied = 0;
        while (len > 0) {
            Pointer memory = Pointer.wrap(runtime, mem + copied);
            long res;
            if ((flags & BUF_FD_SEEK) != 0) {
                long position = IO.getLong(fdBuf + BUF_POS) + fdOff + copied;
                res = toFd ? libc.pwrite(fd, memory, len, position) : libc.pread(fd, memory, len, position);
            } else {
                res = toFd ? libc.write(fd, memory, len) : libc.read(fd, memory, len);
            }
            if (res < 0) {
                return copied == 0 ? -runtime.getLastError() : copied;
            }
            if (res == 0) {
                break;
            }
            copied += res;
            len -= res;
            if ((flags & BUF_FD_RETRY) == 0) {
                break;
            }
        }
        return copied;
    }

    private static long fdToFd(long dst, long dstOff, long src, long srcOff, long len) {
        Pointer bounce = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(BOUNCE_SIZE, false);
        long copied = 0;
        while (len > 0) {
            long chunk = Math.min(len, BOUNCE_SIZE);
            long read = fdTransfer(src, srcOff + copied, bounce.address(), chunk, false);
            if (read <= 0) {
                return copied == 0 ? read : copied;
            }
            long written = fdTransfer(dst, dstOff + copied, bounce.address(), read, true);
            if (written <= 0) {
                return copied == 0 ? written : copied;
            }
            copied += written;
            len -= written;
            if (written < chunk) {
                break;
            }
        }
        return copied;
    }
}
