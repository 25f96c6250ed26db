package io.arbiterfs.locking;

import io.arbiterfs.locking.TransitionTable.Row;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The IO-mode state and the shared/exclusive write lock of one inode. Lives in an {@link IoModeTable} only while it
 * has users; {@link #pins} counts them.
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
final class InodeState {
    private static final long COUNT_MASK = 0xFFFF_FFFFL;
    private static final long EXCLUSIVE = 1L << 32;
    private static final long GATE = 1L << 33;
    private static final int RETIRED = -1;

    final long node;
    private final IoModeTable table;

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
    private final long[] exclusiveByReason = new long[ExclusiveReason.values().length];
    private long drainNanosTotal;
    private long drainsGivenUp;
    private Caller pushedOutBy;
    private final TransitionLog log = new TransitionLog();

    InodeState(long node, IoModeTable table) {
        this.node = node;
        this.table = table;
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

    /** Drops a user; the last one retires the entry and removes it from the table. */
    void unpin() {
        if (pins.getAndDecrement() == 1 && pins.compareAndSet(0, RETIRED)) {
            table.retire(this);
        }
    }

    // ------------------------------------------------------------------------------------------------- opens

    /** Rows 1–5. On GRANTED / MUST_USE_PASSTHROUGH the caller's pin becomes the open's pin. */
    OpenDecision cachedOpen(Caller who, long deadlineNanos) {
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
                    pushedOutBy = who;
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
            pushedOutBy = who;
        }
        record(Row.R3, before, who);
        long start = System.nanoTime();
        try {
            while (parallelInFlight() > 0 && backingId == 0) {
                OpenDecision gaveUp = awaitChange(deadlineNanos);
                if (gaveUp != null) {
                    drainsGivenUp++;
                    return gaveUp;
                }
            }
        } finally {
            drainNanosTotal += System.nanoTime() - start;
        }
        if (backingId != 0) {
            passthroughOpens++;
            return OpenDecision.mustUse(ConflictReason.BECAME_PASSTHROUGH_WHILE_WAITING, backingId);
        }
        return OpenDecision.granted();
    }

    boolean cachedRelease(Caller who) {
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
    OpenDecision passthroughOpen(int id, Caller who) {
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

    PassthroughRelease passthroughRelease(Caller who) {
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
    OpenDecision directOpen(Caller who) {
        synchronized (lock) {
            if (backingId != 0) {
                return joinPassthrough(Row.R16, ConflictReason.PASSTHROUGH_ACTIVE, who);
            }
            directOpens++;
            record(Row.R15, modeLocked(), who);
            return OpenDecision.granted();
        }
    }

    boolean directRelease(Caller who) {
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
    boolean notePageCacheWrite() {
        synchronized (lock) {
            if (backingId != 0 || cachedOpens + directOpens + passthroughOpens == 0) {
                return false; // passthrough has no page cache; without opens (a write merely in flight) nothing to mark
            }
            if (!pageCacheSeen) {
                IoMode before = modeLocked();
                pageCacheSeen = true;
                settle();
                if (before == IoMode.NEUTRAL || before == IoMode.UNCACHED) {
                    pushedOutBy = Caller.kernel();
                }
                record(Row.S2, before, Caller.kernel());
            }
            return true;
        }
    }

    int backingId() {
        synchronized (lock) {
            return backingId;
        }
    }

    boolean hasCachedOpens() {
        synchronized (lock) {
            return cachedOpens > 0;
        }
    }

    // ------------------------------------------------------------------------------------------------- writes

    /** §3.2 for one direct WRITE. May throw whatever {@code serverSize} throws; then nothing is held. */
    WriteGrant beginWrite(WriteIntent intent, LongSupplier serverSize, long deadlineNanos, WriteGrant into) {
        ExclusiveReason early = WriteLockDecision.beforeLocking(intent, serverSize);
        if (early != null) {
            return beginExclusive(early, deadlineNanos, into);
        }
        if (!tryJoinSharedFast()) {
            WriteGrant slow = joinSharedSlow(deadlineNanos, into);
            if (!slow.acquired() || slow.mode() != WriteLockMode.SHARED) {
                return slow;
            }
        }
        // Holding the shared side, no truncate can run: check "extending" again (the first check had no lock).
        boolean extending;
        try {
            extending = intent.extendsPast(serverSize.getAsLong());
        } catch (RuntimeException | Error e) {
            leaveShared();
            throw e;
        }
        if (extending) {
            leaveShared();
            return beginExclusive(ExclusiveReason.EXTENDING_RECHECK, deadlineNanos, into);
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
    WriteGrant beginExclusive(ExclusiveReason reason, long deadlineNanos, WriteGrant into) {
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
                        exclusiveByReason[reason.ordinal()]++;
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
        log.add(new Transition(Instant.ofEpochMilli(System.currentTimeMillis()), row, before, modeLocked(), who));
    }

    InodeSnapshot snapshot(boolean live) {
        synchronized (lock) {
            Map<ExclusiveReason, Long> byReason = new EnumMap<>(ExclusiveReason.class);
            for (ExclusiveReason r : ExclusiveReason.values()) {
                if (exclusiveByReason[r.ordinal()] != 0) {
                    byReason.put(r, exclusiveByReason[r.ordinal()]);
                }
            }
            long w = word.get();
            return new InodeSnapshot(node, live, modeLocked(), cachedOpens, directOpens, passthroughOpens, backingId,
                    pageCacheSeen, (int) (w & COUNT_MASK), peakParallel.get(), (w & EXCLUSIVE) != 0,
                    exclusiveQueue.size(), drainWaiters, byReason, drainNanosTotal, drainsGivenUp, pushedOutBy,
                    log.toList());
        }
    }
}
