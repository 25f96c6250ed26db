package io.arbiterfs.locking;

import io.arbiterfs.locking.TransitionTable.Row;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The IO-mode state and the shared/exclusive write lock of one inode: the server's mirror of the kernel's per-inode
 * {@code iocachectr} (fs/fuse/iomode.c) plus the lock that lets non-extending direct writes run in parallel. A server
 * keeps one in its own per-inode object ({@link #InodeIoMode(long, IoModeObserver)}); an {@link IoModeTable} keeps
 * them per node id for callers that have no such object, only while the inode has users ({@link #pins} counts them).
 *
 * <p>How to use it: pick the open call by the reply flags you intend to send and send what the decision says:
 * no DIRECT_IO, no PASSTHROUGH → {@link #cachedOpen}; PASSTHROUGH → {@link #passthroughOpen}; DIRECT_IO without
 * PASSTHROUGH → {@link #directOpen}. A counted open ({@link OpenDecision#counted()}) needs exactly one release of the
 * kind it ended up as. Direct WRITEs: {@link #beginWrite}, do the write, close the grant. Truncate, fallocate, the
 * destination of copy_file_range: {@link #beginExclusive}. FUSE_WRITE_CACHE writes: {@link #notePageCacheWrite}.
 * Everything is thread-safe; waits take absolute {@link System#nanoTime()} deadlines ({@link IoModeTable#deadlineIn}).
 *
 * <p>History (the transition log, exclusive acquisitions by reason, drain times, who pushed the inode out of
 * parallel mode) goes to the {@link IoModeObserver}, called under the inode's lock on transitions and exclusive
 * acquisitions, never on the shared-write fast path.
 *
 * <h2>Synchronization</h2>
 * Everything is guarded by {@link #lock} except one word, {@link #word}, which parallel writers update with a CAS so
 * the shared side costs no lock:
 * <pre>
 *   bits 0..31  parallel (shared) writes in flight
 *   bit  32     EXCLUSIVE: an exclusive write-side operation runs
 *   bit  33     GATE: the shared fast path is closed; writers must take the lock and look at the mode
 * </pre>
 * GATE is recomputed by {@link #settle()} (lock held) after every change of the fields that close the shared side:
 * cached users, draining openers, queued exclusive operations. Anyone who waits for the shared count to reach zero
 * (a draining cached opener, an exclusive writer) first makes GATE set, then reads the count, then waits on
 * {@link #lock}; the last shared writer to leave sees GATE in the value its decrement returned and signals under
 * the lock. Since the waiter holds the lock from setting GATE until it sleeps, that signal cannot be lost.
 *
 * <h2>Fairness</h2>
 * Writer-preferring: a queued exclusive operation closes the shared side, waits only for the shared writes already in
 * flight, and exclusive operations run in arrival order (FIFO {@link #exclusiveQueue}). A waiting cached opener also
 * closes the shared side (new writers go exclusive instead of waiting), so it waits for at most the writes in flight
 * when it arrived. Shared writers may wait behind a stream of exclusive operations; their deadline bounds that.
 */
public final class InodeIoMode {
    private static final long COUNT_MASK = 0xFFFF_FFFFL;
    private static final long EXCLUSIVE = 1L << 32;
    private static final long GATE = 1L << 33;
    private static final int RETIRED = -1;

    final long node;
    private final IoModeTable table; // null when the caller owns this object and its lifetime
    private final IoModeObserver observer;

    /*
     * Plain java.util.concurrent atomics rather than VarHandles: same cost here, and Lincheck's model checker handles
     * them reliably (with VarHandle CAS on a long it occasionally reported a single-threaded exclusive write as hung).
     */
    private final AtomicLong word = new AtomicLong();
    /** Users keeping this entry in the table: counted opens, running/waiting calls. {@link #RETIRED} once removed. */
    private final AtomicInteger pins = new AtomicInteger(1); // the creator's pin
    private final AtomicInteger peakParallel = new AtomicInteger();

    /**
     * The monitor for everything but the word. An intrinsic lock rather than a ReentrantLock: equally simple here, and
     * Lincheck's model checker understands monitors, while it mistakes AQS's park/retry loop for a hang.
     */
    private final Object lock = new Object();

    // Guarded by lock.
    private int cachedOpens;
    private int directOpens;
    private int passthroughOpens;
    private int backingId;
    private boolean pageCacheSeen;
    private int drainWaiters;
    private final ArrayDeque<Object> exclusiveQueue = new ArrayDeque<>();

    /** The state of inode {@code node}, owned by the caller; {@code observer} receives its history. */
    public InodeIoMode(long node, IoModeObserver observer) {
        this(node, null, observer);
    }

    InodeIoMode(long node, IoModeTable table, IoModeObserver observer) {
        this.node = node;
        this.table = table;
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
    }

    /** The observer, if it keeps the usual history (for snapshots), else null. */
    IoModeHistory history() {
        return observer instanceof IoModeHistory h ? h : null;
    }

    /** The node id this state belongs to. */
    public long node() {
        return node;
    }

    // ---------------------------------------------------------------------------------------------- lifecycle (pins)

    /** Adds a user unless the entry is already retired (then the caller must make a fresh one). */
    boolean tryPin() {
        for (;;) {
            int p = pins.get();
            if (p == RETIRED) {
                return false;
            }
            if (pins.compareAndSet(p, p + 1)) {
                return true;
            }
        }
    }

    /** Drops a user; the last one retires the entry and removes it from the table (if it is in one). */
    void unpin() {
        if (table != null && pins.getAndDecrement() == 1 && pins.compareAndSet(0, RETIRED)) {
            table.retire(this);
        }
    }

    // ------------------------------------------------------------------------------------------------- opens

    /** Rows 1–5. On GRANTED / MUST_USE_PASSTHROUGH the caller's pin becomes the open's pin. */
    public OpenDecision cachedOpen(Caller who, long deadlineNanos) {
        synchronized (lock) {
            if (backingId != 0) {
                return joinPassthrough(Row.R4, ConflictReason.PASSTHROUGH_ACTIVE, who);
            }
            IoMode before = modeLocked();
            boolean firstCachedUser = cachedOpens == 0 && !pageCacheSeen;
            drainWaiters++; // closes the shared side before we look at the writes in flight
            settle();
            boolean waits = parallelInFlight() > 0;
            OpenDecision result;
            try {
                result = waits ? drainLocked(who, before, deadlineNanos) : OpenDecision.granted();
                if (result.outcome() == OpenDecision.Outcome.GRANTED) {
                    cachedOpens++;
                }
            } finally {
                drainWaiters--;
                settle();
            }
            if (result.outcome() == OpenDecision.Outcome.GRANTED) {
                if (firstCachedUser && !waits) {
                    observer.pushedOut(who);
                }
                record(waits ? Row.R3 : firstCachedUser ? Row.R1 : Row.R2, waits ? IoMode.DRAINING : before, who);
            } else if (result.counted()) {
                record(Row.R5, IoMode.DRAINING, who);
            } else {
                record(Row.S1, IoMode.DRAINING, who);
            }
            return result;
        }
    }

    /** Waits (lock held, draining mark set) until no parallel write is in flight or the inode went passthrough. */
    private OpenDecision drainLocked(Caller who, IoMode before, long deadlineNanos) {
        if (before != IoMode.DRAINING) {
            observer.pushedOut(who);
        }
        record(Row.R3, before, who);
        long start = System.nanoTime();
        try {
            while (parallelInFlight() > 0 && backingId == 0) {
                OpenDecision gaveUp = awaitChange(deadlineNanos);
                if (gaveUp != null) {
                    observer.drained(System.nanoTime() - start, true);
                    return gaveUp;
                }
            }
        } catch (RuntimeException | Error e) {
            observer.drained(System.nanoTime() - start, true);
            throw e;
        }
        observer.drained(System.nanoTime() - start, false);
        if (backingId != 0) {
            passthroughOpens++;
            return OpenDecision.mustUse(ConflictReason.BECAME_PASSTHROUGH_WHILE_WAITING, backingId);
        }
        return OpenDecision.granted();
    }

    public boolean cachedRelease(Caller who) {
        synchronized (lock) {
            if (cachedOpens == 0) {
                return false;
            }
            IoMode before = modeLocked();
            cachedOpens--;
            record(Row.R7, before, who);
            afterRelease(who);
            return true;
        }
    }

    /** Rows 8–13. */
    public OpenDecision passthroughOpen(int id, Caller who) {
        synchronized (lock) {
            IoMode before = modeLocked();
            if (id <= 0) {
                record(Row.R13, before, who);
                return OpenDecision.conflict(ConflictReason.INVALID_BACKING_ID);
            }
            if (cachedOpens > 0 || pageCacheSeen) {
                record(Row.R11, before, who);
                return OpenDecision.conflict(ConflictReason.CACHED_USERS);
            }
            if (backingId != 0 && backingId != id) {
                return joinPassthrough(Row.R10, ConflictReason.OTHER_BACKING_ID, who);
            }
            Row row = backingId == id ? Row.R9 : before == IoMode.NEUTRAL ? Row.R8 : Row.R12;
            backingId = id;
            passthroughOpens++;
            settle(); // wakes draining cached openers: they now get row 5
            record(row, before, who);
            return OpenDecision.grantedPassthrough(id);
        }
    }

    private OpenDecision joinPassthrough(Row row, ConflictReason reason, Caller who) {
        IoMode before = modeLocked();
        passthroughOpens++;
        record(row, before, who);
        return OpenDecision.mustUse(reason, backingId);
    }

    public PassthroughRelease passthroughRelease(Caller who) {
        synchronized (lock) {
            if (passthroughOpens == 0) {
                return PassthroughRelease.notOpen();
            }
            IoMode before = modeLocked();
            int id = backingId;
            passthroughOpens--;
            boolean last = passthroughOpens == 0;
            if (last) {
                backingId = 0;
            }
            record(Row.R14, before, who);
            afterRelease(who);
            return new PassthroughRelease(true, last, id, passthroughOpens);
        }
    }

    /** Rows 15, 16. */
    public OpenDecision directOpen(Caller who) {
        synchronized (lock) {
            if (backingId != 0) {
                return joinPassthrough(Row.R16, ConflictReason.PASSTHROUGH_ACTIVE, who);
            }
            directOpens++;
            record(Row.R15, modeLocked(), who);
            return OpenDecision.granted();
        }
    }

    public boolean directRelease(Caller who) {
        synchronized (lock) {
            if (directOpens == 0) {
                return false;
            }
            directOpens--;
            afterRelease(who);
            return true;
        }
    }

    /** Row S3: with the last open gone, the inferred page-cache user is gone too. */
    private void afterRelease(Caller who) {
        if (pageCacheSeen && cachedOpens + directOpens + passthroughOpens == 0) {
            IoMode before = modeLocked();
            pageCacheSeen = false;
            record(Row.S3, before, who);
        }
        settle();
    }

    /** Row S2 (row 6 inferred). Returns false if ignored: a passthrough inode has no page cache. */
    public boolean notePageCacheWrite() {
        synchronized (lock) {
            if (backingId != 0 || cachedOpens + directOpens + passthroughOpens == 0) {
                return false; // passthrough has no page cache; without opens (a write merely in flight) nothing to mark
            }
            if (!pageCacheSeen) {
                IoMode before = modeLocked();
                pageCacheSeen = true;
                settle();
                if (before == IoMode.NEUTRAL || before == IoMode.UNCACHED) {
                    observer.pushedOut(Caller.kernel());
                }
                record(Row.S2, before, Caller.kernel());
            }
            return true;
        }
    }

    public int backingId() {
        synchronized (lock) {
            return backingId;
        }
    }

    public boolean hasCachedOpens() {
        synchronized (lock) {
            return cachedOpens > 0;
        }
    }

    // ------------------------------------------------------------------------------------------------- writes

    /**
     * §3.2 for one direct WRITE: SHARED when the open allows parallel writes, the write is not O_APPEND, it ends within
     * {@code serverSize}, and the inode is neither CACHED nor DRAINING; otherwise EXCLUSIVE with the reason. The size is
     * asked once, after joining the shared side (where no truncate can run and no other shared writer extends the file),
     * and only for writes that could be shared: for a server it is a system call. May throw whatever
     * {@code serverSize} throws; then nothing is held.
     *
     * @param into a closed {@link WriteGrant#reusable()} grant of this thread to fill in place, or null for a new one
     * @return a grant to close when the write is done; if not {@link WriteGrant#acquired()}, nothing is held
     */
    public WriteGrant beginWrite(WriteIntent intent, LongSupplier serverSize, long deadlineNanos, WriteGrant into) {
        ExclusiveReason early = WriteLockDecision.byFlags(intent);
        if (early != null) {
            return beginExclusive(early, deadlineNanos, into);
        }
        if (!tryJoinSharedFast()) {
            WriteGrant slow = joinSharedSlow(deadlineNanos, into);
            if (!slow.acquired() || slow.mode() != WriteLockMode.SHARED) {
                return slow;
            }
        }
        // Holding the shared side, no truncate can run and the file can only grow: judge "extending" now.
        boolean extending;
        try {
            extending = intent.extendsPast(serverSize.getAsLong());
        } catch (RuntimeException | Error e) {
            leaveShared();
            throw e;
        }
        if (extending) {
            leaveShared();
            return beginExclusive(ExclusiveReason.EXTENDING, deadlineNanos, into);
        }
        return grant(into, WriteLockMode.SHARED, null, WriteGrant.Outcome.ACQUIRED);
    }

    /** Fills {@code into} if the caller passed a reusable grant, else a new one. */
    private WriteGrant grant(WriteGrant into, WriteLockMode mode, ExclusiveReason reason, WriteGrant.Outcome outcome) {
        return into == null ? new WriteGrant(this, mode, reason, outcome) : into.arm(this, mode, reason, outcome);
    }

    /** Row 17 without the lock: only while GATE and EXCLUSIVE are both clear. */
    private boolean tryJoinSharedFast() {
        for (;;) {
            long w = word.get();
            if ((w & (EXCLUSIVE | GATE)) != 0) {
                return false;
            }
            if (word.compareAndSet(w, w + 1)) {
                notePeak((int) (w & COUNT_MASK) + 1);
                return true;
            }
        }
    }

    /** Rows 17/18 under the lock: join, wait behind exclusive operations, or fall back to exclusive by mode. */
    private WriteGrant joinSharedSlow(long deadlineNanos, WriteGrant into) {
        synchronized (lock) {
            for (;;) {
                ExclusiveReason byMode = WriteLockDecision.byMode(modeLocked());
                if (byMode != null) {
                    return beginExclusive(byMode, deadlineNanos, into);
                }
                if (exclusiveQueue.isEmpty()) {
                    long w = word.get();
                    if ((w & EXCLUSIVE) == 0 && word.compareAndSet(w, w + 1)) {
                        notePeak((int) (w & COUNT_MASK) + 1);
                        return grant(into, WriteLockMode.SHARED, null, WriteGrant.Outcome.ACQUIRED);
                    }
                    if ((w & EXCLUSIVE) == 0) {
                        continue; // lost a CAS race with a fast-path writer
                    }
                }
                OpenDecision gaveUp = awaitChange(deadlineNanos); // an exclusive operation runs or waits
                if (gaveUp != null) {
                    return failed(WriteLockMode.SHARED, null, gaveUp, into);
                }
            }
        }
    }

    /** Takes the exclusive side in FIFO order among exclusive operations, after the shared writes in flight. */
    public WriteGrant beginExclusive(ExclusiveReason reason, long deadlineNanos, WriteGrant into) {
        synchronized (lock) {
            return exclusiveLocked(reason, deadlineNanos, into);
        }
    }

    private WriteGrant exclusiveLocked(ExclusiveReason reason, long deadlineNanos, WriteGrant into) {
        // the waiting thread is its own place in the queue: it waits for one exclusive operation at a time
        Thread ticket = Thread.currentThread();
        exclusiveQueue.addLast(ticket);
        try {
            settle(); // closes the shared side: writer preference
            for (;;) {
                if (exclusiveQueue.peekFirst() == ticket) {
                    long w = word.get();
                    if ((w & (EXCLUSIVE | COUNT_MASK)) == 0 && word.compareAndSet(w, w | EXCLUSIVE)) {
                        observer.exclusive(reason);
                        notePeak(1); // an exclusive operation is one write-side operation running
                        return grant(into, WriteLockMode.EXCLUSIVE, reason, WriteGrant.Outcome.ACQUIRED);
                    }
                }
                OpenDecision gaveUp = awaitChange(deadlineNanos);
                if (gaveUp != null) {
                    return failed(WriteLockMode.EXCLUSIVE, reason, gaveUp, into);
                }
            }
        } finally {
            exclusiveQueue.remove(ticket);
            settle();
        }
    }

    /** Row 19. */
    void leaveShared() {
        long w = word.decrementAndGet();
        if ((w & COUNT_MASK) == COUNT_MASK) {
            word.incrementAndGet();
            throw new IllegalStateException("node " + node + ": parallel write count below zero");
        }
        if ((w & COUNT_MASK) == 0 && (w & GATE) != 0) {
            synchronized (lock) {
                lock.notifyAll(); // draining openers and exclusive writers wait for zero
            }
        }
    }

    void leaveExclusive() {
        synchronized (lock) {
            word.addAndGet(-EXCLUSIVE);
            settle();
        }
    }

    private WriteGrant failed(WriteLockMode mode, ExclusiveReason reason, OpenDecision gaveUp, WriteGrant into) {
        WriteGrant.Outcome outcome = gaveUp.outcome() == OpenDecision.Outcome.INTERRUPTED
                ? WriteGrant.Outcome.INTERRUPTED : WriteGrant.Outcome.TIMED_OUT;
        return grant(into, mode, reason, outcome);
    }

    private void notePeak(int inFlight) {
        int peak;
        while (inFlight > (peak = peakParallel.get()) && !peakParallel.compareAndSet(peak, inFlight)) {
            Thread.onSpinWait();
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    int parallelInFlight() {
        return (int) (word.get() & COUNT_MASK);
    }

    /** Test probe, without the lock (racy): cached opens. */
    int cachedOpensRacy() {
        return cachedOpens;
    }

    /** Test probe: whether an exclusive operation holds the inode. */
    boolean exclusiveHeld() {
        return (word.get() & EXCLUSIVE) != 0;
    }

    /** The mode, derived from the counts (lock held, or racy for status). */
    private IoMode modeLocked() {
        int inFlight = parallelInFlight();
        if (backingId != 0) {
            return IoMode.UNCACHED;
        }
        boolean cachedUsers = cachedOpens > 0 || pageCacheSeen;
        if (drainWaiters > 0 || (cachedUsers && inFlight > 0)) {
            return IoMode.DRAINING;
        }
        if (cachedUsers) {
            return IoMode.CACHED;
        }
        return inFlight > 0 ? IoMode.UNCACHED : IoMode.NEUTRAL;
    }

    /** After any change (lock held): make GATE match the fields, and wake every waiter to re-check its condition. */
    private void settle() {
        boolean closed = cachedOpens > 0 || pageCacheSeen || drainWaiters > 0 || !exclusiveQueue.isEmpty();
        for (;;) {
            long w = word.get();
            long want = closed ? w | GATE : w & ~GATE;
            if (w == want || word.compareAndSet(w, want)) {
                break;
            }
        }
        lock.notifyAll();
    }

    /** Waits for a signal until the deadline (lock held). Returns null to re-check, or why the wait is over. */
    private OpenDecision awaitChange(long deadlineNanos) {
        if (deadlineNanos == IoModeTable.NO_WAIT) {
            return OpenDecision.gaveUp(OpenDecision.Outcome.TIMED_OUT);
        }
        try {
            if (deadlineNanos == IoModeTable.NO_DEADLINE) {
                lock.wait();
                return null;
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return OpenDecision.gaveUp(OpenDecision.Outcome.TIMED_OUT);
            }
            TimeUnit.NANOSECONDS.timedWait(lock, remaining);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OpenDecision.gaveUp(OpenDecision.Outcome.INTERRUPTED);
        }
    }

    private void record(Row row, IoMode before, Caller who) {
        observer.transition(row, before, modeLocked(), who);
    }

    /**
     * A consistent picture of the state, with the history {@code history} recorded (null: none).
     *
     * @param live false for the final picture of an inode that lost its last user
     */
    public InodeSnapshot snapshot(boolean live, IoModeHistory history) {
        synchronized (lock) {
            long w = word.get();
            return new InodeSnapshot(node, live, modeLocked(), cachedOpens, directOpens, passthroughOpens, backingId,
                    pageCacheSeen, (int) (w & COUNT_MASK), peakParallel.get(), (w & EXCLUSIVE) != 0,
                    exclusiveQueue.size(), drainWaiters,
                    history == null ? Map.of() : history.exclusiveByReason(), history == null ? 0 : history.drainNanosTotal(),
                    history == null ? 0 : history.drainsGivenUp(), history == null ? null : history.pushedOutBy(),
                    history == null ? java.util.List.of() : history.transitions());
        }
    }

    /** Whether anything holds the inode: counted opens, writes in flight or waiting, waiting openers. */
    public boolean inUse() {
        synchronized (lock) {
            return cachedOpens + directOpens + passthroughOpens + drainWaiters + exclusiveQueue.size() > 0
                    || (word.get() & (COUNT_MASK | EXCLUSIVE)) != 0;
        }
    }

    /** Starts a new peak of parallel writes: the current count. */
    public void resetPeak() {
        peakParallel.set(parallelInFlight());
    }

    /**
     * The most direct write-side operations that ran at once since creation or {@link #resetPeak()}: shared writes
     * together, an exclusive operation alone counting 1.
     */
    public int peakParallelWrites() {
        return peakParallel.get();
    }
}
