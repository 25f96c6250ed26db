package io.arbiterfs.harness.xfstests;

import io.arbiterfs.harness.core.TestResult;
import io.arbiterfs.harness.io.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code ./arbiterfs xfstests --real}: everything a run of the real xfstests needs, on a fresh
 * machine, then the run. Packages (apt-get, as root), the cached build of the xfstests source and
 * its FUSE subtype adaptation, the users, the mount helper, two size-limited backing file systems
 * (ext4 or xfs images) for TEST and SCRATCH, the config, {@code ./check}; afterwards every mount, the backing
 * file systems and a generated helper are removed again (also on Ctrl-C).
 */
public final class RealXfstests {
    /** The server under test: arbiterfs from this tree, or {@code command} for another FUSE server. */
    public record Server(String subtype, String command) {
        public static Server arbiterfs() {
            return new Server("arbiterfs", null);
        }

        public static Server of(String command) {
            return new Server(ServerHelper.subtypeOf(command), command);
        }

        public boolean isArbiterfs() {
            return command == null;
        }

        public String describe() {
            return isArbiterfs() ? "arbiterfs" : subtype + " (" + command + ")";
        }
    }

    /**
     * What to run.
     *
     * @param repoRoot     the arbiterfs tree (launcher, lists, target/)
     * @param source       the xfstests tarball or checkout
     * @param tests        explicit tests (empty: the group, or the curated list)
     * @param group        a list in xfstests-harness/lists/NAME.list, else an xfstests group (minus the curated exclusions)
     * @param options      extra mount options
     * @param server       the server under test
     * @param loadFactor   LOAD_FACTOR
     * @param testTimeout  per-test limit
     * @param backingBytes size of each backing file system
     * @param backingType  the backing file systems' type (ext4, xfs)
     * @param resultsDir   where config, logs and check's per-test files go
     */
    public record Request(Path repoRoot, Path source, List<String> tests, String group, List<String> options, Server server,
                          int loadFactor, Duration testTimeout, long backingBytes, String backingType, Path resultsDir) {}

    private final Request q;
    private final Consumer<String> out;

    public RealXfstests(Request q, Consumer<String> out) {
        this.q = q;
        this.out = out;
    }

    public static Path listsDir(Path repoRoot) {
        return repoRoot.resolve("xfstests-harness/lists");
    }

    /** The default xfstests source: the snapshot next to the repository. */
    public static Path defaultSource(Path repoRoot) {
        return repoRoot.resolve("../shared/peers/xfstests-snapshot.tar.gz").normalize();
    }

    /**
     * The tests to run, or the check arguments that select them ({@code -g NAME -E FILE}); a test
     * named explicitly runs even if the curated list leaves it out (a note says why it is left out).
     */
    record Selection(List<String> tests, List<String> checkArgs) {}

    Selection select(TestList curated, Path excludeFile) throws IOException {
        if (!q.tests().isEmpty()) {
            for (String t : q.tests()) {
                curated.excludedBecause(t).ifPresent(why -> out.accept("NOTE          -- " + t
                        + " runs as asked, though the curated list leaves it out: " + why));
            }
            return new Selection(q.tests(), List.of());
        }
        if (q.group() != null) {
            Path named = listsDir(q.repoRoot()).resolve(q.group() + ".list");
            if (Files.isRegularFile(named)) {
                return new Selection(TestList.load(named).runnable(), List.of());
            }
            List<String> excluded = curated.excluded().stream().map(TestList.Entry::test).toList();
            Files.write(excludeFile, excluded);
            return new Selection(List.of(), List.of("-g", q.group(), "-E", excludeFile.toString()));
        }
        return new Selection(curated.runnable(), List.of());
    }

    public List<TestResult> run() throws IOException {
        Files.createDirectories(q.resultsDir());
        TestList curated = TestList.load(listsDir(q.repoRoot()).resolve("curated.list"));
        Selection selection = select(curated, q.resultsDir().resolve("xfstests-exclude"));
        out.accept("SERVER        -- " + q.server().describe());
        Prerequisites.ensurePackages(out);
        Path tree = XfstestsBuild.prepare(q.source(), q.repoRoot().resolve("target/xfstests"), out);
        FuseSubtypeAdaptation.apply(tree);
        Prerequisites.ensureUsers(out);

        List<AutoCloseable> undo = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread onCtrlC = new Thread(() -> closeAll(undo), "xfstests-cleanup");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            installHelper(undo);
            Path runDir = Files.createTempDirectory("arbiterfs-xfstests-");
            Files.setPosixFilePermissions(runDir, PosixFilePermissions.fromString("rwxr-xr-x")); // tests run as fsgqa too
            undo.add(() -> XfstestsBuild.deleteTree(runDir));
            Path testDir = Files.createDirectory(runDir.resolve("test"));
            Path scratchMnt = Files.createDirectory(runDir.resolve("scratch"));
            BackingFs testBacking = BackingFs.create(runDir, "backing-test", q.backingBytes(), q.backingType());
            undo.add(testBacking);
            BackingFs scratchBacking = BackingFs.create(runDir, "backing-scratch", q.backingBytes(), q.backingType());
            undo.add(scratchBacking);
            XfstestsConfig cfg = new XfstestsConfig(q.server().subtype(), q.server().subtype(), testBacking.mountpoint(),
                    scratchBacking.mountpoint(), testDir, scratchMnt, q.resultsDir().resolve("xfstests"), q.options(), q.loadFactor());
            Path config = q.resultsDir().resolve("xfstests-local.config");
            Files.writeString(config, cfg.render());
            out.accept("CONFIG        -- " + config + " (TEST_DEV=" + cfg.testDev() + ", backing " + q.backingType() + ")");
            XfstestsRun run = new XfstestsRun(tree, config, cfg, q.testTimeout(), out);
            undo.add(run::releaseMounts);
            List<String> tests = selection.checkArgs().isEmpty() ? selection.tests() : run.expand(selection.checkArgs());
            if (tests.isEmpty()) {
                throw new IOException("no tests selected");
            }
            out.accept("TESTS         -- " + tests.size() + (tests.size() > 12 ? "" : ": " + String.join(" ", tests)));
            return run.run(tests, q.resultsDir().resolve("xfstests-check.log"));
        } finally {
            closeAll(undo);
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs (closeAll is idempotent)
            }
        }
    }

    private void installHelper(List<AutoCloseable> undo) throws IOException {
        if (q.server().isArbiterfs()) {
            Tools.Result r = Tools.run(List.of(q.repoRoot().resolve("arbiterfs").toString(), "install-helper"), null,
                    Duration.ofMinutes(10));
            if (r.status() != 0) {
                throw new IOException("./arbiterfs install-helper failed: " + (r.stderr() + r.stdout()).strip());
            }
            out.accept("HELPER        -- " + r.stdout().strip().replaceFirst("^arbiterfs: ", ""));
        } else {
            Path sbin = Path.of("/sbin");
            if (Files.exists(sbin.resolve("mount.fuse." + q.server().subtype()))) {
                throw new IOException(sbin.resolve("mount.fuse." + q.server().subtype()) + " exists already: not replacing it "
                        + "(remove it, or name the server's program differently)");
            }
            ServerHelper h = ServerHelper.install(sbin, q.server().subtype(), q.server().command());
            undo.add(h);
            out.accept("HELPER        -- " + h.path() + " runs " + q.server().command());
        }
    }

    /** Undoes the set-up in reverse order; each step at most once, failures reported and passed over. */
    private void closeAll(List<AutoCloseable> undo) {
        synchronized (undo) {
            for (int i = undo.size() - 1; i >= 0; i--) {
                try {
                    undo.get(i).close();
                } catch (Exception e) {
                    out.accept("CLEANUP       -- " + e.getMessage());
                }
            }
            undo.clear();
        }
    }
}
