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

    ArbitratedInode(long node) {
        this.node = node;
        this.mode = new InodeIoMode(node, history);
    }

    InodeSnapshot snapshot(boolean live) {
        return mode.snapshot(live, history);
    }
}
