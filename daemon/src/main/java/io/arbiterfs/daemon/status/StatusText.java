package io.arbiterfs.daemon.coherence;

import io.arbiterfs.locking.ExclusiveReason;
import io.arbiterfs.locking.InodeSnapshot;
import io.arbiterfs.locking.IoMode;
import io.arbiterfs.locking.Transition;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/** The status as text for people (getfattr, `arbiterfs status`): why is my file slow, and who did it. */
final class StatusText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private static final int MAX_INODES = 40;

    private StatusText() {}

    static String mount(List<InodeSnapshot> live, LongFunction<Optional<String>> pathOf, int writesInFlight, int writePeak,
            long sourceChangesPushed) {
        StringBuilder b = new StringBuilder();
        b.append(live.size()).append(" file(s) in use; WRITEs in the daemon now ").append(writesInFlight)
                .append(", peak ").append(writePeak).append('\n');
        b.append(sourceChangesPushed < 0 ? "changes by other programs in SOURCE: not watched (reach readers at attribute expiry)"
                : "changes by other programs in SOURCE pushed to page-cache readers: " + sourceChangesPushed).append('\n');
        live.stream().limit(MAX_INODES).forEach(s -> inode(b, s.node(), pathOf.apply(s.node()).orElse(null), s));
        return b.toString();
    }

    static String inode(long node, String path, InodeSnapshot s) {
        StringBuilder b = new StringBuilder();
        inode(b, node, path, s);
        return b.toString();
    }

    private static void inode(StringBuilder b, long node, String path, InodeSnapshot s) {
        b.append(path == null ? "node " + node : "/" + path).append('\n');
        if (s == null) {
            b.append("  mode NEUTRAL (no opens, no writes in flight)\n");
            return;
        }
        b.append("  mode ").append(s.mode()).append(meaning(s)).append('\n');
        b.append("  opens: cached ").append(s.cachedOpens()).append(", direct ").append(s.directOpens())
                .append(", passthrough ").append(s.passthroughOpens());
        if (s.backingId() > 0) {
            b.append(" (backing id ").append(s.backingId()).append(')');
        }
        b.append('\n');
        b.append("  parallel writes: ").append(s.parallelWritesInFlight()).append(" in flight, peak ")
                .append(s.peakParallelWrites()).append('\n');
        if (!s.exclusiveByReason().isEmpty()) {
            b.append("  exclusive writes/ops by reason:");
            for (ExclusiveReason r : ExclusiveReason.values()) {
                long n = s.exclusiveCount(r);
                if (n > 0) {
                    b.append(' ').append(r).append('=').append(n);
                }
            }
            b.append('\n');
        }
        if (s.drainNanosTotal() > 0 || s.drainsGivenUp() > 0) {
            b.append("  cached openers waited ").append(s.drainNanosTotal() / 1_000_000).append(" ms for parallel writes to drain");
            if (s.drainsGivenUp() > 0) {
                b.append(" (").append(s.drainsGivenUp()).append(" gave up)");
            }
            b.append('\n');
        }
        if (s.pushedOutBy() != null) {
            b.append("  pushed out of parallel mode by ").append(s.pushedOutBy()).append('\n');
        }
        if (s.pageCacheSeen()) {
            b.append("  page-cache writeback seen: a process has this file mapped MAP_SHARED (the kernel sends no")
                    .append(" request for mmap itself, so the mapper's pid is unknown; look for it with")
                    .append(" `grep -l ").append(path == null ? "FILE" : path).append(" /proc/*/maps`)\n");
        }
        if (!s.transitions().isEmpty()) {
            b.append("  last transitions:\n");
            for (Transition t : s.transitions()) {
                b.append("    ").append(TIME.format(t.at())).append(" row ").append(t.row().id()).append(' ')
                        .append(t.from()).append(" -> ").append(t.to()).append(" by ").append(t.who()).append('\n');
            }
        }
    }

    private static String meaning(InodeSnapshot s) {
        if (s.mode() == IoMode.CACHED) {
            return " (page-cache users: every direct write takes the kernel's exclusive lock until they close)";
        }
        if (s.mode() == IoMode.DRAINING) {
            return " (a cached opener waits for parallel writes to finish; new writes are exclusive)";
        }
        if (s.mode() == IoMode.UNCACHED) {
            return s.backingId() > 0 ? " (passthrough)" : " (parallel direct writes running)";
        }
        return "";
    }
}
