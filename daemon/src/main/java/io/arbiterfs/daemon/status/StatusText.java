package io.arbiterfs.daemon.status;

import io.arbiterfs.locking.ExclusiveReason;
import io.arbiterfs.locking.IoMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The status model as text for people (getfattr, {@code arbiterfs status}): why is my file slow, and who did it. */
public final class StatusText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private StatusText() {}

    public static String mount(StatusModel.Mount m) {
        StringBuilder b = new StringBuilder();
        b.append("transport: ").append(m.transport() == null ? "not connected" : m.transport()).append('\n');
        b.append(m.liveInodes()).append(" file(s) in use; direct WRITEs in the daemon now ").append(m.writesInFlight())
                .append(", peak on one file ").append(m.writePeak()).append('\n');
        b.append(m.sourceChangesPushed() < 0
                ? "changes by other programs in SOURCE: not watched (reach readers at attribute expiry)"
                : "changes by other programs in SOURCE pushed to page-cache readers: " + m.sourceChangesPushed()).append('\n');
        m.inodes().forEach(f -> file(b, f));
        return b.toString();
    }

    public static String file(StatusModel.File f) {
        StringBuilder b = new StringBuilder();
        file(b, f);
        return b.toString();
    }

    private static void file(StringBuilder b, StatusModel.File f) {
        b.append(f.path() == null ? "node " + f.node() : "/" + f.path()).append('\n');
        if (!f.live() && f.transitions().isEmpty()) {
            b.append("  mode NEUTRAL (no opens, no writes in flight)\n");
            return;
        }
        b.append("  mode ").append(f.mode()).append(meaning(f)).append('\n');
        b.append("  opens: cached ").append(f.opens().cached()).append(", direct ").append(f.opens().direct())
                .append(", passthrough ").append(f.opens().passthrough());
        if (f.backingId() > 0) {
            b.append(" (backing id ").append(f.backingId()).append(')');
        }
        b.append('\n');
        b.append("  parallel writes: ").append(f.parallelWritesInFlight()).append(" in flight, peak ")
                .append(f.peakParallelWrites()).append('\n');
        if (!f.exclusiveByReason().isEmpty()) {
            b.append("  exclusive writes/ops by reason:");
            for (ExclusiveReason r : ExclusiveReason.values()) {
                Long n = f.exclusiveByReason().get(r);
                if (n != null && n > 0) {
                    b.append(' ').append(r).append('=').append(n);
                }
            }
            b.append('\n');
        }
        if (f.drainMillis() > 0 || f.drainsGivenUp() > 0) {
            b.append("  cached openers waited ").append(f.drainMillis()).append(" ms for parallel writes to drain");
            if (f.drainsGivenUp() > 0) {
                b.append(" (").append(f.drainsGivenUp()).append(" gave up)");
            }
            b.append('\n');
        }
        if (f.pushedOutBy() != null) {
            b.append("  pushed out of parallel mode by ").append(f.pushedOutBy()).append('\n');
        }
        if (f.pageCacheWritesSeen()) {
            b.append("  page-cache writeback seen: a process has this file mapped MAP_SHARED (the kernel sends no")
                    .append(" request for mmap itself, so the mapper's pid is unknown; look for it with")
                    .append(" `grep -l ").append(f.path() == null ? "FILE" : f.path()).append(" /proc/*/maps`)\n");
        }
        if (!f.transitions().isEmpty()) {
            b.append("  last transitions:\n");
            for (StatusModel.Step t : f.transitions()) {
                b.append("    ").append(TIME.format(Instant.parse(t.at()))).append(" row ").append(t.row()).append(' ')
                        .append(t.from()).append(" -> ").append(t.to()).append(" by ")
                        .append(t.by() == null ? "the kernel" : t.by()).append('\n');
            }
        }
    }

    private static String meaning(StatusModel.File f) {
        if (f.mode() == IoMode.CACHED) {
            return " (page-cache users: every direct write takes the kernel's exclusive lock until they close)";
        }
        if (f.mode() == IoMode.DRAINING) {
            return " (a cached opener waits for parallel writes to finish; new writes are exclusive)";
        }
        if (f.mode() == IoMode.UNCACHED) {
            return f.backingId() > 0 ? " (passthrough)" : " (parallel direct writes running)";
        }
        return "";
    }
}
