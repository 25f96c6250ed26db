package io.arbiterfs.harness.xfstests;

import io.arbiterfs.harness.core.Outcome;
import io.arbiterfs.harness.core.TestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real-xfstests run in one file ({@code xfstests-summary.tsv} in the results directory: the
 * server, then one test a line with its status, seconds and one-line cause), and the comparison
 * table of several runs ({@code --compare}).
 */
public final class Summary {
    public static final String FILE = "xfstests-summary.tsv";

    /** One run: which server, and each test's outcome (first line of its cause only). */
    public record Run(String server, Map<String, Outcome> outcomes, Map<String, Long> seconds) {}

    private Summary() {}

    public static void write(Path file, String server, List<TestResult> results) throws IOException {
        StringBuilder b = new StringBuilder("# server\t").append(clean(server)).append('\n');
        b.append("# test\tstatus\tseconds\tcause\n");
        for (TestResult r : results) {
            b.append(r.name()).append('\t').append(r.outcome().status()).append('\t')
                    .append(Math.round(r.elapsed().toMillis() / 1000.0)).append('\t')
                    .append(clean(r.outcome().detail().lines().findFirst().orElse(""))).append('\n');
        }
        Files.writeString(file, b);
    }

    /** Reads a summary file, or the one in a results directory. */
    public static Run read(Path fileOrDir) throws IOException {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve(FILE) : fileOrDir;
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + FILE + " at " + fileOrDir);
        }
        String server = file.toString();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        Map<String, Long> seconds = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t", -1);
            if (line.startsWith("# server\t")) {
                server = f[1];
            } else if (!line.startsWith("#") && f.length == 4) {
                outcomes.put(f[0], new Outcome(Outcome.Status.valueOf(f[1]), f[3]));
                seconds.put(f[0], Long.parseLong(f[2]));
            }
        }
        return new Run(server, outcomes, seconds);
    }

    /** A markdown table, one row per test that any run has: pass / failed (cause) / not run (reason). */
    public static List<String> table(List<Run> runs) {
        Set<String> tests = new LinkedHashSet<>();
        runs.forEach(r -> tests.addAll(r.outcomes().keySet()));
        List<String> lines = new ArrayList<>();
        StringBuilder head = new StringBuilder("| test |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Run r : runs) {
            head.append(' ').append(cell(r.server())).append(" |");
            rule.append("---|");
        }
        lines.add(head.toString());
        lines.add(rule.toString());
        for (String t : tests) {
            StringBuilder row = new StringBuilder("| ").append(t).append(" |");
            for (Run r : runs) {
                Outcome o = r.outcomes().get(t);
                row.append(' ').append(o == null ? "–" : cell(describe(o))).append(" |");
            }
            lines.add(row.toString());
        }
        lines.add("");
        for (Run r : runs) {
            long pass = count(r, Outcome.Status.PASS);
            long fail = count(r, Outcome.Status.FAIL);
            long notRun = count(r, Outcome.Status.NOT_RUN);
            lines.add(String.format("%s: ran %d, passed %d, failed %d, not run %d", r.server(), pass + fail, pass, fail, notRun));
        }
        return lines;
    }

    static String describe(Outcome o) {
        return switch (o.status()) {
            case PASS -> "passed";
            case FAIL -> "**failed**: " + o.detail();
            case NOT_RUN -> "not run: " + o.detail();
        };
    }

    private static long count(Run r, Outcome.Status s) {
        return r.outcomes().values().stream().filter(o -> o.status() == s).count();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').strip();
    }
}
