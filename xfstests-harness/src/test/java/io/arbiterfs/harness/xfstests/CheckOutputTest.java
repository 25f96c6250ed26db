package io.arbiterfs.harness.xfstests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.harness.core.Outcome.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CheckOutputTest {
    // the shapes of check's output (hand-written from its format, not a copy of a real run)
    private static final String OUTPUT = String.join("\n",
            "SECTION       -- arbiterfs",
            "FSTYP         -- fuse",
            "PLATFORM      -- Linux/x86_64 host 6.18.44",
            "",
            "generic/091 1s ...  2s",
            "generic/095       [not run] O_DIRECT is not supported",
            "generic/130 1s ... - output mismatch (see /x/results/arbiterfs/generic/130.out.bad)",
            "    --- tests/generic/130.out",
            "    +++ /x/results/arbiterfs/generic/130.out.bad",
            "    @@ -1,3 +1,3 @@",
            "generic/418       [not run] require arbiterfs_test to be valid block disk",
            "generic/551       [failed, exit status 137]- output mismatch (see /x/results/arbiterfs/generic/551.out.bad)",
            "generic/209 32s ...  31s",
            "Ran: generic/091 generic/095 generic/130 generic/418 generic/551 generic/209",
            "Not run: generic/095 generic/418",
            "Failures: generic/130 generic/551",
            "Failed 2 of 6 tests",
            "");

    @Test
    void classifiesEveryTestLine() {
        List<CheckOutput.Entry> entries = CheckOutput.parse(OUTPUT);
        Map<String, Status> st = entries.stream().collect(Collectors.toMap(CheckOutput.Entry::name, e -> e.outcome().status()));
        assertEquals(Map.of("generic/091", Status.PASS, "generic/095", Status.NOT_RUN, "generic/130", Status.FAIL,
                "generic/418", Status.NOT_RUN, "generic/551", Status.FAIL, "generic/209", Status.PASS), st);
    }

    @Test
    void keepsReasonsTimesAndDiffLines() {
        Map<String, CheckOutput.Entry> by = CheckOutput.parse(OUTPUT).stream()
                .collect(Collectors.toMap(CheckOutput.Entry::name, e -> e));
        assertEquals("O_DIRECT is not supported", by.get("generic/095").outcome().detail());
        assertEquals(Duration.ofSeconds(31), by.get("generic/209").elapsed());
        assertEquals(Duration.ofSeconds(2), by.get("generic/091").elapsed());
        assertTrue(by.get("generic/130").outcome().detail().contains("output mismatch"));
        assertTrue(by.get("generic/130").outcome().detail().contains("+++ /x/results/arbiterfs/generic/130.out.bad"));
        assertTrue(by.get("generic/551").outcome().detail().contains("exit status 137"));
    }

    @Test
    void aFirstRunHasOnlyTheCurrentTime() {
        // without an earlier result check prints no "Ns ..." before the time
        List<CheckOutput.Entry> e = CheckOutput.parse("generic/001         6s\ngeneric/026        [not run] fuse does not define maximum ACL count\n");
        assertEquals(Status.PASS, e.get(0).outcome().status());
        assertEquals(Duration.ofSeconds(6), e.get(0).elapsed());
        assertEquals("fuse does not define maximum ACL count", e.get(1).outcome().detail());
    }

    @Test
    void failuresLineWinsOverAPassLookingLine() {
        String out = "generic/001 3s ...  3s\nRan: generic/001\nFailures: generic/001\nFailed 1 of 1 tests\n";
        assertEquals(Status.FAIL, CheckOutput.parse(out).get(0).outcome().status());
    }

    @Test
    void full095PostCheckCountsProcessesAndErrors() {
        StringBuilder full = new StringBuilder();
        for (int j = 1; j <= 9; j++) {
            for (int p = 0; p < 5; p++) {
                if (j >= 8 && p >= 0) {
                    continue; // the mmap jobs never ran (ENODEV): 095 itself passes this
                }
                full.append("job").append(j).append(": (groupid=0, jobs=1): err= ").append(j == 2 && p == 0 ? 5 : 0)
                        .append(": pid=1: Sat\n");
            }
        }
        List<String> problems = Full095.check(full.toString(), 1);
        assertTrue(problems.contains("job2: err=5"), problems.toString());
        assertTrue(problems.contains("job8: 0 processes reported, expected 5"), problems.toString());
        assertTrue(problems.contains("job9: 0 processes reported, expected 5"), problems.toString());
        assertEquals(3, problems.size(), problems.toString());
    }
}
