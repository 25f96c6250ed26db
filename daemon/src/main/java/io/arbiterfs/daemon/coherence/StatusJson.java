package io.arbiterfs.daemon.coherence;

import io.arbiterfs.locking.Caller;
import io.arbiterfs.locking.InodeSnapshot;
import io.arbiterfs.locking.Transition;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Renders IO-mode snapshots as the JSON the status xattrs carry (and `arbiterfs status` prints).
 * Hand-written on purpose: a dozen fields do not justify a JSON library in the daemon.
 */
final class StatusJson {
    /** The kernel caps an xattr value at 64 KiB; the mount-wide status lists at most this many inodes. */
    private static final int MAX_INODES = 40;

    private StatusJson() {}

    static String inode(long node, String path, InodeSnapshot s) {
        StringBuilder b = new StringBuilder();
        appendInode(b, node, path, s);
        return b.toString();
    }

    static String mount(List<InodeSnapshot> live, LongFunction<Optional<String>> pathOf, int writesInFlight, int writePeak,
            long sourceChangesPushed) {
        StringBuilder b = new StringBuilder("{\"writesInFlight\":").append(writesInFlight)
                .append(",\"writePeak\":").append(writePeak)
                .append(",\"sourceChangesPushed\":").append(sourceChangesPushed)
                .append(",\"liveInodes\":").append(live.size())
                .append(",\"inodes\":[");
        int n = 0;
        for (InodeSnapshot s : live) {
            if (n++ == MAX_INODES) {
                break;
            }
            if (n > 1) {
                b.append(',');
            }
            appendInode(b, s.node(), pathOf.apply(s.node()).orElse(null), s);
        }
        return b.append("]}").toString();
    }

    private static void appendInode(StringBuilder b, long node, String path, InodeSnapshot s) {
        b.append("{\"node\":").append(node).append(",\"path\":");
        string(b, path);
        if (s == null) {
            b.append(",\"mode\":\"NEUTRAL\",\"live\":false}");
            return;
        }
        b.append(",\"mode\":\"").append(s.mode()).append('"')
                .append(",\"live\":").append(s.live())
                .append(",\"opens\":{\"cached\":").append(s.cachedOpens())
                .append(",\"direct\":").append(s.directOpens())
                .append(",\"passthrough\":").append(s.passthroughOpens()).append('}')
                .append(",\"backingId\":").append(s.backingId())
                .append(",\"pageCacheWritesSeen\":").append(s.pageCacheSeen())
                .append(",\"parallelWritesInFlight\":").append(s.parallelWritesInFlight())
                .append(",\"peakParallelWrites\":").append(s.peakParallelWrites())
                .append(",\"exclusiveHeld\":").append(s.exclusiveHeld())
                .append(",\"exclusiveByReason\":{");
        int i = 0;
        for (var e : s.exclusiveByReason().entrySet()) {
            if (i++ > 0) {
                b.append(',');
            }
            b.append('"').append(e.getKey()).append("\":").append(e.getValue());
        }
        b.append("},\"drainMillis\":").append(s.drainNanosTotal() / 1_000_000)
                .append(",\"drainsGivenUp\":").append(s.drainsGivenUp())
                .append(",\"pushedOutBy\":");
        caller(b, s.pushedOutBy());
        b.append(",\"transitions\":[");
        i = 0;
        for (Transition t : s.transitions()) {
            if (i++ > 0) {
                b.append(',');
            }
            b.append("{\"at\":\"").append(t.at()).append("\",\"row\":\"").append(t.row().id())
                    .append("\",\"from\":\"").append(t.from()).append("\",\"to\":\"").append(t.to()).append("\",\"by\":");
            caller(b, t.who());
            b.append('}');
        }
        b.append("]}");
    }

    private static void caller(StringBuilder b, Caller c) {
        if (c == null) {
            b.append("null");
            return;
        }
        b.append("{\"pid\":").append(c.pid()).append(",\"process\":");
        string(b, c.processName());
        b.append('}');
    }

    private static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
