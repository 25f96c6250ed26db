package io.arbiterfs.daemon.arbitration;

import io.arbiterfs.locking.InodeIoMode;
import io.arbiterfs.locking.InodeSnapshot;
import io.arbiterfs.locking.IoModeHistory;

/**
 * Everything the arbitration keeps about one inode, in one object: its IO-mode state and write lock, their history,
 * the passthrough backing id, and how many opens and operations hold it. Open handles point at it, so a WRITE reaches
 * it without a lookup. It exists while something holds it, and while it has a backing id (until the kernel forgets
 * the node): {@link IoModeArbiter} creates and retires it under its map's per-key lock, which also guards
 * {@link #users} and {@link #backingId}.
 */
final class ArbitratedInode {
    final long node;
    final IoModeHistory history = new IoModeHistory();
    final InodeIoMode mode;
    /** Counted opens plus operations in progress (truncate, fallocate, …); changed under the map's key lock. */
    int users;
    /** The registered backing id, 0 if none: one per inode, kept until FORGET (see IoModeArbiter#backingFor). */
    volatile int backingId;
    /**
     * The file's size when the file system was last asked, or {@link #SIZE_UNKNOWN}: a direct write that ends within
     * it is non-extending without asking again. It can only be low (the file grew since, by an extending write or the
     * page cache: the next write that looks extending asks again), except when another program shrinks the backing
     * file behind the mount. Every operation of the mount that can shrink the file forgets it: SETATTR(size),
     * FALLOCATE, COPY_FILE_RANGE into it, and every open (O_TRUNC). Written with the write lock shared or exclusive.
     */
    volatile long knownSize = SIZE_UNKNOWN;
    static final long SIZE_UNKNOWN = -1;

    ArbitratedInode(long node) {
        this.node = node;
        this.mode = new InodeIoMode(node, history);
    }

    InodeSnapshot snapshot(boolean live) {
        return mode.snapshot(live, history);
    }
}
