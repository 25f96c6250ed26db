package io.arbiterfs.locking;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The IO modes and direct-write locks of all inodes of one mount: the server's mirror of the kernel's per-inode IO-mode
 * state machine (contract §2), plus the lock that lets non-extending direct writes run in parallel (§3.2).
 *
 * <h2>How the daemon uses it</h2>
 * <ul>
 *   <li><b>OPEN/CREATE</b>: pick the call by the reply flags you intend to send, and send what the decision says:
 *       no DIRECT_IO, no PASSTHROUGH → {@link #cachedOpen}; PASSTHROUGH → {@link #passthroughOpen};
 *       DIRECT_IO without PASSTHROUGH → {@link #directOpen}. A counted open ({@link OpenDecision#counted()}) needs
 *       exactly one release of the kind it ended up as: {@link OpenDecision#passthrough()} → {@link #passthroughRelease},
 *       otherwise the release matching the call.</li>
 *   <li><b>Direct WRITE</b>: {@link #beginWrite}, do the write, close the grant.</li>
 *   <li><b>SETATTR(size), FALLOCATE, COPY_FILE_RANGE destination</b>: {@link #beginExclusive}, close the grant.</li>
 *   <li><b>WRITE with FUSE_WRITE_CACHE</b>: {@link #notePageCacheWrite} (a shared mmap or writeback is active).</li>
 *   <li><b>Status</b>: {@link #snapshot}, {@link #snapshots}.</li>
 * </ul>
 * Every call is thread-safe. Calls that may wait take an absolute deadline in {@link System#nanoTime()} terms (see
 * {@link #deadlineIn}), {@link #NO_WAIT} or {@link #NO_DEADLINE}; timeouts and interrupts come back as values and leave no trace in the
 * state.
 *
 * <h2>Memory</h2>
 * An inode has an entry only while it has users: counted opens, writes in flight, waiters. The last user removes it;
 * its final snapshot is kept in a small list of recently closed inodes for the status command.
 */
public final class IoModeTable {
    /** A deadline meaning "do not wait at all". */
    public static final long NO_WAIT = Long.MIN_VALUE;

    /**
     * A deadline meaning "wait until woken" (still interruptible), like the kernel's own wait. Prefer a bounded
     * deadline in the daemon; this exists for callers that must mirror the kernel, and for model checking.
     */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final int DEFAULT_RECENTLY_CLOSED = 64;

    private final ConcurrentHashMap<Long, InodeIoMode> live = new ConcurrentHashMap<>();
    private final Map<Long, InodeSnapshot> recentlyClosed;

    /** A table keeping the final snapshots of the last 64 inodes that lost their last user. */
    public IoModeTable() {
        this(DEFAULT_RECENTLY_CLOSED);
    }

    /** @param recentlyClosedCapacity how many final snapshots of unused inodes to keep (0: none) */
    public IoModeTable(int recentlyClosedCapacity) {
        if (recentlyClosedCapacity < 0) {
            throw new IllegalArgumentException("recentlyClosedCapacity < 0");
        }
        this.recentlyClosed = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, InodeSnapshot> eldest) {
                return size() > recentlyClosedCapacity;
            }
        };
    }

    /** The deadline {@code timeout} from now, for the {@code deadlineNanos} parameters. */
    public static long deadlineIn(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    // --------------------------------------------------------------------------------------------------- opens

    /**
     * A cached open (reply without DIRECT_IO and PASSTHROUGH), rows 1–5. If parallel writes are in flight, waits
     * for them (and only them: new writes go exclusive meanwhile) until {@code deadlineNanos}.
     *
     * @return GRANTED; MUST_USE_PASSTHROUGH if the inode has (or got, while waiting) a backing id, in which case the
     *     open is counted as a passthrough open; TIMED_OUT / INTERRUPTED if the wait ended first (nothing counted)
     */
    public OpenDecision cachedOpen(long node, Caller who, long deadlineNanos) {
        return countedOpen(node, s -> s.cachedOpen(who, deadlineNanos));
    }

    /** Releases one cached open (row 7). Returns false if the inode had none (nothing changed). */
    public boolean cachedRelease(long node, Caller who) {
        return release(node, s -> s.cachedRelease(who));
    }

    /**
     * A passthrough open with {@code backingId} (rows 8–13). Never waits.
     *
     * @return GRANTED (answer with {@code backingId}); MUST_USE_PASSTHROUGH if the inode already uses another id:
     *     counted against that id, answer with it and close yours; CONFLICT(CACHED_USERS) while cached users exist,
     *     CONFLICT(INVALID_BACKING_ID) for an id &le; 0 (nothing counted)
     */
    public OpenDecision passthroughOpen(long node, int backingId, Caller who) {
        return countedOpen(node, s -> s.passthroughOpen(backingId, who));
    }

    /** Releases one passthrough open (row 14); says whether the backing id should be closed now. */
    public PassthroughRelease passthroughRelease(long node, Caller who) {
        InodeIoMode s = existing(node);
        if (s == null) {
            return PassthroughRelease.notOpen();
        }
        PassthroughRelease r;
        try {
            r = s.passthroughRelease(who);
        } finally {
            s.unpin();
        }
        if (r.wasOpen()) {
            s.unpin();
        }
        return r;
    }

    /**
     * A direct-IO open without passthrough (rows 15, 16): counted for status, no mode change. On a passthrough inode
     * the answer is MUST_USE_PASSTHROUGH (counted as a passthrough open).
     */
    public OpenDecision directOpen(long node, Caller who) {
        return countedOpen(node, s -> s.directOpen(who));
    }

    /** Releases one direct-IO open. Returns false if the inode had none. */
    public boolean directRelease(long node, Caller who) {
        return release(node, s -> s.directRelease(who));
    }

    // --------------------------------------------------------------------------------------------------- writes

    /**
     * Starts one direct WRITE (§3.2, rows 17–19). SHARED when the open allows parallel writes, it is not O_APPEND,
     * it ends within {@code serverSize} (asked before and again after joining the shared side), and the inode is
     * neither CACHED nor DRAINING; otherwise EXCLUSIVE with the reason. Waits (until {@code deadlineNanos}) only
     * behind exclusive operations, and, if exclusive, for the shared writes in flight.
     *
     * @param serverSize the server's current file size; called without any lock of ours held by this thread's
     *                   exclusive side, so it must be cheap and must not call back into this table
     * @return a grant to close when the write is done; if not {@link WriteGrant#acquired()}, nothing is held
     */
    public WriteGrant beginWrite(long node, WriteIntent intent, LongSupplier serverSize, long deadlineNanos) {
        return beginWrite(node, intent, serverSize, deadlineNanos, null);
    }

    /**
     * {@link #beginWrite(long, WriteIntent, LongSupplier, long)} filling in {@code reuse} (a closed
     * {@link WriteGrant#reusable()} grant of this thread, or null for a new one) and returning it.
     */
    public WriteGrant beginWrite(long node, WriteIntent intent, LongSupplier serverSize, long deadlineNanos,
            WriteGrant reuse) {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(serverSize, "serverSize");
        requireClosed(reuse);
        InodeIoMode s = pinned(node);
        WriteGrant g;
        try {
            g = s.beginWrite(intent, serverSize, deadlineNanos, reuse);
        } catch (RuntimeException | Error e) {
            s.unpin();
            throw e;
        }
        return heldOrReleased(g);
    }

    /**
     * Starts an operation that must run alone on the inode: truncate, fallocate, the destination of copy_file_range
     * (or any other {@link ExclusiveReason}). Waits for the shared writes in flight; FIFO among exclusive operations.
     */
    public WriteGrant beginExclusive(long node, ExclusiveReason reason, long deadlineNanos) {
        Objects.requireNonNull(reason, "reason");
        InodeIoMode s = pinned(node);
        WriteGrant g;
        try {
            g = s.beginExclusive(reason, deadlineNanos, null);
        } catch (RuntimeException | Error e) {
            s.unpin();
            throw e;
        }
        return heldOrReleased(g);
    }

    /**
     * A WRITE with FUSE_WRITE_CACHE arrived: the kernel has page-cache users of this inode (a shared mmap of a
     * direct-IO file, row 6). From now on direct writes go exclusive and passthrough opens are refused, until the
     * inode's last open is released. Returns false if ignored (no open on the inode, or a passthrough inode, which has
     * no page cache).
     */
    public boolean notePageCacheWrite(long node) {
        InodeIoMode s = existing(node);
        if (s == null) {
            return false;
        }
        try {
            return s.notePageCacheWrite();
        } finally {
            s.unpin();
        }
    }

    // --------------------------------------------------------------------------------------------------- status

    /** The backing id every open of {@code node} must use, if the inode is in passthrough mode. */
    public OptionalInt backingIdOf(long node) {
        InodeIoMode s = existing(node);
        if (s == null) {
            return OptionalInt.empty();
        }
        try {
            int id = s.backingId();
            return id == 0 ? OptionalInt.empty() : OptionalInt.of(id);
        } finally {
            s.unpin();
        }
    }

    /**
     * Whether {@code node} has counted cached opens now: page-cache readers the daemon must keep
     * coherent with its direct writes. Cheap (no snapshot); false for an inode without users.
     */
    public boolean hasCachedOpens(long node) {
        InodeIoMode s = existing(node);
        if (s == null) {
            return false;
        }
        try {
            return s.hasCachedOpens();
        } finally {
            s.unpin();
        }
    }

    /** The live state of {@code node}, or its final state if it recently lost its last user. */
    public Optional<InodeSnapshot> snapshot(long node) {
        InodeIoMode s = existing(node);
        if (s != null) {
            try {
                return Optional.of(s.snapshot(true, s.history()));
            } finally {
                s.unpin();
            }
        }
        synchronized (recentlyClosed) {
            return Optional.ofNullable(recentlyClosed.get(node));
        }
    }

    /** Snapshots of all live inodes (in no particular order). */
    public List<InodeSnapshot> snapshots() {
        List<InodeSnapshot> out = new ArrayList<>();
        for (InodeIoMode s : live.values()) {
            if (s.tryPin()) {
                try {
                    out.add(s.snapshot(true, s.history()));
                } finally {
                    s.unpin();
                }
            }
        }
        return out;
    }

    /** Final snapshots of recently closed inodes, least recently looked-at first. */
    public List<InodeSnapshot> recentlyClosed() {
        synchronized (recentlyClosed) {
            return List.copyOf(recentlyClosed.values());
        }
    }

    /** Number of inodes with users right now. */
    public int liveInodes() {
        return live.size();
    }

    // --------------------------------------------------------------------------------------------------- internals

    /** The entry for {@code node}, pinned, created if needed. */
    private InodeIoMode pinned(long node) {
        for (;;) {
            InodeIoMode s = live.get(node);
            if (s != null && s.tryPin()) {
                return s;
            }
            // Absent, or retired by its last user but not yet removed: install a fresh (pinned) one, unless another
            // thread changed the slot first; then look again. A retired entry is never pinned again, so an open can
            // never be counted in an entry that is on its way out.
            InodeIoMode fresh = new InodeIoMode(node, this, new IoModeHistory());
            if (s == null ? live.putIfAbsent(node, fresh) == null : live.replace(node, s, fresh)) {
                return fresh;
            }
        }
    }

    /** The entry for {@code node}, pinned, or null if the inode has no users. */
    private InodeIoMode existing(long node) {
        InodeIoMode s = live.get(node);
        return s != null && s.tryPin() ? s : null;
    }

    private OpenDecision countedOpen(long node, Function<InodeIoMode, OpenDecision> op) {
        InodeIoMode s = pinned(node);
        OpenDecision d = null;
        try {
            d = op.apply(s);
            return d;
        } finally {
            if (d == null || !d.counted()) {
                s.unpin(); // a counted open keeps our pin until its release
            }
        }
    }

    private boolean release(long node, Function<InodeIoMode, Boolean> op) {
        InodeIoMode s = existing(node);
        if (s == null) {
            return false;
        }
        boolean released;
        try {
            released = op.apply(s);
        } finally {
            s.unpin();
        }
        if (released) {
            s.unpin(); // the open's pin
        }
        return released;
    }

    private static WriteGrant heldOrReleased(WriteGrant g) {
        if (!g.acquired()) {
            g.close(); // releases the pin; nothing else is held
        }
        return g;
    }

    private static void requireClosed(WriteGrant reuse) {
        if (reuse != null && !reuse.isClosed()) {
            throw new IllegalStateException("a reusable grant passed again before it was closed: " + reuse);
        }
    }

    /** Test probe: the live entry of {@code node} or null, not pinned (it may be retired at any moment). */
    InodeIoMode liveEntry(long node) {
        return live.get(node);
    }

    /** Called by the last user of {@code s}. */
    void retire(InodeIoMode s) {
        live.remove(s.node, s);
        InodeSnapshot last = s.snapshot(false, s.history());
        synchronized (recentlyClosed) {
            recentlyClosed.put(s.node, last);
        }
    }
}
