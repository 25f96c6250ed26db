package io.arbiterfs.locking;

import java.time.Instant;

/**
 * One entry of an inode's transition log: which row of {@link TransitionTable} happened, the mode before and after,
 * and who caused it.
 *
 * @param at   wall-clock time
 * @param row  the transition-table row
 * @param from mode before
 * @param to   mode after
 * @param who  the caller; {@link Caller#kernel()} for writeback
 */
public record Transition(Instant at, TransitionTable.Row row, IoMode from, IoMode to, Caller who) {
    @Override
    public String toString() {
        return at + " row " + row.id() + " " + from + "→" + to + " by " + who;
    }
}
