package io.arbiterfs.harness;

import io.arbiterfs.daemon.mount.MountOptionException;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.harness.core.Catalog;
import io.arbiterfs.harness.core.ExistingMount;
import io.arbiterfs.harness.core.HarnessTest;
import io.arbiterfs.harness.core.ForkedMount;
import io.arbiterfs.harness.core.Matrix;
import io.arbiterfs.harness.core.Outcome;
import io.arbiterfs.harness.core.Report;
import io.arbiterfs.harness.core.Runner;
import io.arbiterfs.harness.core.Settings;
import io.arbiterfs.harness.core.TestResult;
import io.arbiterfs.harness.io.Tools;
import io.arbiterfs.harness.xfstests.XfstestsConfig;
import io.arbiterfs.harness.xfstests.XfstestsRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./arbiterfs xfstests [TEST...] [-o opts] [--matrix] [--mount DIR] [--xfstests DIR] ...}. */
@Command(name = "xfstests", mixinStandardHelpOptions = true,
        description = "Run the generic/095-style subset with data verification against a live arbiterfs mount.")
final class XfstestsCommand implements Callable<Integer> {
    @Parameters(description = "tests to run (arbiter/095, 095, fsx, ...; default: all). With --xfstests: xfstests names (generic/095 ...)")
    List<String> tests = new ArrayList<>();

    @Option(names = "-o", description = "mount options for the arbiterfs mount (repeatable, comma-separated)")
    List<String> options = new ArrayList<>();

    @Option(names = "--matrix", description = "run across dio=auto|always x parallel on/off x allow_mmap on/off x passthrough on/off")
    boolean matrix;

    @Option(names = "--mount", paramLabel = "DIR", description = "test an existing mount instead of mounting one")
    Path mount;

    @Option(names = "--source", paramLabel = "DIR", description = "with --mount: its backing directory, for the backing-file comparisons")
    Path source;

    @Option(names = "--xfstests", paramLabel = "DIR", description = "run these tests with a real xfstests checkout's ./check")
    Path xfstests;

    @Option(names = "--load-factor", defaultValue = "1", description = "xfstests LOAD_FACTOR (default ${DEFAULT-VALUE})")
    int loadFactor;

    @Option(names = "--fsx-ops", defaultValue = "100000", description = "operations in the fsx stream (default ${DEFAULT-VALUE})")
    long fsxOps;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--results", paramLabel = "DIR", description = "where logs and junit.xml go (default: xfstests-harness/results/<timestamp>)")
    Path results;

    @Option(names = "--list", description = "list the tests and exit")
    boolean list;

    private volatile ForkedMount current;

    @Override
    public Integer call() throws Exception {
        if (list) {
            for (HarnessTest t : Catalog.all()) {
                System.out.printf("%-13s follows %s%n              %s%n", t.name(), t.follows(), t.checks());
            }
            return 0;
        }
        Settings settings = new Settings(loadFactor, fsxOps, seed);
        Path resultsDir = results != null ? results : defaultResults();
        Files.createDirectories(resultsDir);
        Runtime.getRuntime().addShutdownHook(new Thread(this::unmountCurrent, "unmount-on-exit"));
        List<TestResult> all = new ArrayList<>();
        if (xfstests != null) {
            Path launcher = Path.of(System.getProperty("arbiterfs.launcher", "./arbiterfs"));
            XfstestsConfig cfg = new XfstestsConfig("arbiterfs", resultsDir.resolve("xfstests-work").toAbsolutePath(), options, loadFactor);
            all.addAll(new XfstestsRun(xfstests, cfg, launcher, System.out::println).run(tests, resultsDir));
            all.forEach(r -> System.out.println(Report.line(r)));
        } else {
            List<HarnessTest> selected;
            try {
                selected = Catalog.select(tests);
            } catch (IllegalArgumentException e) {
                System.err.println("arbiterfs xfstests: " + e.getMessage());
                return 2;
            }
            String fio = selected.stream().anyMatch(t -> t.name().equals("arbiter/095")) ? Tools.ensureFio() : null;
            if (fio != null) {
                System.out.println("NOTE          -- " + fio + ": arbiter/095 will be [not run]");
            }
            Runner runner = new Runner(settings, resultsDir, System.out::println);
            if (mount != null) {
                try (ExistingMount m = new ExistingMount(mount, Optional.ofNullable(source))) {
                    all.addAll(runner.run(m, selected));
                }
            } else if (matrix) {
                for (Matrix.Combination c : Matrix.combinations(options)) {
                    List<String> opts = new ArrayList<>(c.options());
                    opts.addAll(options);
                    all.addAll(runSection(runner, c.section(), opts, c.unavailable(), selected, resultsDir));
                }
            } else {
                try {
                    MountOptions.parse(options);
                } catch (MountOptionException e) {
                    System.err.println("arbiterfs xfstests: " + e.getMessage());
                    return 2;
                }
                String section = options.isEmpty() ? "default" : String.join(",", options);
                all.addAll(runSection(runner, section, options, null, selected, resultsDir));
            }
        }
        System.out.println();
        Report.summary(all).forEach(System.out::println);
        Path junit = resultsDir.resolve("junit.xml");
        Report.writeJUnit(all, junit);
        System.out.println("Results in " + resultsDir + " (JUnit: " + junit + ")");
        return Report.allPassed(all) ? 0 : 1;
    }

    private List<TestResult> runSection(Runner runner, String section, List<String> opts, String unavailable,
                                        List<HarnessTest> selected, Path resultsDir) {
        List<TestResult> rs = new ArrayList<>();
        if (unavailable != null) {
            System.out.println("SECTION       -- " + section);
            for (HarnessTest t : selected) {
                TestResult r = new TestResult(section, t.name(), Outcome.notRun(unavailable), Duration.ZERO, null);
                System.out.println(Report.line(r));
                rs.add(r);
            }
            return rs;
        }
        try {
            current = ForkedMount.start(section, opts, resultsDir.resolve(section));
        } catch (Exception e) {
            System.out.println("SECTION       -- " + section);
            for (HarnessTest t : selected) {
                TestResult r = new TestResult(section, t.name(), Outcome.fail("mount failed: " + e.getMessage()), Duration.ZERO, null);
                System.out.println(Report.line(r));
                rs.add(r);
            }
            return rs;
        }
        try {
            rs.addAll(runner.run(current, selected));
        } finally {
            unmountCurrent();
        }
        return rs;
    }

    private synchronized void unmountCurrent() {
        ForkedMount m = current;
        current = null;
        if (m != null) {
            try {
                m.close();
            } catch (Exception e) {
                System.err.println("arbiterfs xfstests: unmount of " + m.root() + " failed: " + e.getMessage());
            }
        }
    }

    private static Path defaultResults() {
        String launcher = System.getProperty("arbiterfs.launcher");
        Path base = launcher != null ? Path.of(launcher).getParent().resolve("xfstests-harness/results") : Path.of("results");
        return base.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}
