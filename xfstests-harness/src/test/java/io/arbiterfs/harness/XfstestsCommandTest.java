package io.arbiterfs.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.harness.core.Outcome;
import io.arbiterfs.harness.core.TestResult;
import io.arbiterfs.harness.xfstests.Summary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line of the real-xfstests mode: what is refused before anything is set up, and --compare. */
class XfstestsCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new XfstestsCommand()).execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void realOnlyOptionsWithoutRealAreAUsageError() {
        Run r = run("--tests", "generic/001");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("go with --real"), r.err());
    }

    @Test
    void realRunsOnlyThroughTheLauncher() {
        String before = System.getProperty("arbiterfs.launcher");
        System.clearProperty("arbiterfs.launcher");
        try {
            Run r = run("--real", "--group", "dio-mmap");
            assertEquals(2, r.exit());
            assertTrue(r.err().contains("through the ./arbiterfs launcher"), r.err());
        } finally {
            if (before != null) {
                System.setProperty("arbiterfs.launcher", before);
            }
        }
    }

    @Test
    void comparePrintsTheTableOfTwoRuns() throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        Summary.write(a.resolve(Summary.FILE), "arbiterfs",
                List.of(new TestResult("s", "generic/001", Outcome.pass(), Duration.ofSeconds(1), null)));
        Summary.write(b.resolve(Summary.FILE), "passthrough_hp",
                List.of(new TestResult("s", "generic/001", Outcome.notRun("because"), Duration.ZERO, null)));
        Run r = run("--compare", a.toString(), b.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("| generic/001 | passed | not run: because |"), r.out());
    }
}
