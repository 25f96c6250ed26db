package io.arbiterfs.daemon.nativeio;

import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls the daemon needs, bound with jnr-ffi.
 *
 * <p>Path and buffer arguments are raw addresses ({@code long}) so request names and payloads go
 * from the /dev/fuse buffer to the system call without a copy; names in FUSE requests are already
 * NUL-terminated. {@link NativeString} makes such an address from a Java string. errno is read with
 * {@link io.arbiterfs.fuse.platform.Native#errno()} right after a failing call.
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

    // file descriptors and IO
    int open(long path, int flags, int mode);
    int openat(int dirfd, long path, int flags, int mode);
    int close(int fd);
    @ssize_t long read(int fd, long buf, @size_t long count);
    @ssize_t long write(int fd, long buf, @size_t long count);
    @ssize_t long writev(int fd, long iov, int iovcnt);
    @ssize_t long pread(int fd, long buf, @size_t long count, long offset);
    @ssize_t long pwrite(int fd, long buf, @size_t long count, long offset);
    int ioctl(int fd, long request, long argp);
    int fcntl(int fd, int cmd, long arg);
    int fsync(int fd);
    int fdatasync(int fd);
    int syncfs(int fd);
    int ftruncate(int fd, long length);
    int fallocate(int fd, int mode, long offset, long len);
    long lseek(int fd, long offset, int whence);
    @ssize_t long copy_file_range(int fdIn, long offInPtr, int fdOut, long offOutPtr, @size_t long len, int flags);
    /**
     * The same call with pointer-typed offsets. Use this one: jnr-ffi 2.2.19 passes garbage as the
     * sixth argument of an all-primitive six-argument binding (the flags above arrive non-zero and
     * the kernel answers EINVAL); a Pointer parameter takes a different, correct invoker.
     */
    @ssize_t long copy_file_range(int fdIn, jnr.ffi.Pointer offIn, int fdOut, jnr.ffi.Pointer offOut, @size_t long len, int flags);
    int flock(int fd, int operation);
    int dup(int fd);

    // metadata, all relative to directory fds
    int fstatat(int dirfd, long path, long statbuf, int flags);
    int fstatvfs(int fd, long statvfsbuf);
    int mkdirat(int dirfd, long path, int mode);
    int mknodat(int dirfd, long path, int mode, long dev);
    int symlinkat(long target, int newdirfd, long linkpath);
    @ssize_t long readlinkat(int dirfd, long path, long buf, @size_t long bufsiz);
    int unlinkat(int dirfd, long path, int flags);
    int renameat2(int olddirfd, long oldpath, int newdirfd, long newpath, int flags);
    int linkat(int olddirfd, long oldpath, int newdirfd, long newpath, int flags);
    int fchmod(int fd, int mode);
    int fchmodat(int dirfd, long path, int mode, int flags);
    int fchownat(int dirfd, long path, int owner, int group, int flags);
    int utimensat(int dirfd, long path, long times, int flags);
    int faccessat(int dirfd, long path, int mode, int flags);

    // extended attributes (paths are /proc/self/fd/N of an inode's O_PATH fd)
    @ssize_t long getxattr(long path, long name, long value, @size_t long size);
    int setxattr(long path, long name, long value, @size_t long size, int flags);
    @ssize_t long listxattr(long path, long list, @size_t long size);
    int removexattr(long path, long name);

    // memory mappings (tests and tools that check mmap coherence)
    /**
     * Takes the hint address as a Pointer (pass null): jnr-ffi 2.2.19 garbles the sixth argument of a
     * call whose six parameters are all primitives (seen with strace on copy_file_range).
     */
    jnr.ffi.Pointer mmap(jnr.ffi.Pointer addr, @size_t long length, int prot, int flags, int fd, long offset);
    int munmap(long addr, @size_t long length);
    int msync(long addr, @size_t long length, int flags);

    // watching SOURCE for changes made by other programs (coherence/SourceWatcher)
    int fanotify_init(int flags, int eventFileFlags);
    int fanotify_mark(int fanotifyFd, int flags, long mask, int dirfd, long path);
    int name_to_handle_at(int dirfd, long path, long handle, long mountId, int flags);
    int poll(long fds, long nfds, int timeoutMillis);
    int fstatfs(int fd, long statfsbuf);

    // mounting
    int mount(long source, long target, long fstype, long flags, long data);
    int umount2(long target, int flags);

    /** Raw syscall; used for getdents64, which glibc wraps only as readdir. */
    long syscall(long number, long a1, long a2, long a3);

    @IgnoreError int getpid();
    @IgnoreError int getuid();
    @IgnoreError int getgid();
    @IgnoreError int umask(int mask);
}
