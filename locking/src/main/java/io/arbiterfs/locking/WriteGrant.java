package io.arbiterfs.locking;

/**
 * The result of {@link IoModeTable#beginWrite} or {@link IoModeTable#beginExclusive}: how the operation holds its
 * inode, or why it holds nothing. Close it when the operation is done (try-with-resources); closing twice, or closing
 * a grant that was not acquired, does nothing. A grant belongs to the thread that handles the request; it is not
 * thread-safe.
 *
 * <pre>{@code
 * try (WriteGrant g = table.beginWrite(node, WriteIntent.parallel(off, len), inode::size, deadline)) {
 *     if (!g.acquired()) return -EINTR;   // or retry; nothing is held
 *     pwrite(...);                        // alongside other SHARED writers, or alone if EXCLUSIVE
 * }
 * }</pre>
 */
public final class WriteGrant implements AutoCloseable {

    /** Whether the lock is held. */
    public enum Outcome { ACQUIRED, TIMED_OUT, INTERRUPTED }

    private InodeIoMode inode;
    private WriteLockMode mode;
    private ExclusiveReason reason;
    private Outcome outcome;
    private boolean closed;

    WriteGrant(InodeIoMode inode, WriteLockMode mode, ExclusiveReason reason, Outcome outcome) {
        arm(inode, mode, reason, outcome);
    }

    private WriteGrant() {
        closed = true;
    }

    /** An empty, closed grant for one thread to pass to every {@code begin…} call, which fills it in place. */
    public static WriteGrant reusable() {
        return new WriteGrant();
    }

    /** True once closed (or never filled in): then it may be passed to a {@code begin…} call again. */
    public boolean isClosed() {
        return closed;
    }

    WriteGrant arm(InodeIoMode inode, WriteLockMode mode, ExclusiveReason reason, Outcome outcome) {
        this.inode = inode;
        this.mode = mode;
        this.reason = reason;
        this.outcome = outcome;
        this.closed = false;
        return this;
    }

    /** True if the operation may run now. */
    public boolean acquired() {
        return outcome == Outcome.ACQUIRED;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** SHARED or EXCLUSIVE; for a failed grant, the side it was waiting for. */
    public WriteLockMode mode() {
        return mode;
    }

    /** Why EXCLUSIVE; {@code null} for SHARED. */
    public ExclusiveReason reason() {
        return reason;
    }

    public boolean shared() {
        return mode == WriteLockMode.SHARED;
    }

    /** Ends the operation: leaves the shared or exclusive side (row 19) and lets the inode go if it was the last user. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (acquired()) {
            if (mode == WriteLockMode.SHARED) {
                inode.leaveShared();
            } else {
                inode.leaveExclusive();
            }
        }
        inode.unpin();
    }

    @Override
    public String toString() {
        if (inode == null) {
            return "unused";
        }
        return acquired() ? (reason == null ? mode.toString() : mode + "(" + reason + ")") : outcome + " " + mode;
    }
}
