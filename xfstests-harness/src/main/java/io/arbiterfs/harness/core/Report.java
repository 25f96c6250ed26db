package io.arbiterfs.harness.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** xfstests-style report lines and summary, and the JUnit XML report. */
public final class Report {
    private static final int DETAIL_LINES = 12;

    private Report() {}

    /** {@code arbiter/095 4s ... pass}, {@code arbiter/095 [not run] reason} or a failure with its detail. */
    public static String line(TestResult r) {
        String name = String.format("%-14s", r.name());
        long secs = Math.round(r.elapsed().toMillis() / 1000.0);
        return switch (r.outcome().status()) {
            case PASS -> name + secs + "s ... pass";
            case NOT_RUN -> name + "[not run] " + r.outcome().detail();
            case FAIL -> {
                StringBuilder sb = new StringBuilder(name + secs + "s ... - failed");
                String[] lines = r.outcome().detail().split("\n");
                for (int i = 0; i < Math.min(lines.length, DETAIL_LINES); i++) {
                    sb.append("\n    ").append(lines[i]);
                }
                if (lines.length > DETAIL_LINES) {
                    sb.append("\n    ... (").append(lines.length - DETAIL_LINES).append(" more lines)");
                }
                if (r.log() != null) {
                    sb.append("\n    (see ").append(r.log()).append(")");
                }
                yield sb.toString();
            }
        };
    }

    /** The xfstests-style summary of one section or of everything. */
    public static List<String> summary(List<TestResult> results) {
        List<String> lines = new ArrayList<>();
        if (results.stream().map(TestResult::section).distinct().count() > 1) {
            return matrixSummary(results);
        }
        List<String> ran = new ArrayList<>();
        List<String> notRun = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (TestResult r : results) {
            String n = r.name();
            switch (r.outcome().status()) {
                case PASS -> ran.add(n);
                case FAIL -> {
                    ran.add(n);
                    failed.add(n);
                }
                case NOT_RUN -> notRun.add(n);
            }
        }
        lines.add("Ran: " + String.join(" ", ran));
        if (!notRun.isEmpty()) {
            lines.add("Not run: " + String.join(" ", notRun));
        }
        if (!failed.isEmpty()) {
            lines.add("Failures: " + String.join(" ", failed));
            lines.add("Failed " + failed.size() + " of " + ran.size() + " tests");
        } else if (ran.isEmpty()) {
            lines.add("No tests ran");
        } else {
            lines.add("Passed all " + ran.size() + " tests");
        }
        return lines;
    }

    /** One line per section, then the totals: a matrix run's full name lists would be unreadable. */
    private static List<String> matrixSummary(List<TestResult> results) {
        Map<String, List<TestResult>> bySection = new LinkedHashMap<>();
        results.forEach(r -> bySection.computeIfAbsent(r.section(), k -> new ArrayList<>()).add(r));
        List<String> lines = new ArrayList<>();
        int ran = 0;
        int failed = 0;
        for (var e : bySection.entrySet()) {
            List<String> f = new ArrayList<>();
            List<String> nr = new ArrayList<>();
            int r = 0;
            for (TestResult t : e.getValue()) {
                switch (t.outcome().status()) {
                    case PASS -> r++;
                    case FAIL -> {
                        r++;
                        f.add(t.name());
                    }
                    case NOT_RUN -> nr.add(t.name());
                }
            }
            ran += r;
            failed += f.size();
            lines.add(String.format("%-52s ran %d, failed %d%s%s", e.getKey() + ":", r, f.size(),
                    f.isEmpty() ? "" : " (" + String.join(" ", f) + ")",
                    nr.isEmpty() ? "" : ", not run " + String.join(" ", nr)));
        }
        lines.add(failed == 0 ? (ran == 0 ? "No tests ran" : "Passed all " + ran + " tests")
                : "Failed " + failed + " of " + ran + " tests");
        return lines;
    }

    /** True when at least one test ran and none failed: the runner's exit status. */
    public static boolean allPassed(List<TestResult> results) {
        return results.stream().noneMatch(r -> r.outcome().failed())
                && results.stream().anyMatch(r -> r.outcome().passed());
    }

    /** One {@code <testsuite>} per section. */
    public static void writeJUnit(List<TestResult> results, Path file) throws IOException {
        Map<String, List<TestResult>> bySection = new LinkedHashMap<>();
        results.forEach(r -> bySection.computeIfAbsent(r.section(), k -> new ArrayList<>()).add(r));
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        for (var e : bySection.entrySet()) {
            List<TestResult> rs = e.getValue();
            long failures = rs.stream().filter(r -> r.outcome().failed()).count();
            long skipped = rs.stream().filter(r -> r.outcome().status() == Outcome.Status.NOT_RUN).count();
            double time = rs.stream().mapToLong(r -> r.elapsed().toMillis()).sum() / 1000.0;
            x.append(String.format("  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" skipped=\"%d\" time=\"%.3f\">%n",
                    esc(e.getKey()), rs.size(), failures, skipped, time));
            for (TestResult r : rs) {
                x.append(String.format("    <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"",
                        esc(r.section()), esc(r.name()), r.elapsed().toMillis() / 1000.0));
                switch (r.outcome().status()) {
                    case PASS -> x.append("/>\n");
                    case NOT_RUN -> x.append(">\n      <skipped message=\"").append(esc(r.outcome().detail())).append("\"/>\n    </testcase>\n");
                    case FAIL -> x.append(">\n      <failure message=\"").append(esc(firstLine(r.outcome().detail())))
                            .append("\">").append(esc(r.outcome().detail()))
                            .append(r.log() == null ? "" : esc("\nlog: " + r.log()))
                            .append("</failure>\n    </testcase>\n");
                }
            }
            x.append("  </testsuite>\n");
        }
        x.append("</testsuites>\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, x);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
