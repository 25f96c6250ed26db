package io.arbiterfs.harness.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private final TestResult pass = new TestResult("s", "arbiter/095", Outcome.pass(), Duration.ofSeconds(4), null);
    private final TestResult skip = new TestResult("s", "arbiter/451", Outcome.notRun("libaio not installed"), Duration.ZERO, null);
    private final TestResult fail = new TestResult("s", "arbiter/fsx", Outcome.fail("read miscompare at offset 0x10\n  expected: 00"),
            Duration.ofSeconds(12), Path.of("results/s/arbiter/fsx.full"));

    @Test
    void linesLookLikeXfstests() {
        assertEquals("arbiter/095   4s ... pass", Report.line(pass));
        assertEquals("arbiter/451   [not run] libaio not installed", Report.line(skip));
        assertTrue(Report.line(fail).startsWith("arbiter/fsx   12s ... - failed\n    read miscompare at offset 0x10"));
    }

    @Test
    void summaryAndExitStatus() {
        assertEquals(List.of("Ran: arbiter/095 arbiter/fsx", "Not run: arbiter/451", "Failures: arbiter/fsx", "Failed 1 of 2 tests"),
                Report.summary(List.of(pass, skip, fail)));
        assertEquals(List.of("Ran: arbiter/095", "Not run: arbiter/451", "Passed all 1 tests"), Report.summary(List.of(pass, skip)));
        assertTrue(Report.allPassed(List.of(pass, skip)));
        assertFalse(Report.allPassed(List.of(pass, fail)));
        assertFalse(Report.allPassed(List.of(skip)), "nothing ran: not a pass");
    }

    @Test
    void junitXmlCountsAndEscapes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("junit.xml");
        Report.writeJUnit(List.of(pass, skip, fail), f);
        String x = Files.readString(f);
        assertTrue(x.contains("<testsuite name=\"s\" tests=\"3\" failures=\"1\" skipped=\"1\""), x);
        assertTrue(x.contains("<skipped message=\"libaio not installed\"/>"), x);
        assertTrue(x.contains("<failure message=\"read miscompare at offset 0x10\">"), x);
    }

    @Test
    void matrixKeepsPassthroughVisible() {
        List<Matrix.Combination> m = Matrix.combinations(List.of());
        assertEquals(16, m.size());
        assertEquals(8, m.stream().filter(c -> c.options().contains("passthrough")).count());
        m.stream().filter(c -> !c.options().contains("passthrough")).forEach(c -> assertEquals(null, c.unavailable(), c.section()));
    }
}
