package io.arbiterfs.testkit.sys;

import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls tests make through a mount, bound with jnr-ffi: paths and buffers as raw addresses (see {@link
 * Syscalls}), errno read with {@link io.arbiterfs.fuse.platform.Native#errno()} right after a failing call.
 */
public interface LibC {
    /** The process's libc, loaded on first use. */
    static LibC get() {
        return Holder.LIBC;
    }

    /** Lazy holder of the binding. */
    final class Holder {
        static final LibC LIBC = jnr.ffi.LibraryLoader.create(LibC.class).load("c");

        private Holder() {}
    }

    int open(long path, int flags, int mode);
    int close(int fd);
    @ssize_t long read(int fd, long buf, @size_t long count);
    @ssize_t long write(int fd, long buf, @size_t long count);
    @ssize_t long pread(int fd, long buf, @size_t long count, long offset);
    @ssize_t long pwrite(int fd, long buf, @size_t long count, long offset);
    int fcntl(int fd, int cmd, long arg);
    int fsync(int fd);
    int fdatasync(int fd);
    int ftruncate(int fd, long length);
    int fallocate(int fd, int mode, long offset, long len);
    long lseek(int fd, long offset, int whence);
    int flock(int fd, int operation);

    @ssize_t long getxattr(long path, long name, long value, @size_t long size);
    int setxattr(long path, long name, long value, @size_t long size, int flags);

    /**
     * Takes the hint address as a Pointer (pass null): jnr-ffi 2.2.19 garbles the sixth argument of a call whose six
     * parameters are all primitives.
     */
    jnr.ffi.Pointer mmap(jnr.ffi.Pointer addr, @size_t long length, int prot, int flags, int fd, long offset);
    int munmap(long addr, @size_t long length);
    int msync(long addr, @size_t long length, int flags);

    @IgnoreError int getuid();
    @IgnoreError int getgid();
}
