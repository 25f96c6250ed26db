package io.arbiterfs.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.arbiterfs.harness.core.Catalog;
import io.arbiterfs.harness.core.ForkedMount;
import io.arbiterfs.harness.core.HarnessTest;
import io.arbiterfs.harness.core.Outcome;
import io.arbiterfs.harness.core.Report;
import io.arbiterfs.harness.core.Runner;
import io.arbiterfs.harness.core.Settings;
import io.arbiterfs.harness.core.TestResult;
import io.arbiterfs.testkit.mount.Mountpoints;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CI quick set: every test of the subset (095 at LOAD_FACTOR 1, the coherence tests, fsx with
 * 100k operations) against one fresh default mount; each must pass. A test that cannot run (fio
 * missing) is a failure here: CI installs fio, so a skip would hide a broken setup.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("mount")
class QuickSetTest {
    private static final Logger log = LoggerFactory.getLogger(QuickSetTest.class);
    private static final Path RESULTS = Path.of(System.getProperty("arbiterfs.harness.results", "target/harness-results"), "quick");

    private ForkedMount mount;
    private Runner runner;

    @BeforeAll
    void mount() throws Exception {
        mount = ForkedMount.start("quick", List.of(), RESULTS.resolve("quick"));
        runner = new Runner(new Settings(1, 100_000, 1), RESULTS, log::info);
    }

    @AfterAll
    void unmount() throws Exception {
        Path mnt = mount.root();
        mount.close();
        assertFalse(Mountpoints.isMounted(mnt), "mount left behind at " + mnt);
    }

    @TestFactory
    Stream<DynamicTest> subset() {
        return Catalog.all().stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> check(t)));
    }

    private void check(HarnessTest t) {
        TestResult r = runner.runOne(mount, t);
        log.info(Report.line(r));
        if (r.outcome().status() != Outcome.Status.PASS) {
            fail(Report.line(r));
        }
        assertEquals(Outcome.Status.PASS, r.outcome().status());
    }
}
