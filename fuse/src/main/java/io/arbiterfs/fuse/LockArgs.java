package io.arbiterfs.fuse;

/** A lock in a GETLK or SETLK request. */
public interface LockArgs {
    /** Who holds the lock: an opaque id per open file description (flock) or per process (POSIX). */
    long owner();

    long start();

    /** The last byte, inclusive (OFFSET_MAX for "to the end"). */
    long end();

    /** F_RDLCK (0), F_WRLCK (1) or F_UNLCK (2). */
    int type();

    /** The locking process. */
    int pid();

    /** A flock(2) lock (whole file, owned by the open file description) rather than a POSIX record lock. */
    boolean isFlock();
}
