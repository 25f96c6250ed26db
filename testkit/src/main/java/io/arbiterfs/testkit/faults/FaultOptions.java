package io.arbiterfs.testkit.faults;

import io.arbiterfs.fuse.FileSystem;
import java.util.ArrayList;
import java.util.List;

/**
 * The fault-injection options, taken out of libfuse-style {@code -o} lists before the rest goes to the daemon (whose
 * command line does not know them):
 *
 * <table>
 *   <caption>options</caption>
 *   <tr><td>{@code fault_rate=PERMILLE}</td><td>fail this many of every 1000 READ, WRITE and FSYNC calls (0–1000)</td></tr>
 *   <tr><td>{@code fault_errnos=EIO:ENOSPC:EINTR}</td><td>the errnos to fail with (default EIO)</td></tr>
 *   <tr><td>{@code fault_short_writes}</td><td>some failing WRITEs write their first half and report that count</td></tr>
 *   <tr><td>{@code fault_delay_ms=N}</td><td>every READ/WRITE/FSYNC waits N ms first; FUSE_INTERRUPT ends the wait</td></tr>
 *   <tr><td>{@code fault_seed=N}</td><td>the seed of the fault decisions (default: the clock)</td></tr>
 *   <tr><td>{@code backend_latency_us=N}</td><td>every WRITE waits N µs before reaching the backend</td></tr>
 * </table>
 *
 * Parsing is strict: a bad value, or an unknown {@code fault_*} name, is an {@link IllegalArgumentException} naming it.
 *
 * @param plan       the faults (see {@link FaultPlan#enabled()})
 * @param latencyUs  the backend latency of every WRITE, 0 for none
 * @param remaining  the option strings without the fault options (empty strings dropped)
 */
public record FaultOptions(FaultPlan plan, int latencyUs, List<String> remaining) {
    private static final String FAULT_PREFIX = "fault_";
    private static final String LATENCY = "backend_latency_us";

    public FaultOptions {
        remaining = List.copyOf(remaining);
    }

    /** No faults, no latency. */
    public static FaultOptions none() {
        return new FaultOptions(FaultPlan.none(), 0, List.of());
    }

    /** Takes the fault options out of comma-separated option strings; the rest is kept in order. */
    public static FaultOptions parse(List<String> optionStrings) {
        int rate = 0;
        List<String> errnos = FaultPlan.DEFAULT_ERRNOS;
        boolean shortWrites = false;
        int delayMs = 0;
        long seed = System.nanoTime();
        int latency = 0;
        List<String> remaining = new ArrayList<>();
        for (String s : optionStrings) {
            List<String> kept = new ArrayList<>();
            for (String raw : s.split(",")) {
                String item = raw.trim();
                int eq = item.indexOf('=');
                String key = eq < 0 ? item : item.substring(0, eq);
                String value = eq < 0 ? null : item.substring(eq + 1);
                switch (key) {
                    case "fault_rate" -> rate = intIn(key, value, 0, 1000);
                    case "fault_errnos" -> {
                        errnos = FaultPlan.parseErrnos(text(key, value));
                        if (errnos == null) {
                            throw new IllegalArgumentException("option fault_errnos takes a ':'-separated list of "
                                    + FaultPlan.knownErrnos() + ", not '" + value + "'");
                        }
                    }
                    case "fault_short_writes" -> shortWrites = flag(key, value);
                    case "fault_delay_ms" -> delayMs = intIn(key, value, 0, 60_000);
                    case "fault_seed" -> seed = longValue(key, value);
                    case LATENCY -> latency = intIn(key, value, 0, 10_000_000);
                    default -> {
                        if (key.startsWith(FAULT_PREFIX)) {
                            throw new IllegalArgumentException("unknown fault option '" + item + "' (known: fault_rate, "
                                    + "fault_errnos, fault_short_writes, fault_delay_ms, fault_seed, " + LATENCY + ")");
                        }
                        if (!item.isEmpty()) {
                            kept.add(item);
                        }
                    }
                }
            }
            if (!kept.isEmpty()) {
                remaining.add(String.join(",", kept));
            }
        }
        return new FaultOptions(new FaultPlan(rate, errnos, shortWrites, delayMs, seed), latency, remaining);
    }

    /** A command line with its fault options taken out of every {@code -o} argument. */
    public record CommandLine(FaultOptions faults, List<String> args) {}

    /**
     * Takes the fault options out of a daemon command line ({@code mount -f SRC MNT -o a,fault_rate=9 -o b}): every
     * {@code -o VALUE} and {@code -oVALUE}; an {@code -o} left empty is dropped. The faults of all of them together.
     */
    public static CommandLine split(List<String> args) {
        List<String> out = new ArrayList<>();
        List<String> optionStrings = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-o") && i + 1 < args.size()) {
                slots.add(out.size());
                optionStrings.add(args.get(++i));
                out.add(null);
            } else if (a.startsWith("-o") && a.length() > 2) {
                slots.add(out.size());
                optionStrings.add(a.substring(2));
                out.add(null);
            } else {
                out.add(a);
            }
        }
        List<String> result = new ArrayList<>();
        FaultOptions all = parse(optionStrings);
        for (int i = 0, slot = 0; i < out.size(); i++) {
            if (out.get(i) != null) {
                result.add(out.get(i));
                continue;
            }
            List<String> rest = parse(List.of(optionStrings.get(slot++))).remaining();
            if (!rest.isEmpty()) {
                result.add("-o");
                result.add(rest.get(0));
            }
        }
        return new CommandLine(all, result);
    }

    /** Whether any layer is asked for. */
    public boolean enabled() {
        return plan.enabled() || latencyUs > 0;
    }

    /**
     * The backend as the options make it: {@link BackendLatency} innermost (the "device" is slow), {@link
     * FaultInjection} over it (faults are decided before the device is reached); {@code backend} itself when nothing
     * is asked for.
     */
    public <F, D> FileSystem<F, D> wrap(FileSystem<F, D> backend) {
        FileSystem<F, D> fs = backend;
        if (latencyUs > 0) {
            fs = new BackendLatency<>(fs, latencyUs);
        }
        if (plan.enabled()) {
            fs = new FaultInjection<>(fs, plan);
        }
        return fs;
    }

    /** The fault options as one option string (empty when none), for logs and for passing them on. */
    public String render() {
        List<String> parts = new ArrayList<>();
        if (plan.enabled()) {
            parts.add(plan.render());
        }
        if (latencyUs > 0) {
            parts.add(LATENCY + "=" + latencyUs);
        }
        return String.join(",", parts);
    }

    private static boolean flag(String key, String value) {
        if (value != null) {
            throw new IllegalArgumentException("option " + key + " takes no value");
        }
        return true;
    }

    private static String text(String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("option " + key + " needs a value (" + key + "=...)");
        }
        return value;
    }

    private static int intIn(String key, String value, int min, int max) {
        try {
            int v = Integer.parseInt(text(key, value));
            if (v < min || v > max) {
                throw new IllegalArgumentException("option " + key + " must be between " + min + " and " + max + ", not " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + " needs a whole number, not '" + value + "'");
        }
    }

    private static long longValue(String key, String value) {
        try {
            return Long.parseLong(text(key, value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + " needs a whole number, not '" + value + "'");
        }
    }
}
