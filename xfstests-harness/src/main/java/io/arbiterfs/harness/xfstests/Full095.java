package io.arbiterfs.harness.xfstests;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The post-check generic/095 lacks: in its .full file (fio's normal report) each of job1..job9 must
 * have 5 x LOAD_FACTOR per-process lines, all with {@code err= 0}. Fewer lines mean processes that
 * never ran (e.g. mmap jobs refused with ENODEV), which 095 itself lets pass.
 */
public final class Full095 {
    private static final Pattern JOB_LINE = Pattern.compile("^(job\\d+): \\(groupid=\\d+, jobs=\\d+\\): err=\\s*(\\d+)", Pattern.MULTILINE);

    private Full095() {}

    /** The problems found (empty when the workload ran completely and cleanly). */
    public static List<String> check(String full, int loadFactor) {
        int[] count = new int[10];
        List<String> problems = new ArrayList<>();
        Matcher m = JOB_LINE.matcher(full);
        while (m.find()) {
            int job = Integer.parseInt(m.group(1).substring(3));
            if (job >= 1 && job <= 9) {
                count[job]++;
            }
            if (!m.group(2).equals("0")) {
                problems.add(m.group(1) + ": err=" + m.group(2));
            }
        }
        for (int j = 1; j <= 9; j++) {
            if (count[j] != 5 * loadFactor) {
                problems.add(String.format("job%d: %d processes reported, expected %d", j, count[j], 5 * loadFactor));
            }
        }
        return problems;
    }
}
