package io.arbiterfs.locking;

import java.util.ArrayList;
import java.util.List;

/** A bounded ring of the last transitions of one inode. Not thread-safe: its inode's lock guards it. */
final class TransitionLog {
    static final int CAPACITY = 16;

    private final Transition[] ring = new Transition[CAPACITY];
    private long total;

    void add(Transition t) {
        ring[(int) (total++ % CAPACITY)] = t;
    }

    /** Oldest first. */
    List<Transition> toList() {
        int n = (int) Math.min(total, CAPACITY);
        List<Transition> out = new ArrayList<>(n);
        for (long i = total - n; i < total; i++) {
            out.add(ring[(int) (i % CAPACITY)]);
        }
        return List.copyOf(out);
    }

    long total() {
        return total;
    }
}
