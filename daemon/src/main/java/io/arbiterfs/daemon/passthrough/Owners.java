package io.arbiterfs.daemon.passthrough;

import io.arbiterfs.fuse.Request;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.StatBuffer;

/**
 * New files belong to whoever asked for them. A root daemon creates everything as root, so after
 * each create it hands the entry to the caller's uid, and to the caller's gid unless the directory
 * is setgid (then the backing file system already gave it the directory's group, as it would for
 * the caller). Done by fd or by name in the parent directory, never through a path, so no symlink
 * is followed. A daemon that is not root cannot give files away and leaves them as created.
 */
final class Owners {
    private static final LibC libc = LibC.get();
    private static final boolean ROOT = libc.getuid() == 0;

    private Owners() {}

    private static boolean needed(Request req) {
        return ROOT && req != null && (req.uid() != 0 || req.gid() != 0);
    }

    private static int groupFor(Request req, int dirFd) {
        StatBuffer st = Scratch.get().stat;
        if (libc.fstatat(dirFd, Scratch.EMPTY_PATH, st.address(), Linux.AT_EMPTY_PATH) == 0
                && (st.mode() & Linux.S_ISGID) != 0) {
            return -1; // inherited from the setgid directory
        }
        return req.gid();
    }

    /** Gives the entry {@code name} of {@code dirFd} to the caller; chown clears suid/sgid, so they are put back. */
    static int giveByName(Request req, int dirFd, long name, int mode) {
        if (!needed(req)) {
            return 0;
        }
        if (libc.fchownat(dirFd, name, req.uid(), groupFor(req, dirFd), Linux.AT_SYMLINK_NOFOLLOW) < 0) {
            return PassthroughFs.errnoResult();
        }
        if ((mode & (Linux.S_ISUID | Linux.S_ISGID)) != 0 && (mode & Linux.S_IFMT) != Linux.S_IFLNK) {
            libc.fchmodat(dirFd, name, mode & 07777, 0);
        }
        return 0;
    }

    /** Gives an open new file to the caller. */
    static int giveByFd(Request req, int dirFd, int fd, int mode) {
        if (!needed(req)) {
            return 0;
        }
        if (libc.fchownat(fd, Scratch.EMPTY_PATH, req.uid(), groupFor(req, dirFd), Linux.AT_EMPTY_PATH) < 0) {
            return PassthroughFs.errnoResult();
        }
        if ((mode & (Linux.S_ISUID | Linux.S_ISGID)) != 0) {
            libc.fchmod(fd, mode & 07777);
        }
        return 0;
    }
}
