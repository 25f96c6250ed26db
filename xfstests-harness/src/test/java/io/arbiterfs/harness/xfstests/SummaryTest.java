package io.arbiterfs.harness.xfstests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbiterfs.harness.core.Outcome;
import io.arbiterfs.harness.core.TestResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryTest {
    @TempDir
    Path dir;

    private static TestResult r(String name, Outcome o) {
        return new TestResult("xfstests:x", name, o, Duration.ofSeconds(3), null);
    }

    @Test
    void runsReadBackAndCompareInOneTable() throws IOException {
        Path a = dir.resolve("a.tsv");
        Path b = dir.resolve("b.tsv");
        Summary.write(a, "arbiterfs", List.of(r("generic/001", Outcome.pass()),
                r("generic/062", Outcome.fail("output mismatch: +setfattr: x | y\nmore\tlines")),
                r("generic/389", Outcome.notRun("O_TMPFILE is not supported"))));
        Summary.write(b, "passthrough_hp (/x/passthrough_hp)", List.of(r("generic/001", Outcome.pass()),
                r("generic/062", Outcome.pass()), r("generic/389", Outcome.pass())));
        Summary.Run ra = Summary.read(a);
        assertEquals("arbiterfs", ra.server());
        assertEquals(new Outcome(Outcome.Status.FAIL, "output mismatch: +setfattr: x | y"), ra.outcomes().get("generic/062"));
        assertEquals(3L, ra.seconds().get("generic/001"));
        assertEquals(List.of(
                "| test | arbiterfs | passthrough_hp (/x/passthrough_hp) |",
                "|---|---|---|",
                "| generic/001 | passed | passed |",
                "| generic/062 | **failed**: output mismatch: +setfattr: x \\| y | passed |",
                "| generic/389 | not run: O_TMPFILE is not supported | passed |",
                "",
                "arbiterfs: ran 2, passed 1, failed 1, not run 1",
                "passthrough_hp (/x/passthrough_hp): ran 3, passed 3, failed 0, not run 0"),
                Summary.table(List.of(ra, Summary.read(b))));
    }
}
