package io.arbiterfs.harness.xfstests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.harness.core.Outcome.Status;
import io.arbiterfs.harness.core.TestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XfstestsRun against a stand-in ./check that prints check's line shapes and leaves its result files. */
class XfstestsRunTest {
    @TempDir
    Path dir;

    private XfstestsConfig cfg;
    private final List<String> said = new ArrayList<>();

    private XfstestsRun run(String checkBody, Duration timeout) throws IOException {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.createDirectories(tree.resolve("tests/generic"));
        Files.writeString(tree.resolve("tests/generic/003.out"), "QA output created by 003\nSilence is golden\n");
        Files.writeString(tree.resolve("tests/generic/007.out"), "QA output created by 007\nSilence is golden\n");
        cfg = new XfstestsConfig("srv", "srv", dir.resolve("bt"), dir.resolve("bs"), Files.createDirectories(dir.resolve("t")),
                Files.createDirectories(dir.resolve("s")), dir.resolve("results"), List.of(), 1);
        Path r = Files.createDirectories(cfg.sectionResults().resolve("generic"));
        Path check = tree.resolve("check");
        Files.writeString(check, "#!/bin/bash\nR=" + r + "\nSCRATCH_DEV=" + cfg.scratchDev() + "\n" + checkBody);
        Files.setPosixFilePermissions(check, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = Files.writeString(dir.resolve("local.config"), cfg.render());
        return new XfstestsRun(tree, config, cfg, timeout, said::add);
    }

    private static final String CHECK = String.join("\n",
            "if [ \"$1\" = -n ]; then echo generic/001; echo generic/002; exit 0; fi",
            "shift 2",
            "for t in \"$@\"; do",
            "  n=${t#generic/}",
            "  printf '%s ' \"$t\"",
            "  case $n in",
            "  001) echo '      1s' ;;",
            "  002) echo \"needs a thing\" > $R/002.notrun; echo '       [not run] needs a thing' ;;",
            "  003) printf 'QA output created by 003\\nsetfattr: Operation not supported\\n' > $R/003.out.bad",
            "       echo \"- output mismatch (see $R/003.out.bad)\"; echo '    --- tests/generic/003.out'",
            "       failed=\"$failed $t\" ;;",
            "  004) echo '[ 1.0] WARNING: CPU: 1 PID: 2 at fs/fuse/file.c:1 x' > $R/004.dmesg",
            "       echo \"_check_dmesg: something found (see $R/004.dmesg)\"; failed=\"$failed $t\" ;;",
            "  005) sleep 600 ;;",
            "  006) echo \"require $SCRATCH_DEV to be valid block disk\" > $R/006.notrun; echo \" [not run] require $SCRATCH_DEV to be valid block disk\" ;;",
            "  007) printf 'QA output created by 007\\n%s/tests/generic/007: line 9: ulimit: Operation not permitted\\n' \"$PWD\" > $R/007.out.bad",
            "       echo '- output mismatch' ;;",
            "  esac",
            "done",
            "[ -n \"$failed\" ] && echo \"Failures:$failed\"",
            "exit 0",
            "");

    @Test
    void eachFailureCarriesItsCauseAndEachNotRunItsReason() throws IOException {
        XfstestsRun run = run(CHECK, Duration.ofMinutes(5));
        List<TestResult> results = run.run(List.of("generic/001", "generic/002", "generic/003", "generic/004"),
                dir.resolve("check.log"));
        Map<String, TestResult> by = results.stream().collect(Collectors.toMap(TestResult::name, r -> r));
        assertEquals(Status.PASS, by.get("generic/001").outcome().status());
        assertEquals(Duration.ofSeconds(1), by.get("generic/001").elapsed());
        assertEquals(Status.NOT_RUN, by.get("generic/002").outcome().status());
        assertEquals("needs a thing", by.get("generic/002").outcome().detail());
        String d3 = by.get("generic/003").outcome().detail();
        assertTrue(d3.startsWith("output mismatch: +setfattr: Operation not supported\n"), d3);
        assertTrue(d3.contains("\n  +setfattr: Operation not supported"), "the diff: " + d3);
        String d4 = by.get("generic/004").outcome().detail();
        assertTrue(d4.startsWith("kernel log problem: kernel log: [ 1.0] WARNING: CPU: 1 PID: 2 at fs/fuse/file.c:1"), d4);
        assertTrue(Files.readString(dir.resolve("check.log")).contains("generic/001       1s"), "check's output is logged");
    }

    @Test
    void causesUseXfstestsPlaceholdersForThisRunsPaths() throws IOException {
        XfstestsRun run = run(CHECK, Duration.ofMinutes(5));
        List<TestResult> results = run.run(List.of("generic/006", "generic/007"), dir.resolve("check.log"));
        assertEquals("require SCRATCH_DEV to be valid block disk", results.get(0).outcome().detail());
        assertTrue(results.get(1).outcome().detail().startsWith(
                "output mismatch: +tests/generic/007: line 9: ulimit: Operation not permitted\n"), results.get(1).toString());
    }

    @Test
    void aTestThatOutlivesTheLimitIsKilledAndCheckGoesOnWithTheRest() throws IOException {
        XfstestsRun run = run(CHECK, Duration.ofSeconds(2));
        long start = System.nanoTime();
        List<TestResult> results = run.run(List.of("generic/001", "generic/005", "generic/002"), dir.resolve("check.log"));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(60).toNanos(), "the 600 s sleep was not waited out");
        Map<String, TestResult> by = results.stream().collect(Collectors.toMap(TestResult::name, r -> r));
        assertEquals(Status.PASS, by.get("generic/001").outcome().status());
        assertEquals(Status.FAIL, by.get("generic/005").outcome().status());
        assertTrue(by.get("generic/005").outcome().detail().startsWith("no result after"), by.get("generic/005").toString());
        assertEquals(Status.NOT_RUN, by.get("generic/002").outcome().status(), "run by the restarted check");
        assertEquals("needs a thing", by.get("generic/002").outcome().detail());
        assertTrue(said.stream().anyMatch(l -> l.startsWith("TIMEOUT       -- generic/005")), said.toString());
    }

    @Test
    void testsCheckNeverReachedAreNotRunWithTheReason() throws IOException {
        XfstestsRun run = run("shift 2\necho 'generic/001       1s'\necho Interrupted!\nexit 1\n", Duration.ofMinutes(5));
        List<TestResult> results = run.run(List.of("generic/001", "generic/002"), dir.resolve("check.log"));
        assertEquals(Status.PASS, results.get(0).outcome().status());
        assertEquals(Status.NOT_RUN, results.get(1).outcome().status());
        assertTrue(results.get(1).outcome().detail().startsWith("check ended before this test (exit 1"), results.get(1).toString());
    }

    @Test
    void aGroupIsExpandedWithCheckDashN() throws IOException {
        XfstestsRun run = run(CHECK, Duration.ofMinutes(5));
        assertEquals(List.of("generic/001", "generic/002"), run.expand(List.of("-g", "quick")));
    }

    @Test
    void verdictsLoseTheFileNames() {
        assertEquals("output mismatch", XfstestsRun.verdict("- output mismatch (see /r/x.out.bad)"));
        assertEquals("exit status 137, output mismatch", XfstestsRun.verdict("[failed, exit status 137]- output mismatch (see /r)"));
        assertEquals("kernel log problem", XfstestsRun.verdict("_check_dmesg: something found (see /r/x.dmesg)"));
    }
}
