package io.arbiterfs.harness.xfstests;

import io.arbiterfs.harness.core.Outcome;
import io.arbiterfs.harness.core.TestResult;
import io.arbiterfs.harness.io.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs tests of a real xfstests checkout against arbiterfs: writes the config, installs the mount
 * helper through the launcher, runs {@code ./check -s <section> TESTS}, and folds check's results
 * (plus the generic/095 .full post-check) into the harness report. Never unmounts anything but the
 * two DEV tags of its own config.
 */
public final class XfstestsRun {
    private final Path checkout;
    private final XfstestsConfig config;
    private final Path launcher;
    private final Consumer<String> out;

    public XfstestsRun(Path checkout, XfstestsConfig config, Path launcher, Consumer<String> out) {
        this.checkout = checkout;
        this.config = config;
        this.launcher = launcher;
        this.out = out;
    }

    public List<TestResult> run(List<String> tests, Path resultsDir) throws IOException {
        String section = "xfstests:" + config.section();
        if (!Files.isExecutable(checkout.resolve("check"))) {
            return List.of(new TestResult(section, "xfstests", Outcome.notRun("no executable check in " + checkout), Duration.ZERO, null));
        }
        for (Path d : List.of(config.testDir(), config.scratchMnt(), config.testBacking(), config.scratchBacking())) {
            Files.createDirectories(d);
        }
        Path cfg = resultsDir.resolve("xfstests-local.config");
        Files.createDirectories(resultsDir);
        Files.writeString(cfg, config.render());
        out.accept("XFSTESTS      -- " + checkout + " with " + cfg);
        Tools.Result helper = Tools.run(List.of(launcher.toString(), "install-helper"), null, Duration.ofMinutes(5));
        if (helper.status() != 0) {
            return List.of(new TestResult(section, "xfstests", Outcome.fail("install-helper failed: " + helper.stderr().strip()), Duration.ZERO, null));
        }
        List<String> cmd = new ArrayList<>(List.of("env", "HOST_OPTIONS=" + cfg, "./check", "-s", config.section()));
        cmd.addAll(tests);
        long start = System.nanoTime();
        Tools.Result r;
        try {
            r = Tools.run(cmd, checkout, Duration.ofHours(3));
        } finally {
            // an interrupted check leaves its mounts behind; they are ours, unmount them by DEV string
            for (String dev : List.of(XfstestsConfig.TEST_DEV, XfstestsConfig.SCRATCH_DEV)) {
                Tools.run(List.of("umount", dev), null, Duration.ofSeconds(30));
            }
        }
        Path log = resultsDir.resolve("xfstests-check.log");
        Files.writeString(log, r.stdout() + "\n--- stderr ---\n" + r.stderr());
        List<TestResult> results = new ArrayList<>();
        for (CheckOutput.Entry e : CheckOutput.parse(r.stdout())) {
            Outcome o = e.outcome();
            if (e.name().equals("generic/095") && o.passed()) {
                o = post095(checkout.resolve("results").resolve(config.section()).resolve("generic/095.full"));
            }
            results.add(new TestResult(section, e.name(), o, e.elapsed(), log));
        }
        if (results.isEmpty()) {
            results.add(new TestResult(section, "xfstests", Outcome.fail("check reported no tests (exit " + r.status()
                    + "); see " + log), Duration.ofNanos(System.nanoTime() - start), log));
        }
        return results;
    }

    private Outcome post095(Path full) throws IOException {
        if (!Files.exists(full)) {
            return Outcome.fail("095 passed but its .full file is missing: cannot verify that all fio jobs ran");
        }
        List<String> problems = Full095.check(Files.readString(full), config.loadFactor());
        return problems.isEmpty() ? Outcome.pass() : Outcome.fail("095.full post-check: " + String.join("; ", problems));
    }
}
