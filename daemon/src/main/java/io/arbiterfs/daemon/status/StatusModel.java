package io.arbiterfs.daemon.status;

import io.arbiterfs.locking.Caller;
import io.arbiterfs.locking.ExclusiveReason;
import io.arbiterfs.locking.InodeSnapshot;
import io.arbiterfs.locking.IoMode;
import io.arbiterfs.locking.Transition;
import java.util.List;
import java.util.Map;

/**
 * The status as data: one model, rendered as JSON ({@link StatusJson}) for programs and as text ({@link StatusText})
 * for people. Field names are the JSON's.
 */
public final class StatusModel {
    private StatusModel() {}

    /** The whole mount: how requests arrive, write concurrency, outside changes pushed, and every file in use. */
    public record Mount(io.arbiterfs.fuse.TransportStatus transport, int writesInFlight, int writePeak, long sourceChangesPushed, int liveInodes,
                        List<File> inodes) {}

    /** One file's IO-mode state and history. */
    public record File(long node, String path, IoMode mode, boolean live, Opens opens, int backingId,
                       boolean pageCacheWritesSeen, int parallelWritesInFlight, int peakParallelWrites, boolean exclusiveHeld,
                       Map<ExclusiveReason, Long> exclusiveByReason, long drainMillis, long drainsGivenUp, Process pushedOutBy,
                       List<Step> transitions) {}

    /** Counted opens by kind. */
    public record Opens(int cached, int direct, int passthrough) {}

    /** A process, by pid and command name (null if gone or the kernel itself). */
    public record Process(int pid, String process) {
        static Process of(Caller c) {
            return c == null ? null : new Process(c.pid(), c.processName());
        }

        @Override
        public String toString() {
            return (process == null ? "pid " : process) + "[" + pid + "]";
        }
    }

    /** One transition-table row that happened. */
    public record Step(String at, String row, IoMode from, IoMode to, Process by) {
        static Step of(Transition t) {
            return new Step(t.at().toString(), t.row().id(), t.from(), t.to(), Process.of(t.who()));
        }
    }

    /** A file's entry from its snapshot ({@code null}: no state, the file is NEUTRAL and unused). */
    public static File file(long node, String path, InodeSnapshot s) {
        if (s == null) {
            return new File(node, path, IoMode.NEUTRAL, false, new Opens(0, 0, 0), 0, false, 0, 0, false, Map.of(), 0, 0,
                    null, List.of());
        }
        return new File(node, path, s.mode(), s.live(), new Opens(s.cachedOpens(), s.directOpens(), s.passthroughOpens()),
                s.backingId(), s.pageCacheSeen(), s.parallelWritesInFlight(), s.peakParallelWrites(), s.exclusiveHeld(),
                s.exclusiveByReason(), s.drainNanosTotal() / 1_000_000, s.drainsGivenUp(), Process.of(s.pushedOutBy()),
                s.transitions().stream().map(Step::of).toList());
    }
}
