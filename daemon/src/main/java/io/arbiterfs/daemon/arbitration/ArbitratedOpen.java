package io.arbiterfs.daemon.arbitration;

/**
 * One open file as the arbitration answered it: the wrapped file system's own handle, the inode's arbitration state,
 * and what the reply said, so a WRITE decides its lock from this object alone and a RELEASE undoes exactly what the
 * open counted.
 *
 * @param <F> the wrapped file system's handle type
 */
public final class ArbitratedOpen<F> {
    /** How the open is counted in the inode's IO-mode state. */
    enum Kind { NONE, CACHED, DIRECT, PASSTHROUGH }

    final F inner;
    final ArbitratedInode inode; // null for files IO modes do not concern (Kind.NONE)
    final Kind kind;
    final boolean parallel;
    final boolean direct;
    final boolean append;
    final boolean watched;

    ArbitratedOpen(F inner, ArbitratedInode inode, Kind kind, boolean parallel, boolean direct, boolean append,
                   boolean watched) {
        this.inner = inner;
        this.inode = inode;
        this.kind = kind;
        this.parallel = parallel;
        this.direct = direct;
        this.append = append;
        this.watched = watched;
    }

    /** The wrapped file system's handle. */
    public F inner() {
        return inner;
    }

    @Override
    public String toString() {
        return kind + (direct ? " direct" : "") + (parallel ? " parallel" : "") + " open of node "
                + (inode == null ? "?" : Long.toString(inode.node));
    }
}
