package io.arbiterfs.daemon.passthrough;

import java.time.Duration;
import io.arbiterfs.fuse.AttributeReply;
import io.arbiterfs.fuse.SetAttributes;
import io.arbiterfs.fuse.ReplyBuffer;
import io.arbiterfs.fuse.FsStats;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.StatBuffer;

/**
 * Metadata of one inode: stat, SETATTR's mode/owner/size/times, readlink, access and statfs. Calls
 * that take an O_PATH fd use it with AT_EMPTY_PATH; calls that refuse O_PATH fds go through the
 * /proc/self/fd/N magic link, which names the file itself (for a symlink: the link, not its target).
 */
final class AttrOps {
    private static final LibC libc = LibC.get();
    static final int STAT_NOFOLLOW = Linux.AT_EMPTY_PATH | Linux.AT_SYMLINK_NOFOLLOW;

    private final Duration attrTimeout;

    AttrOps(Duration attrTimeout) {
        this.attrTimeout = attrTimeout;
    }

    /** Fresh attributes of the file behind {@code fd} (any kind of fd) into {@code out}. */
    int statInto(int fd, AttributeReply out) {
        StatBuffer st = Scratch.get().stat;
        if (libc.fstatat(fd, Scratch.EMPTY_PATH, st.address(), STAT_NOFOLLOW) < 0) {
            return PassthroughFs.errnoResult();
        }
        out.validFor(attrTimeout);
        Attrs.fill(out.attributes(), st);
        return 0;
    }

    /** Applies mode, owner, size, then times (a truncate would move mtime), then answers fresh attributes. */
    int setattr(Inode inode, OpenFile f, SetAttributes in, AttributeReply out) {
        Scratch scratch = Scratch.get();
        if (in.setsMode()) {
            int mode = in.mode() & 07777;
            int rc;
            if (f != null) {
                rc = libc.fchmod(f.fd(), mode);
            } else if (inode.isSymlink()) {
                return -Errno.EOPNOTSUPP; // Linux has no symlink permissions to change
            } else {
                rc = libc.fchmodat(Linux.AT_FDCWD, scratch.procPath(inode.fd()), mode, 0);
            }
            if (rc < 0) {
                return PassthroughFs.errnoResult();
            }
        }
        if (in.setsUid() || in.setsGid()) {
            int uid = in.setsUid() ? in.uid() : -1;
            int gid = in.setsGid() ? in.gid() : -1;
            if (libc.fchownat(inode.fd(), Scratch.EMPTY_PATH, uid, gid, STAT_NOFOLLOW) < 0) {
                return PassthroughFs.errnoResult();
            }
        }
        if (in.setsSize()) {
            int rc = truncate(inode, f, in.size());
            if (rc < 0) {
                return rc;
            }
        }
        if (in.setsAtime() || in.setsMtime() || in.atimeNow() || in.mtimeNow()) {
            long times = scratch.times(
                    in.setsAtime() ? in.atimeSeconds() : 0, timeNanos(in.setsAtime(), in.atimeNow(), in.atimeNanos()),
                    in.setsMtime() ? in.mtimeSeconds() : 0, timeNanos(in.setsMtime(), in.mtimeNow(), in.mtimeNanos()));
            // AT_EMPTY_PATH on the O_PATH fd: the file itself, symlinks included, never a target
            if (libc.utimensat(inode.fd(), Scratch.EMPTY_PATH, times, STAT_NOFOLLOW) < 0) {
                return PassthroughFs.errnoResult();
            }
        }
        if (in.killSuidGid() && !in.setsMode()) {
            int rc = FileIo.killSuidSgid(inode.fd());
            if (rc < 0) {
                return rc;
            }
        }
        return statInto(inode.fd(), out);
    }

    /** timespec.tv_nsec for one of atime/mtime: UTIME_NOW, the given time, or UTIME_OMIT (unchanged). */
    private static long timeNanos(boolean set, boolean now, int nanos) {
        if (now) {
            return Linux.UTIME_NOW;
        }
        return set ? nanos : Linux.UTIME_OMIT;
    }

    private static int truncate(Inode inode, OpenFile f, long size) {
        if (f != null) {
            return libc.ftruncate(f.fd(), size) < 0 ? PassthroughFs.errnoResult() : 0;
        }
        if (inode.isDirectory()) {
            return -Errno.EISDIR;
        }
        if (!inode.isRegular()) {
            return -Errno.EINVAL;
        }
        int fd = libc.open(Scratch.get().procPath(inode.fd()), Linux.O_WRONLY | Linux.O_CLOEXEC, 0);
        if (fd < 0) {
            return PassthroughFs.errnoResult();
        }
        int rc = libc.ftruncate(fd, size) < 0 ? PassthroughFs.errnoResult() : 0;
        libc.close(fd);
        return rc;
    }

    static int readlink(Inode inode, ReplyBuffer out) {
        if (!inode.isSymlink()) {
            return -Errno.EINVAL; // as readlink(2); readlinkat(fd, "") would say ENOENT
        }
        long n = libc.readlinkat(inode.fd(), Scratch.EMPTY_PATH, out.address(), out.capacity());
        return n < 0 ? PassthroughFs.errnoResult() : (int) n;
    }

    static int access(Inode inode, int mask) {
        long path = Scratch.get().procPath(inode.fd());
        return libc.faccessat(Linux.AT_FDCWD, path, mask, 0) < 0 ? PassthroughFs.errnoResult() : 0;
    }

    /** fstatvfs accepts the O_PATH fd; any inode answers for the file system it lives on. */
    static int statfs(Inode inode, FsStats out) {
        Scratch s = Scratch.get();
        if (libc.fstatvfs(inode.fd(), s.statvfsAddress()) < 0) {
            return PassthroughFs.errnoResult();
        }
        out.blocks(s.statvfsBlocks())
                .freeBlocks(s.statvfsBfree())
                .availableBlocks(s.statvfsBavail())
                .files(s.statvfsFiles())
                .freeFiles(s.statvfsFfree())
                .blockSize((int) s.statvfsBsize())
                .maxNameLength((int) s.statvfsNamemax())
                .fragmentSize((int) s.statvfsFrsize());
        return 0;
    }
}
