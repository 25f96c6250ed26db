package io.arbiterfs.locking;

/**
 * Receives one inode's history from its {@link InodeIoMode}: called under that inode's lock, on opens, releases,
 * drains and exclusive acquisitions, never on the shared-write fast path. Keep it quick and non-blocking; it must
 * not call back into the inode.
 */
public interface IoModeObserver {
    /** Records nothing. */
    IoModeObserver NONE = new IoModeObserver() {};

    /** A transition-table row happened: the mode went from {@code from} to {@code to}, caused by {@code who}. */
    default void transition(TransitionTable.Row row, IoMode from, IoMode to, Caller who) {}

    /** An exclusive write-side operation took the inode for {@code reason}. */
    default void exclusive(ExclusiveReason reason) {}

    /** A cached opener waited {@code nanos} for parallel writes to drain; {@code gaveUp} if it timed out or was interrupted. */
    default void drained(long nanos, boolean gaveUp) {}

    /** {@code who} took the inode out of parallel mode (a cached open or page-cache writeback). */
    default void pushedOut(Caller who) {}
}
