package io.arbiterfs.locking;

import java.util.Objects;

/**
 * What the daemon must put in (or do instead of) its OPEN/CREATE reply. Conflicts are values, never exceptions.
 *
 * <ul>
 *   <li>{@link Outcome#GRANTED}: the open is counted as asked. For a passthrough open, {@link #backingId()} is the
 *       id the caller passed.</li>
 *   <li>{@link Outcome#MUST_USE_PASSTHROUGH}: the open <b>is counted as a passthrough open</b> of
 *       {@link #backingId()} (reply FOPEN_PASSTHROUGH with that id, optionally with DIRECT_IO, PARALLEL_DIRECT_WRITES
 *       or NOFLUSH, nothing else) and must later be released with {@link IoModeTable#passthroughRelease}. If the
 *       caller registered a backing id of its own for this open, it should close that one. Counting it atomically
 *       means the backing id cannot be closed by a racing release before the reply is sent.</li>
 *   <li>{@link Outcome#CONFLICT}: nothing was counted; {@link #reason()} says why. Answer the open differently (e.g.
 *       a non-passthrough open) or fail it.</li>
 *   <li>{@link Outcome#TIMED_OUT} / {@link Outcome#INTERRUPTED}: a cached opener gave up waiting for parallel writes
 *       to drain; nothing was counted and the waiting mark is gone. On INTERRUPTED the thread's interrupt status is
 *       set again.</li>
 * </ul>
 *
 * @param outcome   see above
 * @param reason    for MUST_USE_PASSTHROUGH and CONFLICT; {@code null} otherwise
 * @param backingId the id to answer with (GRANTED passthrough, MUST_USE_PASSTHROUGH); 0 if none
 */
public record OpenDecision(Outcome outcome, ConflictReason reason, int backingId) {

    /** See {@link OpenDecision}. */
    public enum Outcome { GRANTED, MUST_USE_PASSTHROUGH, CONFLICT, TIMED_OUT, INTERRUPTED }

    public OpenDecision {
        Objects.requireNonNull(outcome, "outcome");
    }

    static OpenDecision granted() {
        return new OpenDecision(Outcome.GRANTED, null, 0);
    }

    static OpenDecision gaveUp(Outcome outcome) {
        return new OpenDecision(outcome, null, 0);
    }

    static OpenDecision grantedPassthrough(int backingId) {
        return new OpenDecision(Outcome.GRANTED, null, backingId);
    }

    static OpenDecision mustUse(ConflictReason reason, int backingId) {
        return new OpenDecision(Outcome.MUST_USE_PASSTHROUGH, reason, backingId);
    }

    static OpenDecision conflict(ConflictReason reason) {
        return new OpenDecision(Outcome.CONFLICT, reason, 0);
    }

    /** True if the open was counted (GRANTED or MUST_USE_PASSTHROUGH) and therefore needs a matching release. */
    public boolean counted() {
        return outcome == Outcome.GRANTED || outcome == Outcome.MUST_USE_PASSTHROUGH;
    }

    /** True if the daemon must answer with FOPEN_PASSTHROUGH and {@link #backingId()}. */
    public boolean passthrough() {
        return counted() && backingId > 0;
    }
}
