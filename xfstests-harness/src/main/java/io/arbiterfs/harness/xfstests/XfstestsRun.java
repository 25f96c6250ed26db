package io.arbiterfs.harness.xfstests;

import io.arbiterfs.harness.core.Outcome;
import io.arbiterfs.harness.core.TestResult;
import io.arbiterfs.harness.io.Tools;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs tests of a built xfstests tree with {@code ./check -s SECTION TESTS} and folds the results
 * into harness results, each failure with its cause (the diff of the test's output, what the
 * kernel log check found, or the end of its .full file) and each not-run with xfstests' reason.
 *
 * <p>xfstests has no time limit of its own: a test that has not finished after the per-test
 * limit is killed, reported failed, its mounts released, and check starts again with the tests
 * after it.
 */
public final class XfstestsRun {
    private static final Pattern TEST_START = Pattern.compile("^([a-z0-9_-]+/\\d{3,})\\b");
    private static final Pattern DMESG_PROBLEM = Pattern.compile(
            "WARNING:|BUG:|Oops|general protection fault|lockdep|INFO: task|rcu_.*stall|UBSAN:|oom-kill|Page cache invalidation failure");

    private final Path tree;
    private final Path config;
    private final XfstestsConfig cfg;
    private final Duration testTimeout;
    private final Consumer<String> out;

    public XfstestsRun(Path tree, Path config, XfstestsConfig cfg, Duration testTimeout, Consumer<String> out) {
        this.tree = tree;
        this.config = config;
        this.cfg = cfg;
        this.testTimeout = testTimeout;
        this.out = out;
    }

    /** The tests check selects for these arguments (e.g. {@code -g quick -E FILE}), from {@code check -n}. */
    public List<String> expand(List<String> selection) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("env", "HOST_OPTIONS=" + config, "./check", "-n", "-s", cfg.section()));
        cmd.addAll(selection);
        Tools.Result r = Tools.run(cmd, tree, Duration.ofMinutes(10));
        List<String> tests = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            Matcher m = TEST_START.matcher(line.strip());
            if (m.find() && !tests.contains(m.group(1))) {
                tests.add(m.group(1));
            }
        }
        if (r.status() != 0 && tests.isEmpty()) {
            throw new IOException("check -n " + String.join(" ", selection) + " failed (exit " + r.status() + "): "
                    + (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip());
        }
        return tests;
    }

    /** Runs {@code tests} in order; {@code log} gets check's whole output. */
    public List<TestResult> run(List<String> tests, Path log) throws IOException {
        String section = "xfstests:" + cfg.section();
        Map<String, CheckOutput.Entry> found = new LinkedHashMap<>();
        Map<String, Duration> measured = new LinkedHashMap<>();
        Map<String, Outcome> killed = new LinkedHashMap<>();
        List<String> remaining = new ArrayList<>(tests);
        int lastExit = 0;
        while (!remaining.isEmpty()) {
            Attempt a = attempt(remaining, log, measured);
            lastExit = a.exit;
            for (CheckOutput.Entry e : CheckOutput.parse(a.output)) {
                found.put(e.name(), e);
            }
            if (a.hung == null) {
                break;
            }
            killed.put(a.hung, Outcome.fail("no result after " + testTimeout.toMinutes() + " min: killed (check was "
                    + "restarted with the tests after it)"));
            found.remove(a.hung);
            releaseMounts();
            remaining = new ArrayList<>(remaining.subList(remaining.indexOf(a.hung) + 1, remaining.size()));
        }
        releaseMounts();
        List<TestResult> results = new ArrayList<>();
        for (String t : tests) {
            Outcome o;
            Duration took = measured.getOrDefault(t, Duration.ZERO);
            CheckOutput.Entry e = found.get(t);
            if (killed.containsKey(t)) {
                o = killed.get(t);
            } else if (e == null) {
                o = Outcome.notRun("check ended before this test (exit " + lastExit + "; see " + log + ")");
            } else {
                o = explain(t, e.outcome());
                if (!e.elapsed().isZero()) {
                    took = e.elapsed();
                }
            }
            Path full = cfg.sectionResults().resolve(t + ".full");
            results.add(new TestResult(section, t, o, took, Files.exists(full) ? full : log));
        }
        return results;
    }

    private record Attempt(String output, int exit, String hung) {}

    /** One check process over {@code tests}; stops it when one test outlives the limit. */
    private Attempt attempt(List<String> tests, Path log, Map<String, Duration> measured) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("./check", "-s", cfg.section()));
        cmd.addAll(tests);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tree.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.resolveSibling(log.getFileName() + ".stderr").toFile()));
        pb.environment().put("HOST_OPTIONS", config.toString());
        Process p = pb.start();
        Tracker tracker = new Tracker(log, measured);
        Thread reader = new Thread(() -> tracker.read(p.inputReader(StandardCharsets.UTF_8)), "check-output");
        reader.setDaemon(true);
        reader.start();
        String hung = null;
        try {
            while (!p.waitFor(5, TimeUnit.SECONDS)) {
                String running = tracker.runningLongerThan(testTimeout);
                if (running != null) {
                    hung = running;
                    out.accept("TIMEOUT       -- " + running + " has run " + testTimeout.toMinutes() + " min: stopping check");
                    stop(p);
                    break;
                }
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            stop(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while check ran", e);
        }
        return new Attempt(tracker.output(), p.isAlive() ? -1 : p.exitValue(), hung);
    }

    /** Follows check's output character by character: which test runs since when, and every line. */
    private final class Tracker {
        private final Path log;
        private final Map<String, Duration> measured;
        private final StringBuilder all = new StringBuilder();
        private final StringBuilder line = new StringBuilder();
        private String current;
        private long since;

        Tracker(Path log, Map<String, Duration> measured) {
            this.log = log;
            this.measured = measured;
        }

        void read(Reader in) {
            try (Reader r = in; BufferedWriter w = Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                for (int c; (c = r.read()) >= 0; ) {
                    synchronized (this) {
                        if (c == '\n') {
                            String l = line.toString();
                            all.append(l).append('\n');
                            w.write(l);
                            w.newLine();
                            w.flush();
                            if (current != null) {
                                measured.put(current, Duration.ofNanos(System.nanoTime() - since));
                                current = null;
                            }
                            line.setLength(0);
                            out.accept(l);
                        } else {
                            line.append((char) c);
                            if (current == null && line.length() < 40) {
                                Matcher m = TEST_START.matcher(line);
                                if (m.find() && line.length() > m.end()) {
                                    current = m.group(1);
                                    since = System.nanoTime();
                                }
                            }
                        }
                    }
                }
            } catch (IOException e) {
                synchronized (this) {
                    all.append("(check's output lost: ").append(e.getMessage()).append(")\n");
                }
            }
        }

        synchronized String runningLongerThan(Duration limit) {
            return current != null && System.nanoTime() - since > limit.toNanos() ? current : null;
        }

        synchronized String output() {
            return all + line.toString();
        }
    }

    /** Stops check and everything it started (the test's programs): SIGTERM, then SIGKILL after 15 s. */
    private static void stop(Process p) {
        List<ProcessHandle> family = new ArrayList<>(p.descendants().toList());
        family.forEach(ProcessHandle::destroy);
        p.destroy();
        boolean ended;
        try {
            ended = p.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            family.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /**
     * Unmounts TEST and SCRATCH if check left them mounted (it was stopped, or failed), and ends
     * their servers: detached lazily if busy, a server still there after 15 s is killed.
     */
    public void releaseMounts() throws IOException {
        for (Path mnt : List.of(cfg.testDir(), cfg.scratchMnt())) {
            if (mountedAt(mnt)) {
                Tools.Result r = Tools.run(List.of("umount", mnt.toString()), null, Duration.ofMinutes(1));
                if (r.status() != 0) {
                    Tools.run(List.of("umount", "-l", mnt.toString()), null, Duration.ofMinutes(1));
                }
            }
            List<ProcessHandle> servers = serversOf(mnt);
            try {
                java.util.concurrent.CompletableFuture.allOf(servers.stream().map(ProcessHandle::onExit)
                        .toArray(java.util.concurrent.CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // killed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            servers = serversOf(mnt);
            for (ProcessHandle s : servers) {
                out.accept("CLEANUP       -- killing server " + s.pid() + " of " + mnt);
                s.destroyForcibly();
            }
        }
    }

    private static boolean mountedAt(Path mnt) throws IOException {
        String target = " " + mnt + " ";
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(l -> l.contains(target));
    }

    /** Server processes whose command line names this mountpoint (the arbiterfs daemon, a --server-cmd server). */
    private static List<ProcessHandle> serversOf(Path mnt) {
        String m = mnt.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(m)).orElse(false))
                .toList();
    }

    /** A failure or not-run with its cause from the test's files; a passing generic/095 gets its .full post-check. */
    Outcome explain(String test, Outcome o) throws IOException {
        Path dir = cfg.sectionResults();
        Path base = dir.resolve(test);
        switch (o.status()) {
            case PASS -> {
                if (test.equals("generic/095")) {
                    Path full = Path.of(base + ".full");
                    if (!Files.exists(full)) {
                        return Outcome.fail("095 passed but its .full file is missing: cannot verify that all fio jobs ran");
                    }
                    List<String> problems = Full095.check(Files.readString(full), cfg.loadFactor());
                    return problems.isEmpty() ? o : Outcome.fail("095.full post-check: " + String.join("; ", problems));
                }
                return o;
            }
            case NOT_RUN -> {
                Path notrun = Path.of(base + ".notrun");
                if (o.detail().isBlank() && Files.exists(notrun)) {
                    return Outcome.notRun(placeholders(Files.readString(notrun).strip()));
                }
                return Outcome.notRun(placeholders(o.detail()));
            }
            default -> {
                String cause = failureCause(test, o.detail(), base);
                // the first line (the one-line cause in summaries) with xfstests' placeholders for this run's paths
                int nl = cause.indexOf('\n');
                return Outcome.fail(nl < 0 ? placeholders(cause) : placeholders(cause.substring(0, nl)) + cause.substring(nl));
            }
        }
    }

    /**
     * The cause of a failure: a first line that names it (check's verdict with the first line the
     * test printed that it should not have, or the first kernel-log problem), then the diff, the
     * kernel log lines, or the end of the .full file, and where the files are.
     */
    private String failureCause(String test, String checkSays, Path base) throws IOException {
        String verdict = verdict(checkSays);
        Path bad = Path.of(base + ".out.bad");
        Path expected = tree.resolve("tests").resolve(test + ".out");
        Path dmesg = Path.of(base + ".dmesg");
        Path full = Path.of(base + ".full");
        String headline = null;
        StringBuilder body = new StringBuilder();
        if (Files.exists(bad) && Files.exists(expected)) {
            Tools.Result diff = Tools.run(List.of("diff", "-u", expected.toString(), bad.toString()), null, Duration.ofMinutes(1));
            List<String> lines = diff.stdout().lines().filter(l -> !l.startsWith("---") && !l.startsWith("+++")).toList();
            if (!lines.isEmpty()) {
                // what the test printed that it should not have, else the first line it did not print
                headline = lines.stream().filter(l -> l.startsWith("+")).findFirst()
                        .or(() -> lines.stream().filter(l -> l.startsWith("-")).findFirst()).orElse(null);
                body.append("\noutput differs from ").append(tree.relativize(expected)).append(':');
                lines.stream().limit(30).forEach(l -> body.append("\n  ").append(l));
                if (lines.size() > 30) {
                    body.append("\n  ... (").append(lines.size() - 30).append(" more diff lines)");
                }
            }
        }
        if (Files.exists(dmesg)) {
            List<String> all = Files.readAllLines(dmesg);
            List<String> hits = all.stream().filter(l -> DMESG_PROBLEM.matcher(l).find()).limit(8).toList();
            if (headline == null && !hits.isEmpty()) {
                headline = "kernel log: " + hits.get(0).strip();
            }
            body.append("\nkernel log during the test (").append(dmesg.getFileName()).append("):");
            (hits.isEmpty() ? all.stream().limit(8).toList() : hits).forEach(l -> body.append("\n  ").append(l.strip()));
        }
        if (body.length() == 0 && Files.exists(full)) {
            List<String> l = Files.readAllLines(full);
            body.append("\nend of ").append(full.getFileName()).append(':');
            l.subList(Math.max(0, l.size() - 12), l.size()).forEach(x -> body.append("\n  ").append(x));
        }
        body.append("\nfiles: ").append(base).append(".{out.bad,full,dmesg}");
        return verdict + (headline == null ? "" : ": " + headline.strip()) + body;
    }

    /**
     * This run's paths as xfstests' filters write them (TEST_DIR, SCRATCH_MNT, TEST_DEV,
     * SCRATCH_DEV; the build tree left out), so causes read the same in every run and for every server.
     */
    String placeholders(String text) {
        String t = text.replace(tree + "/", "");
        for (String[] p : new String[][] {{cfg.testDev(), "TEST_DEV"}, {cfg.scratchDev(), "SCRATCH_DEV"},
                {cfg.testDir().toString(), "TEST_DIR"}, {cfg.scratchMnt().toString(), "SCRATCH_MNT"}}) {
            // whole paths only: /x/t must not eat the start of /x/tree
            t = t.replaceAll(Pattern.quote(p[0]) + "(?=$|[/\\s:'\"),])", Matcher.quoteReplacement(p[1]));
        }
        return t;
    }

    /** check's verdict without the file name: "output mismatch", "failed, exit status 1", "_check_dmesg: something found". */
    static String verdict(String checkSays) {
        String first = checkSays.lines().findFirst().orElse("failed").strip();
        List<String> kinds = new ArrayList<>();
        Matcher exit = Pattern.compile("\\[failed, exit status (\\d+)\\]").matcher(first);
        if (exit.find()) {
            kinds.add("exit status " + exit.group(1));
        }
        if (first.contains("output mismatch")) {
            kinds.add("output mismatch");
        }
        if (first.contains("_check_dmesg")) {
            kinds.add("kernel log problem");
        }
        if (first.contains("_check_") && !first.contains("_check_dmesg")) {
            kinds.add(first.replaceAll("\\s*\\(see .*\\)", "").replaceFirst("^-\\s*", ""));
        }
        return kinds.isEmpty() ? first.replaceAll("\\s*\\(see .*\\)", "").replaceFirst("^-\\s*", "") : String.join(", ", kinds);
    }
}
