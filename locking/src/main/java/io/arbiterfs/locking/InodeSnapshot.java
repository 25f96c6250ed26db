package io.arbiterfs.locking;

import java.util.List;
import java.util.Map;

/**
 * An immutable picture of one inode's IO-mode state and history, for the status command. Counts are consistent with
 * each other (taken under the inode's lock), except {@link #parallelWritesInFlight()}, which parallel writers change
 * without that lock.
 *
 * @param node                   FUSE node id
 * @param live                   false if taken when the inode's last user left (from the recently-closed list)
 * @param mode                   current IO mode
 * @param cachedOpens            counted cached opens
 * @param directOpens            counted direct-IO (non-passthrough) opens; status only, they never change the mode
 * @param passthroughOpens       counted passthrough opens
 * @param backingId              the backing id every open must use, 0 if none
 * @param pageCacheSeen          a FUSE_WRITE_CACHE write was seen since the last open began (inferred shared mmap)
 * @param parallelWritesInFlight shared (parallel) direct writes running now
 * @param peakParallelWrites     the most shared writes ever running at once
 * @param exclusiveHeld          an exclusive write-side operation runs now
 * @param exclusiveWaiters       exclusive operations waiting
 * @param drainWaiters           cached openers waiting for parallel writes to drain
 * @param exclusiveByReason      exclusive acquisitions by reason since the entry was created (only non-zero entries)
 * @param drainNanosTotal        total time cached openers spent waiting, in nanoseconds
 * @param drainsGivenUp          cached opens that timed out or were interrupted while waiting
 * @param pushedOutBy            who most recently took the inode out of parallel mode (into CACHED/DRAINING), or null
 * @param transitions            the last {@value TransitionLog#CAPACITY} transitions, oldest first
 */
public record InodeSnapshot(long node, boolean live, IoMode mode, int cachedOpens, int directOpens,
                            int passthroughOpens, int backingId, boolean pageCacheSeen, int parallelWritesInFlight,
                            int peakParallelWrites, boolean exclusiveHeld, int exclusiveWaiters, int drainWaiters,
                            Map<ExclusiveReason, Long> exclusiveByReason, long drainNanosTotal, long drainsGivenUp,
                            Caller pushedOutBy, List<Transition> transitions) {
    public InodeSnapshot {
        exclusiveByReason = Map.copyOf(exclusiveByReason);
        transitions = List.copyOf(transitions);
    }

    /** Exclusive acquisitions for {@code reason}. */
    public long exclusiveCount(ExclusiveReason reason) {
        return exclusiveByReason.getOrDefault(reason, 0L);
    }
}
