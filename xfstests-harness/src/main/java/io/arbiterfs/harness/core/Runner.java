package io.arbiterfs.harness.core;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs tests one after another on one mount, xfstests-style: each in its own fresh directory, with
 * its own log, a timeout, and the shared after-checks every test gets: the kernel log since the
 * test started must be free of WARNING/BUG/Oops/"Page cache invalidation failure", and the mount
 * must still answer. A mount that stops answering ends the section: later tests are not run.
 */
public final class Runner {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final Settings settings;
    private final Path resultsDir;
    private final Consumer<String> out;

    /**
     * @param resultsDir where {@code <section>/<test>.full} logs go
     * @param out receives the report lines (the CLI prints them; JUnit logs them)
     */
    public Runner(Settings settings, Path resultsDir, Consumer<String> out) {
        this.settings = settings;
        this.resultsDir = resultsDir;
        this.out = out;
    }

    public List<TestResult> run(MountTarget target, List<HarnessTest> tests) {
        List<TestResult> results = new ArrayList<>();
        out.accept("SECTION       -- " + target.section());
        out.accept("MOUNT         -- " + target.describe());
        out.accept("SETTINGS      -- LOAD_FACTOR=" + settings.loadFactor() + " fsx ops=" + settings.fsxOps() + " seed=" + settings.seed());
        String deadMount = null;
        for (HarnessTest t : tests) {
            TestResult r;
            if (deadMount != null) {
                r = new TestResult(target.section(), t.name(), Outcome.notRun(deadMount), Duration.ZERO, null);
            } else {
                r = runOne(target, t);
                if (!target.answers()) {
                    deadMount = "the mount stopped answering during " + t.name();
                }
            }
            results.add(r);
            out.accept(Report.line(r));
        }
        return results;
    }

    /** Runs one test and its after-checks. */
    public TestResult runOne(MountTarget target, HarnessTest test) {
        Path logFile = resultsDir.resolve(target.section()).resolve(test.name() + ".full");
        long start = System.nanoTime();
        Outcome outcome;
        try (TestLog log = new TestLog(logFile); KernelLog kmsg = KernelLog.fromNow()) {
            log.line("%s (follows %s): %s", test.name(), test.follows(), test.checks());
            log.line("mount: %s", target.describe());
            log.line("settings: %s", settings);
            outcome = body(target, test, log);
            outcome = outcome.and(afterChecks(target, kmsg, log));
            log.line("result: %s %s", outcome.status(), outcome.detail());
        } catch (IOException e) {
            outcome = Outcome.fail("harness could not set up the test: " + e);
        }
        return new TestResult(target.section(), test.name(), outcome, Duration.ofNanos(System.nanoTime() - start), logFile);
    }

    private Outcome body(MountTarget target, HarnessTest test, TestLog log) {
        Path dir;
        try {
            dir = Files.createDirectory(target.root().resolve(test.name().replace('/', '_') + "." + SEQ.incrementAndGet()));
        } catch (IOException e) {
            return Outcome.fail("cannot create the test directory on the mount: " + e);
        }
        Optional<Path> backingDir = target.source().map(s -> s.resolve(target.root().relativize(dir)));
        TestEnv env = new TestEnv(dir, backingDir, log, settings, target.facts());
        Duration limit = test.timeout(settings);
        ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "test-" + test.name());
            th.setDaemon(true); // a test stuck in the kernel must not keep the JVM alive
            return th;
        });
        Future<?> f = exec.submit(() -> {
            test.run(env);
            return null;
        });
        try {
            f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return Outcome.pass();
        } catch (TimeoutException e) {
            f.cancel(true);
            // no thread dump of our own JVM: a thread stuck in a page fault on the mount blocks every safepoint
            log.line("TIMEOUT after %s", limit);
            target.abortAfterHang(log);
            return Outcome.fail("no result within " + limit.toSeconds() + " s: hang or livelock (see log)");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            log.raw(stackTrace(c));
            if (c instanceof NotRunnable) {
                return Outcome.notRun(c.getMessage());
            }
            if (c instanceof TestFailure) {
                return Outcome.fail(c.getMessage());
            }
            return Outcome.fail("unexpected " + c.getClass().getSimpleName() + ": " + c.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.fail("interrupted");
        } finally {
            exec.shutdownNow();
        }
    }

    private static Outcome afterChecks(MountTarget target, KernelLog kmsg, TestLog log) {
        List<String> problems = new ArrayList<>();
        if (kmsg.unavailable() != null) {
            log.line("kernel log not checked: %s", kmsg.unavailable());
        } else {
            List<String> records = kmsg.readNew();
            log.line("kernel log since test start: %d messages", records.size());
            records.forEach(r -> log.raw("    dmesg: " + KernelLog.text(r)));
            List<String> bad = KernelLog.problems(records);
            if (!bad.isEmpty()) {
                problems.add("kernel log: " + String.join(" | ", bad.subList(0, Math.min(5, bad.size()))));
            }
        }
        if (!target.answers()) {
            problems.add("the mount no longer answers a stat of its root");
        }
        return problems.isEmpty() ? Outcome.pass() : Outcome.fail(String.join("\n", problems));
    }

    private static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }
}
