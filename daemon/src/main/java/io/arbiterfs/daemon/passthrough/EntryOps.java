package io.arbiterfs.daemon.passthrough;

import java.time.Duration;
import io.arbiterfs.fuse.Entry;
import io.arbiterfs.fuse.Name;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.StatBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names inside directories: lookup and the operations that add or remove a name. Everything is an
 * *at() call on the parent's O_PATH fd with the kernel's NUL-terminated name; a new name is then
 * looked up like any other so it gets its inode (one lookup count) and fresh attributes.
 */
final class EntryOps {
    private static final Logger log = LoggerFactory.getLogger(EntryOps.class);
    private static final LibC libc = LibC.get();

    private final InodeTable inodes;
    private final Duration entryTimeout;
    private final Duration attrTimeout;

    EntryOps(InodeTable inodes, Duration entryTimeout, Duration attrTimeout) {
        this.inodes = inodes;
        this.entryTimeout = entryTimeout;
        this.attrTimeout = attrTimeout;
    }

    /** 0, or -EINVAL for a name that is empty, "." or "..", or contains '/'. */
    static int checkName(Name name) {
        if (name.length() == 0 || name.isDotOrDotDot() || name.containsSlash()) {
            log.debug("refused name '{}'", name);
            return -Errno.EINVAL;
        }
        return 0;
    }

    int lookup(Inode dir, Name name, Entry out) {
        if (name.length() == 0 || name.isDotOrDotDot()) {
            return -Errno.ENOENT; // never "..": above the root it would leave the source
        }
        if (name.containsSlash()) {
            return -Errno.EINVAL;
        }
        return lookupAt(dir, name.address(), out);
    }

    /** Opens dir/name O_PATH|O_NOFOLLOW and counts one lookup of it into {@code out}. */
    int lookupAt(Inode dir, long nameAddress, Entry out) {
        int fd = libc.openat(dir.fd(), nameAddress, Linux.O_PATH | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0);
        if (fd < 0) {
            return PassthroughFs.errnoResult();
        }
        return adopt(fd, out);
    }

    /** Counts one lookup of the file behind O_PATH fd {@code fd} (ownership passes) into {@code out}. */
    int adopt(int fd, Entry out) {
        StatBuffer st = Scratch.get().stat;
        if (libc.fstatat(fd, Scratch.EMPTY_PATH, st.address(), AttrOps.STAT_NOFOLLOW) < 0) {
            int rc = PassthroughFs.errnoResult();
            libc.close(fd);
            return rc;
        }
        Inode inode = inodes.adopt(fd, st);
        out.node(inode.nodeId())
                .generation(PassthroughFs.GENERATION)
                .entryValidFor(entryTimeout)
                .attributesValidFor(attrTimeout);
        Attrs.fill(out.attributes(), st);
        return 0;
    }

    /** Modes arrive with the caller's umask applied unless FUSE_DONT_MASK; masking again is harmless. */
    private static int masked(int mode, int umask) {
        return mode & ~(umask & 0777);
    }

    int mknod(Request req, Inode dir, Name name, int mode, int umask, int rdev, Entry out) {
        int rc = checkName(name);
        if (rc < 0) {
            return rc;
        }
        if (libc.mknodat(dir.fd(), name.address(), masked(mode, umask), rdev & 0xffffffffL) < 0) {
            return PassthroughFs.errnoResult();
        }
        return ownedLookup(req, dir, name, masked(mode, umask), out);
    }

    int mkdir(Request req, Inode dir, Name name, int mode, int umask, Entry out) {
        int rc = checkName(name);
        if (rc < 0) {
            return rc;
        }
        if (libc.mkdirat(dir.fd(), name.address(), masked(mode & 07777, umask)) < 0) {
            return PassthroughFs.errnoResult();
        }
        return ownedLookup(req, dir, name, Linux.S_IFDIR, out);
    }

    /** The target is stored as given; it is text to the daemon and never resolved here. */
    int symlink(Request req, Inode dir, Name name, Name target, Entry out) {
        int rc = checkName(name);
        if (rc < 0) {
            return rc;
        }
        if (libc.symlinkat(target.address(), dir.fd(), name.address()) < 0) {
            return PassthroughFs.errnoResult();
        }
        return ownedLookup(req, dir, name, Linux.S_IFLNK, out);
    }

    /** A freshly created entry: hand it to the caller, then look it up (a failed chown undoes nothing: it is reported). */
    private int ownedLookup(Request req, Inode dir, Name name, int mode, Entry out) {
        int rc = Owners.giveByName(req, dir.fd(), name.address(), mode);
        return rc < 0 ? rc : lookupAt(dir, name.address(), out);
    }

    int link(Inode inode, Inode dir, Name newName, Entry out) {
        int rc = checkName(newName);
        if (rc < 0) {
            return rc;
        }
        if (libc.linkat(inode.fd(), Scratch.EMPTY_PATH, dir.fd(), newName.address(), Linux.AT_EMPTY_PATH) < 0) {
            int errno = Native.errno();
            if (errno != Errno.EPERM && errno != Errno.EACCES) {
                return -errno;
            }
            // AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; the magic link names the same file without it
            long proc = Scratch.get().procPath(inode.fd());
            if (libc.linkat(Linux.AT_FDCWD, proc, dir.fd(), newName.address(), Linux.AT_SYMLINK_FOLLOW) < 0) {
                return PassthroughFs.errnoResult();
            }
        }
        return lookupAt(dir, newName.address(), out);
    }

    /** unlink (flags 0) or rmdir (AT_REMOVEDIR). Inodes stay: their fds pin the file until forgotten. */
    static int remove(Inode dir, Name name, int flags) {
        int rc = checkName(name);
        if (rc < 0) {
            return rc;
        }
        return libc.unlinkat(dir.fd(), name.address(), flags) < 0 ? PassthroughFs.errnoResult() : 0;
    }

    /** RENAME and RENAME2; flags (NOREPLACE, EXCHANGE, WHITEOUT) go to renameat2 unchanged. */
    static int rename(Inode from, Name name, Inode to, Name newName, int flags) {
        int rc = checkName(name);
        if (rc == 0) {
            rc = checkName(newName);
        }
        if (rc < 0) {
            return rc;
        }
        return libc.renameat2(from.fd(), name.address(), to.fd(), newName.address(), flags) < 0
                ? PassthroughFs.errnoResult()
                : 0;
    }
}
