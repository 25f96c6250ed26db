package io.arbiterfs.testkit.faults;

import io.arbiterfs.fuse.platform.Errno;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the fault-injection test aid does to READ, WRITE and FSYNC: fail {@code ratePermille} of
 * them with one of {@code errnos} (or, for WRITEs, with a short count when {@code shortWrites}),
 * and delay every one by {@code delayMillis}. Off unless a rate or a delay is set.
 */
public record FaultPlan(int ratePermille, List<String> errnos, boolean shortWrites, int delayMillis, long seed) {
    /** The errnos a plan may name: what a real backend returns from these calls. */
    private static final Map<String, Integer> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("EIO", Errno.EIO);
        KNOWN.put("ENOSPC", Errno.ENOSPC);
        KNOWN.put("EINTR", Errno.EINTR);
        KNOWN.put("EAGAIN", Errno.EAGAIN);
        KNOWN.put("EROFS", Errno.EROFS);
        KNOWN.put("EFBIG", Errno.EFBIG);
        KNOWN.put("EDQUOT", 122);
    }

    public static final List<String> DEFAULT_ERRNOS = List.of("EIO");

    public FaultPlan {
        errnos = List.copyOf(errnos);
        if (ratePermille < 0 || ratePermille > 1000) {
            throw new IllegalArgumentException("fault rate must be 0..1000 per mille, not " + ratePermille);
        }
        if (errnos.isEmpty() || !KNOWN.keySet().containsAll(errnos)) {
            throw new IllegalArgumentException("fault errnos must be among " + KNOWN.keySet() + ": " + errnos);
        }
    }

    /** A plan that does nothing. */
    public static FaultPlan none() {
        return new FaultPlan(0, DEFAULT_ERRNOS, false, 0, 0);
    }

    public boolean enabled() {
        return ratePermille > 0 || delayMillis > 0;
    }

    /** The errno values, in the order given. */
    int[] errnoValues() {
        return errnos.stream().mapToInt(KNOWN::get).toArray();
    }

    /**
     * Parses {@code EIO:ENOSPC:EINTR}; null if a name is unknown or the list is empty (the caller
     * names the option in its error).
     */
    public static List<String> parseErrnos(String colonSeparated) {
        List<String> out = new ArrayList<>();
        for (String name : colonSeparated.split(":", -1)) {
            if (!KNOWN.containsKey(name)) {
                return null;
            }
            out.add(name);
        }
        return out;
    }

    public static String knownErrnos() {
        return String.join(", ", KNOWN.keySet());
    }

    /** The plan as {@code fault_*} options (empty if disabled), for logs and for passing the plan on. */
    public String render() {
        if (!enabled()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        parts.add("fault_rate=" + ratePermille);
        parts.add("fault_errnos=" + errnos.stream().collect(Collectors.joining(":")));
        if (shortWrites) {
            parts.add("fault_short_writes");
        }
        if (delayMillis > 0) {
            parts.add("fault_delay_ms=" + delayMillis);
        }
        parts.add("fault_seed=" + seed);
        return String.join(",", parts);
    }
}
