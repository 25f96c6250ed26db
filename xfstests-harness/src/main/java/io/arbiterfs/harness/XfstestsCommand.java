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
import io.arbiterfs.harness.xfstests.BackingFs;
import io.arbiterfs.harness.xfstests.RealXfstests;
import io.arbiterfs.harness.xfstests.Summary;
import io.arbiterfs.harness.xfstests.TestList;
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

/**
 * {@code ./arbiterfs xfstests [TEST...] [-o opts] [--matrix] [--mount DIR] ...}: the harness's own tests;
 * {@code ./arbiterfs xfstests --real [--xfstests DIR|TARBALL] [--tests LIST|--group NAME] [-o OPTS]}: the real xfstests.
 */
@Command(name = "xfstests", mixinStandardHelpOptions = true,
        description = {"Run the generic/095-style subset with data verification against a live arbiterfs mount;",
                "with --real, the real xfstests (built, set up and run as root; xfstests-harness/README.md)."})
final class XfstestsCommand implements Callable<Integer> {
    @Parameters(description = "tests to run (arbiter/095, 095, fsx, ...; default: all). With --real: xfstests names (generic/095 ...)")
    List<String> tests = new ArrayList<>();

    @Option(names = "-o", description = "mount options for the arbiterfs mount (repeatable, comma-separated)")
    List<String> options = new ArrayList<>();

    @Option(names = "--matrix", description = "run across dio=auto|always x parallel on/off x allow_mmap on/off x passthrough on/off")
    boolean matrix;

    @Option(names = "--mount", paramLabel = "DIR", description = "test an existing mount instead of mounting one")
    Path mount;

    @Option(names = "--source", paramLabel = "DIR", description = "with --mount: its backing directory, for the backing-file comparisons")
    Path source;

    @Option(names = "--real", description = "run the real xfstests (built from --xfstests, default the snapshot next to the "
            + "repository) against arbiterfs or --server-cmd: as root; see xfstests-harness/README.md")
    boolean real;

    @Option(names = "--xfstests", paramLabel = "DIR|TARBALL", description = "with --real (implied): the xfstests checkout or tarball")
    Path xfstests;

    @Option(names = "--tests", paramLabel = "LIST", description = "with --real: these tests (comma- or space-separated, e.g. generic/001,generic/095)")
    List<String> realTests = new ArrayList<>();

    @Option(names = "--group", paramLabel = "NAME", description = "with --real: the list xfstests-harness/lists/NAME.list (e.g. dio-mmap), "
            + "else xfstests' group NAME without the curated list's exclusions")
    String group;

    @Option(names = "--server-cmd", paramLabel = "CMD", description = "with --real: test another FUSE server, run as 'CMD DIR MOUNTPOINT -o OPTS' "
            + "(e.g. libfuse's passthrough_hp)")
    String serverCmd;

    @Option(names = "--test-timeout", paramLabel = "MIN", defaultValue = "45", description = "with --real: minutes a test may run before it is "
            + "killed and reported failed (default ${DEFAULT-VALUE})")
    int testTimeoutMinutes;

    @Option(names = "--backing-size", paramLabel = "GIB", defaultValue = "8", description = "with --real: size of the TEST and SCRATCH "
            + "backing images (sparse; default ${DEFAULT-VALUE})")
    int backingGib;

    @Option(names = "--backing-fs", paramLabel = "TYPE", defaultValue = "ext4", description = "with --real: the backing "
            + "file systems' type, ext4 or xfs (default ${DEFAULT-VALUE})")
    String backingFs;

    @Option(names = "--compare", arity = "2..*", paramLabel = "RESULTS", description = "print the comparison table of real runs' results "
            + "directories (or their xfstests-summary.tsv) and exit")
    List<Path> compare;

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
        if (compare != null) {
            List<Summary.Run> runs = new ArrayList<>();
            for (Path p : compare) {
                runs.add(Summary.read(p));
            }
            Summary.table(runs).forEach(System.out::println);
            return 0;
        }
        if (real || xfstests != null) {
            return runReal();
        }
        if (!realTests.isEmpty() || group != null || serverCmd != null) {
            System.err.println("arbiterfs xfstests: --tests, --group and --server-cmd go with --real");
            return 2;
        }
        Settings settings = new Settings(loadFactor, fsxOps, seed);
        Path resultsDir = results != null ? results : defaultResults();
        Files.createDirectories(resultsDir);
        Runtime.getRuntime().addShutdownHook(new Thread(this::unmountCurrent, "unmount-on-exit"));
        List<TestResult> all = new ArrayList<>();
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
        System.out.println();
        Report.summary(all).forEach(System.out::println);
        Path junit = resultsDir.resolve("junit.xml");
        Report.writeJUnit(all, junit);
        System.out.println("Results in " + resultsDir + " (JUnit: " + junit + ")");
        return Report.allPassed(all) ? 0 : 1;
    }

    /** {@code --real}: the real xfstests against arbiterfs (or --server-cmd), folded into the harness report. */
    private int runReal() throws Exception {
        String launcher = System.getProperty("arbiterfs.launcher");
        if (launcher == null) {
            System.err.println("arbiterfs xfstests: --real runs through the ./arbiterfs launcher");
            return 2;
        }
        Path root = Path.of(launcher).toAbsolutePath().getParent();
        List<String> names;
        RealXfstests.Server server;
        try {
            List<String> given = new ArrayList<>(realTests);
            given.addAll(tests);
            names = TestList.names(given);
            server = serverCmd == null ? RealXfstests.Server.arbiterfs() : RealXfstests.Server.of(serverCmd);
            if (serverCmd == null) {
                MountOptions.parse(options);
            }
        } catch (IllegalArgumentException | MountOptionException e) {
            System.err.println("arbiterfs xfstests: " + e.getMessage());
            return 2;
        }
        if (!BackingFs.TYPES.contains(backingFs)) {
            System.err.println("arbiterfs xfstests: --backing-fs takes " + String.join(" or ", BackingFs.TYPES) + ", not " + backingFs);
            return 2;
        }
        if (!names.isEmpty() && group != null) {
            System.err.println("arbiterfs xfstests: give tests or --group, not both");
            return 2;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("arbiterfs xfstests: --real needs root (loop mounts, users, /sbin/mount.fuse.*, packages)");
            return 2;
        }
        Path source = xfstests != null ? xfstests.toAbsolutePath() : RealXfstests.defaultSource(root);
        if (!Files.exists(source)) {
            System.err.println("arbiterfs xfstests: no xfstests at " + source + " (give --xfstests DIR|TARBALL)");
            return 2;
        }
        Path resultsDir = (results != null ? results : defaultResults()).toAbsolutePath();
        RealXfstests.Request q = new RealXfstests.Request(root, source, names, group, options, server, loadFactor,
                Duration.ofMinutes(testTimeoutMinutes), (long) backingGib << 30, backingFs, resultsDir);
        List<TestResult> all = new RealXfstests(q, System.out::println).run();
        System.out.println();
        all.stream().filter(r -> !r.outcome().passed()).forEach(r -> System.out.println(Report.line(r)));
        System.out.println();
        Report.summary(all).forEach(System.out::println);
        Path junit = resultsDir.resolve("junit.xml");
        Report.writeJUnit(all, junit);
        Summary.write(resultsDir.resolve(Summary.FILE), server.describe(), all);
        System.out.println("Results in " + resultsDir + " (JUnit: " + junit + ", table: " + resultsDir.resolve(Summary.FILE) + ")");
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
