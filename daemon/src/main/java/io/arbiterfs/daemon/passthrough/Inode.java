package io.arbiterfs.daemon.passthrough;

import io.arbiterfs.fuse.platform.Linux;

/**
 * One file of the source tree as the kernel knows it: a node id, an O_PATH fd that pins the file
 * (whatever its names become), and the kernel's lookup count. The count and the forgotten flag
 * change only under this object's monitor, so a lookup can never revive an inode whose fd is being
 * closed.
 */
public final class Inode {
    private final long nodeId;
    private final int fd;
    private final long dev;
    private final long ino;
    private final int type; // st_mode & S_IFMT: a file's type never changes
    private long lookups;
    private boolean forgotten;

    Inode(long nodeId, int fd, long dev, long ino, int mode) {
        this.nodeId = nodeId;
        this.fd = fd;
        this.dev = dev;
        this.ino = ino;
        this.type = mode & Linux.S_IFMT;
        this.lookups = 1;
    }

    public long nodeId() {
        return nodeId;
    }

    /** The O_PATH|O_NOFOLLOW fd; valid until the inode is forgotten. */
    public int fd() {
        return fd;
    }

    public long dev() {
        return dev;
    }

    public long ino() {
        return ino;
    }

    /** The file type bits (S_IFMT part of st_mode). */
    public int type() {
        return type;
    }

    public boolean isDirectory() {
        return type == Linux.S_IFDIR;
    }

    public boolean isSymlink() {
        return type == Linux.S_IFLNK;
    }

    public boolean isRegular() {
        return type == Linux.S_IFREG;
    }

    /** Adds one lookup unless the inode is already forgotten (then the caller must make a new one). */
    synchronized boolean acquire() {
        if (forgotten) {
            return false;
        }
        lookups++;
        return true;
    }

    /** Drops {@code n} lookups; true exactly once, when the count reaches 0 and the fd must be closed. */
    synchronized boolean release(long n) {
        if (forgotten) {
            return false;
        }
        lookups -= n;
        if (lookups > 0) {
            return false;
        }
        forgotten = true;
        return true;
    }

    synchronized long lookups() {
        return lookups;
    }

    @Override
    public String toString() {
        return "Inode{" + nodeId + ", fd " + fd + ", " + dev + ":" + ino + "}";
    }
}
