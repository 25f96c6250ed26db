package io.arbiterfs.daemon.passthrough;

import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.StatBuffer;

/**
 * Data-path system calls on backing fds: positional reads and writes (never the fd's own offset, so
 * any number of workers may share one fd), open-flag translation and the suid/sgid kill.
 */
final class FileIo {
    private static final LibC libc = LibC.get();

    /**
     * User flags the backing open must not carry:
     * <ul>
     *   <li>O_DIRECT: FUSE keeps O_DIRECT semantics on its side (the FUSE inode's page cache is
     *       bypassed either way), but a backing O_DIRECT fd would demand aligned buffers and offsets
     *       from our request buffers, whose payload sits behind the request header, so most DIO
     *       sizes would fail with EINVAL (xfstests-notes §3.4).
     *   <li>O_APPEND: the kernel computes the append offset itself, under its exclusive inode lock,
     *       and sends it in every WRITE; a backing O_APPEND fd would ignore pwrite's offset on Linux
     *       and misplace writeback (FUSE_WRITE_CACHE) writes, which may use an appending fh.
     *   <li>O_CREAT/O_EXCL/O_NOCTTY: creation is CREATE's business; O_NOFOLLOW: a reopen goes through
     *       the /proc/self/fd magic link, which O_NOFOLLOW would refuse (it names the file itself,
     *       so nothing is followed anyway).
     * </ul>
     */
    private static final int NOT_FOR_BACKING =
            Linux.O_DIRECT | Linux.O_APPEND | Linux.O_CREAT | Linux.O_EXCL | Linux.O_NOCTTY | Linux.O_NOFOLLOW;

    private FileIo() {}

    /** Flags for reopening a file the user opened with {@code userFlags}; O_TRUNC, O_SYNC, O_DSYNC stay. */
    static int backingFlags(int userFlags) {
        return (userFlags & ~NOT_FOR_BACKING) | Linux.O_CLOEXEC;
    }

    /** Reads up to {@code length} bytes at {@code offset} into native memory; stops early only at EOF. */
    static long pread(int fd, long address, int length, long offset) {
        long done = 0;
        while (done < length) {
            long n = libc.pread(fd, address + done, length - done, offset + done);
            if (n < 0) {
                return done > 0 ? done : PassthroughFs.errnoResult();
            }
            if (n == 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    /** Writes all {@code length} bytes at {@code offset}; a partial count only if an error stopped it. */
    static long pwrite(int fd, long address, int length, long offset) {
        long done = 0;
        while (done < length) {
            long n = libc.pwrite(fd, address + done, length - done, offset + done);
            if (n < 0) {
                return done > 0 ? done : PassthroughFs.errnoResult();
            }
            if (n == 0) {
                return done > 0 ? done : -Errno.EIO;
            }
            done += n;
        }
        return done;
    }

    /** The size of the file behind {@code fd} (one fstat), or Long.MAX_VALUE if it cannot be had. */
    static long size(int fd) {
        StatBuffer st = Scratch.get().stat;
        return libc.fstatat(fd, Scratch.EMPTY_PATH, st.address(), Linux.AT_EMPTY_PATH) < 0 ? Long.MAX_VALUE : st.size();
    }

    /** fsync(2), or fdatasync(2) when {@code dataOnly}. */
    static int sync(int fd, boolean dataOnly) {
        int rc = dataOnly ? libc.fdatasync(fd) : libc.fsync(fd);
        return rc < 0 ? PassthroughFs.errnoResult() : 0;
    }

    /**
     * Clears S_ISUID, and S_ISGID when group-exec is set (a set-gid bit without it marks mandatory
     * locking and stays, as in the kernel), on a regular file opened as {@code fd}. The kernel asks
     * for this (WRITE_KILL_SUIDGID, OPEN_KILL_SUIDGID, FATTR_KILL_SUIDGID) when the writer lacks
     * CAP_FSETID; a root daemon's own writes would not clear the bits.
     */
    static int killSuidSgid(int fd) {
        StatBuffer st = Scratch.get().stat;
        if (libc.fstatat(fd, Scratch.EMPTY_PATH, st.address(), Linux.AT_EMPTY_PATH) < 0) {
            return PassthroughFs.errnoResult();
        }
        int mode = st.mode();
        if (!Linux.isRegular(mode)) {
            return 0;
        }
        int kill = mode & Linux.S_ISUID;
        if ((mode & Linux.S_ISGID) != 0 && (mode & Linux.S_IXGRP) != 0) {
            kill |= Linux.S_ISGID;
        }
        if (kill == 0) {
            return 0;
        }
        long proc = Scratch.get().procPath(fd); // works for O_PATH fds too, unlike fchmod
        return libc.fchmodat(Linux.AT_FDCWD, proc, (mode & 07777) & ~kill, 0) < 0 ? PassthroughFs.errnoResult() : 0;
    }

}
