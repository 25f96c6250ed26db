package io.arbiterfs.locking;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The usual {@link IoModeObserver}: the last transitions, exclusive acquisitions by reason, drain time and who pushed
 * the inode out of parallel mode, for status. Guarded by the observed inode's lock for writes; reads synchronize on
 * this object.
 */
public final class IoModeHistory implements IoModeObserver {
    private final TransitionLog log = new TransitionLog();
    private final long[] exclusiveByReason = new long[ExclusiveReason.values().length];
    private long drainNanosTotal;
    private long drainsGivenUp;
    private Caller pushedOutBy;

    @Override
    public synchronized void transition(TransitionTable.Row row, IoMode from, IoMode to, Caller who) {
        log.add(new Transition(Instant.ofEpochMilli(System.currentTimeMillis()), row, from, to, who));
    }

    @Override
    public synchronized void exclusive(ExclusiveReason reason) {
        exclusiveByReason[reason.ordinal()]++;
    }

    @Override
    public synchronized void drained(long nanos, boolean gaveUp) {
        drainNanosTotal += nanos;
        if (gaveUp) {
            drainsGivenUp++;
        }
    }

    @Override
    public synchronized void pushedOut(Caller who) {
        pushedOutBy = who;
    }

    /** Exclusive acquisitions by reason (only non-zero entries). */
    public synchronized Map<ExclusiveReason, Long> exclusiveByReason() {
        Map<ExclusiveReason, Long> byReason = new EnumMap<>(ExclusiveReason.class);
        for (ExclusiveReason r : ExclusiveReason.values()) {
            if (exclusiveByReason[r.ordinal()] != 0) {
                byReason.put(r, exclusiveByReason[r.ordinal()]);
            }
        }
        return byReason;
    }

    public synchronized long drainNanosTotal() {
        return drainNanosTotal;
    }

    public synchronized long drainsGivenUp() {
        return drainsGivenUp;
    }

    /** Who most recently took the inode out of parallel mode, or null. */
    public synchronized Caller pushedOutBy() {
        return pushedOutBy;
    }

    /** The last {@value TransitionLog#CAPACITY} transitions, oldest first. */
    public synchronized List<Transition> transitions() {
        return log.toList();
    }
}
