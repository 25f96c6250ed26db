package io.arbiterfs.harness.xfstests;

import io.arbiterfs.harness.core.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads xfstests' ./check output into per-test outcomes. Per-test lines look like
 * {@code generic/095 2s ...  3s}, {@code generic/418       [not run] reason},
 * {@code generic/091 1s ... - output mismatch (see .../091.out.bad)} or
 * {@code generic/551 [failed, exit status 137]- output mismatch ...}; the closing
 * {@code Failures:} line is authoritative for which tests failed.
 */
public final class CheckOutput {
    /** One test as check reported it. */
    public record Entry(String name, Outcome outcome, Duration elapsed) {}

    private static final Pattern TEST = Pattern.compile("^([a-z0-9_-]+/\\d{3,})\\s+(.*)$");
    private static final Pattern NOT_RUN = Pattern.compile("\\[not run\\]\\s*(.*)");
    private static final Pattern SECONDS = Pattern.compile("(\\d+)s\\s*$");
    private static final Pattern FAILURES = Pattern.compile("^Failures:\\s*(.*)$");

    private CheckOutput() {}

    public static List<Entry> parse(String output) {
        Map<String, Entry> byName = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        String last = null;
        StringBuilder extra = new StringBuilder();
        for (String line : output.split("\n")) {
            String l = line.stripTrailing();
            Matcher f = FAILURES.matcher(l);
            if (f.find()) {
                failures.addAll(List.of(f.group(1).trim().split("\\s+")));
                continue;
            }
            Matcher m = TEST.matcher(l);
            if (m.find()) {
                flush(byName, last, extra);
                last = m.group(1);
                byName.put(last, classify(last, m.group(2)));
                continue;
            }
            if (last != null && line.startsWith(" ") && !l.isBlank()) {
                extra.append(l.strip()).append('\n'); // diff lines and notes under a failing test
            }
        }
        flush(byName, last, extra);
        for (String name : failures) {
            Entry e = byName.get(name);
            if (e != null && !e.outcome().failed()) {
                byName.put(name, new Entry(name, Outcome.fail("listed under Failures: by check"), e.elapsed()));
            } else if (e == null && !name.isBlank()) {
                byName.put(name, new Entry(name, Outcome.fail("listed under Failures: by check"), Duration.ZERO));
            }
        }
        return new ArrayList<>(byName.values());
    }

    private static void flush(Map<String, Entry> byName, String name, StringBuilder extra) {
        if (name != null && extra.length() > 0) {
            Entry e = byName.get(name);
            if (e.outcome().failed()) {
                byName.put(name, new Entry(name, Outcome.fail(e.outcome().detail() + "\n" + extra.toString().strip()), e.elapsed()));
            }
        }
        extra.setLength(0);
    }

    private static Entry classify(String name, String rest) {
        Matcher nr = NOT_RUN.matcher(rest);
        if (nr.find()) {
            return new Entry(name, Outcome.notRun(nr.group(1).trim()), Duration.ZERO);
        }
        Duration took = Duration.ZERO;
        Matcher s = SECONDS.matcher(rest);
        if (s.find()) {
            took = Duration.ofSeconds(Long.parseLong(s.group(1)));
        }
        if (rest.contains("- output mismatch") || rest.contains("[failed") || rest.contains("_check_dmesg")) {
            return new Entry(name, Outcome.fail(rest.replaceFirst("^\\d+s\\s*\\.\\.\\.\\s*", "").trim()), took);
        }
        if (rest.contains("[expunged]")) {
            return new Entry(name, Outcome.notRun("expunged"), Duration.ZERO);
        }
        return new Entry(name, Outcome.pass(), took);
    }
}
