package io.arbiterfs.fuse.internal.nativeio;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls the engine itself makes (/dev/fuse IO, ioctls, mount(2)). Buffers and paths are raw
 * addresses so request buffers go to the kernel without a copy; errno comes from
 * {@link io.arbiterfs.fuse.platform.Native#errno()}.
 */
public interface Sys {
    static Sys get() {
        return Holder.SYS;
    }

    int open(long path, int flags, int mode);
    int close(int fd);
    @ssize_t long read(int fd, long buf, @size_t long count);
    @ssize_t long write(int fd, long buf, @size_t long count);
    @ssize_t long writev(int fd, long iov, int iovcnt);
    int ioctl(int fd, long request, long argp);
    int fstatat(int dirfd, long path, long statbuf, int flags);
    int mount(long source, long target, long fstype, long flags, long data);
    int umount2(long target, int flags);
    @IgnoreError int getuid();
    @IgnoreError int getgid();

    /** Loaded on first use. */
    final class Holder {
        static final Sys SYS = LibraryLoader.create(Sys.class).load("c");

        private Holder() {}
    }
}
