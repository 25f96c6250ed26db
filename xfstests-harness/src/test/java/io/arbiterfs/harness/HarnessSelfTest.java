package io.arbiterfs.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.harness.core.ForkedMount;
import io.arbiterfs.testkit.mount.Mountpoints;
import io.arbiterfs.harness.core.HarnessTest;
import io.arbiterfs.harness.core.Outcome;
import io.arbiterfs.harness.core.Report;
import io.arbiterfs.harness.core.Runner;
import io.arbiterfs.harness.core.Settings;
import io.arbiterfs.harness.core.TestResult;
import io.arbiterfs.harness.fsx.Fsx;
import io.arbiterfs.harness.tests.BufferedDirectCoherence;
import io.arbiterfs.harness.tests.Fio095;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The harness must fail a file system that loses or misplaces writes. The mount here is served
 * through {@link io.arbiterfs.testkit.fs.BrokenFs} (below the arbitration, {@link BrokenDaemon}), which acknowledges every 37th WRITE without
 * writing it (or writes it a page too far); fsx and 095's closing verification must both report a
 * failure that names the bad data.
 */
@Tag("mount")
class HarnessSelfTest {
    private static final Logger log = LoggerFactory.getLogger(HarnessSelfTest.class);
    private static final Path RESULTS = Path.of(System.getProperty("arbiterfs.harness.results", "target/harness-results"), "selftest");

    @Test
    void droppedWritesFailFsxAnd095() throws Exception {
        List<TestResult> results = runBroken("drop:37", List.of(new Fsx(), new Fio095(), new BufferedDirectCoherence()));
        for (TestResult r : results) {
            assertEquals(Outcome.Status.FAIL, r.outcome().status(), "harness passed a file system that drops writes: " + Report.line(r));
        }
        assertTrue(results.get(0).outcome().detail().contains("miscompare") || results.get(0).outcome().detail().contains("size"),
                results.get(0).outcome().detail());
        assertTrue(results.get(1).outcome().detail().contains("miscompare"), results.get(1).outcome().detail());
    }

    @Test
    void misplacedWritesFailFsxAnd095() throws Exception {
        List<TestResult> results = runBroken("shift:37", List.of(new Fsx(), new Fio095()));
        for (TestResult r : results) {
            assertEquals(Outcome.Status.FAIL, r.outcome().status(), "harness passed a file system that misplaces writes: " + Report.line(r));
            assertTrue(r.outcome().detail().contains("miscompare") || r.outcome().detail().contains("file size"), r.outcome().detail());
        }
    }

    private List<TestResult> runBroken(String fault, List<HarnessTest> tests) throws Exception {
        Runner runner = new Runner(new Settings(1, 20_000, 7), RESULTS.resolve(fault.replace(':', '-')), log::info);
        ForkedMount mount = ForkedMount.start("broken-" + fault.replace(':', '-'), List.of(), RESULTS.resolve(fault.replace(':', '-')),
                BrokenDaemon.class.getName(), List.of(fault));
        Path mnt = mount.root();
        try {
            List<TestResult> results = tests.stream().map(t -> runner.runOne(mount, t)).toList();
            results.forEach(r -> log.info(Report.line(r)));
            return results;
        } finally {
            mount.close();
            assertFalse(Mountpoints.isMounted(mnt), "mount left behind at " + mnt);
        }
    }
}
