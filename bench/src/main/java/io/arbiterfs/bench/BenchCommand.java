package io.arbiterfs.bench;

import io.arbiterfs.fuse.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./arbiterfs bench}: the fio suite against native, arbiterfs, jnr-fuse and passthrough_hp, one report. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs the fio suite on native, arbiterfs (parallel, serial, passthrough), a jnr-fuse passthrough and",
                "libfuse's passthrough_hp (over /dev/fuse and io_uring), over a tmpfs it mounts and a directory on disk,",
                "every repetition running every target once; writes results/bench-<timestamp>/ (report.md, results.csv,",
                "bench.png, raw fio JSON) and prints the tables. Needs root (tmpfs, passthrough, libfuse mounts, enable_uring)."})
public final class BenchCommand implements Callable<Integer> {
    /** {@code ./arbiterfs bench ...} as routed by the launcher. */
    public static void main(String[] args) {
        // library logging goes to stderr (logback.xml); keep it to warnings unless asked otherwise
        if (System.getProperty("arbiterfs.log.level") == null) {
            System.setProperty("arbiterfs.log.level", "WARN");
        }
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Option(names = "--smoke", description = "one 1-second job per target on tmpfs: checks the pipeline, not the numbers")
    boolean smoke;

    @Option(names = "--runtime", description = "seconds per fio run (default 4; 1 with --smoke)")
    Integer runtime;

    @Option(names = "--repeats", description = "repetitions: each runs every job on every target once; the median and the "
            + "lowest-highest are reported (default 2; 1 with --smoke)")
    Integer repeats;

    @Option(names = "--libfuse", paramLabel = "DIR|TARBALL", description = "the libfuse source passthrough_hp is built from "
            + "(default ../shared/peers/libfuse-snapshot.tar.gz beside the checkout; the build is cached in target/peers/libfuse)")
    Path libfuse;

    @Option(names = "--results", description = "results directory (default results/bench-<timestamp> in the checkout)")
    Path results;

    @Option(names = "--disk-dir", description = "where the disk backing lives (default: <results>/disk, removed afterwards)")
    Path diskDir;

    @Option(names = "--no-disk", description = "skip the disk backing")
    boolean noDisk;

    @Option(names = "--targets", split = ",", description = "only these targets (see --list: native, parallel, uring, serial, passthrough, "
            + "jnr-fuse, jnr-fuse-bridge, hp, hp-uring, parallel+1ms, serial+1ms, uring+1ms, uring-serial+1ms)")
    List<String> only;

    @Option(names = "--jobs", split = ",", description = "only these fio jobs (see --list)")
    List<String> onlyJobs;

    @Option(names = "--xattr-probe", description = "measure GETXATTR per passthrough write with and without HANDLE_KILLPRIV_V2, run nothing else")
    boolean xattrProbe;

    @Option(names = "--list", description = "list the fio jobs and targets, run nothing")
    boolean list;

    @Override
    public Integer call() throws Exception {
        if (list) {
            FioJob.suite().forEach(j -> System.out.printf("%-24s %s%n", j.name(), j.description()));
            System.out.println();
            Bench.memoryTargets().forEach(t -> System.out.printf("%-14s %s  -o %s%n", t.name(), t.label(), String.join(",", t.options())));
            return 0;
        }
        if (rejectUnknown()) {
            return 2;
        }
        if (!Mounts.isRoot()) {
            System.err.println("arbiterfs bench: needs root (it mounts a tmpfs, uses passthrough and libfuse 2's mount)");
            return 2;
        }
        for (String tool : List.of("fio")) {
            if (!onPath(tool)) {
                System.err.println("arbiterfs bench: " + tool + " is missing (apt-get install fio)");
                return 2;
            }
        }
        if (capture("sh", "-c", "ldconfig -p | grep -F libfuse.so.2").isEmpty() && onPath("apt-get")) {
            // the jnr-fuse baseline needs libfuse 2 (Debian: libfuse2); as with fio in the harness, install it
            System.err.println("arbiterfs bench: installing libfuse2 for the jnr-fuse baseline");
            capture("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libfuse2 || (apt-get update -qq && apt-get install -y -qq libfuse2)");
        }
        int rt = runtime != null ? runtime : smoke ? 1 : 4;
        int rep = repeats != null ? repeats : smoke ? 1 : 2;
        if (rt < 1 || rep < 1) {
            System.err.println("arbiterfs bench: --runtime and --repeats must be at least 1");
            return 2;
        }
        Path out = results != null ? results : defaultResults();
        Files.createDirectories(out);
        Path tmpfs = Files.createTempDirectory("arbiterfs-bench-tmpfs-");
        Path disk = diskDir != null ? diskDir : out.resolve("disk");
        boolean ownDisk = diskDir == null;
        Thread cleanup = new Thread(() -> {
            KernelUring.restoreIfOffered();
            unmountQuietly(tmpfs);
        }, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        long t0 = System.nanoTime();
        try {
            sh("mount", "-t", "tmpfs", "-o", "size=4g,mode=0755", "arbiterfs-bench", tmpfs.toString());
            if (xattrProbe) {
                XattrProbe.run(tmpfs, rt, System.out);
                return 0;
            }
            Files.createDirectories(disk);
            List<Bench.Backing> backings = new ArrayList<>();
            backings.add(new Bench.Backing("tmpfs", tmpfs, filter(smoke ? Bench.smokeTargets() : Bench.memoryTargets())));
            if (!smoke && !noDisk) {
                backings.add(new Bench.Backing(fsType(disk), disk, filter(Bench.diskTargets())));
            }
            LibfuseBuild peer = new LibfuseBuild(libfuse != null ? libfuse : repositoryRoot().resolve("../shared/peers/libfuse-snapshot.tar.gz"),
                    repositoryRoot().resolve("target/peers/libfuse"));
            String peerBuild = Bench.needsPassthroughHp(backings) ? buildPeer(peer) : null;
            Bench bench = new Bench(new Bench.Plan(backings, rt, rep, peer), out, System.err);
            System.err.printf("arbiterfs bench: %s, %d repetition(s) of %d s per job and target, results in %s%n",
                    smoke ? "smoke" : only != null || onlyJobs != null ? "a subset" : "full suite", rep, rt, out);
            bench.run();
            Map<String, String> header = header(backings, rt, rep, bench, (System.nanoTime() - t0) / 1e9);
            if (peerBuild != null) {
                header.put("passthrough_hp", peerBuild);
            }
            BenchReport report = new BenchReport(bench.cells(), header);
            report.write(out);
            System.out.println(report.markdown());
            System.out.println("written: " + out.resolve("report.md") + ", " + out.resolve("results.csv") + ", " + out.resolve("bench.png"));
            long failed = bench.cells().stream().filter(c -> !c.ok()).count();
            if (smoke) {
                boolean sane = failed == 0 && bench.cells().stream().allMatch(c -> c.iops() > 0)
                        && Files.size(out.resolve("bench.png")) > 0 && !bench.cells().isEmpty();
                System.out.println(sane ? "smoke: pipeline ok (" + bench.cells().size() + " targets ran)" : "smoke: FAILED (" + failed + " failed cells)");
                return sane ? 0 : 1;
            }
            if (failed > 0) {
                System.out.println(failed + " job(s) failed (see the table; raw fio output under " + out.resolve("raw") + ")");
            }
            return 0;
        } finally {
            unmountQuietly(tmpfs);
            Files.deleteIfExists(tmpfs);
            if (ownDisk) {
                Target.deleteTree(disk);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException ignored) {
                // shutting down anyway
            }
        }
    }

    private List<Target> filter(List<Target> targets) {
        List<Target> out = new ArrayList<>();
        for (Target t : targets) {
            if (only != null && !only.contains(t.name())) {
                continue;
            }
            if (onlyJobs != null) {
                var base = t.jobs();
                t = t.withJobs(j -> base.test(j) && onlyJobs.contains(j.name()));
            }
            out.add(t);
        }
        return out;
    }

    /** A misspelt --targets or --jobs name would silently measure nothing: refuse it. */
    private boolean rejectUnknown() {
        List<String> targetNames = new ArrayList<>(Bench.memoryTargets().stream().map(Target::name).toList());
        List<String> jobNames = FioJob.suite().stream().map(FioJob::name).toList();
        List<String> bad = new ArrayList<>();
        if (only != null) {
            only.stream().filter(n -> !targetNames.contains(n)).forEach(n -> bad.add("target " + n));
        }
        if (onlyJobs != null) {
            onlyJobs.stream().filter(n -> !jobNames.contains(n)).forEach(n -> bad.add("job " + n));
        }
        if (!bad.isEmpty()) {
            System.err.println("arbiterfs bench: no such " + String.join(", ", bad) + " (--list shows them)");
        }
        return !bad.isEmpty();
    }

    /**
     * Builds passthrough_hp (or finds it cached), installing the build's Debian packages first if
     * they are missing (as for libfuse 2); returns what the report header says about it. A failed
     * build is reported here and again by each passthrough_hp target, which then fails to start.
     */
    private static String buildPeer(LibfuseBuild peer) {
        List<String> missing = LibfuseBuild.missingPackages();
        if (!missing.isEmpty() && onPath("apt-get")) {
            System.err.println("arbiterfs bench: installing " + String.join(" ", missing) + " to build passthrough_hp");
            String list = String.join(" ", missing);
            capture("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq " + list
                    + " || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq " + list + ")");
        }
        try {
            boolean cached = peer.cached();
            if (!cached && Files.exists(peer.source())) {
                System.err.println("arbiterfs bench: building passthrough_hp from " + peer.source() + " in " + peer.cache() + " (meson, ninja)");
            }
            long t0 = System.nanoTime();
            LibfuseBuild.PassthroughHp hp = peer.passthroughHp();
            String how = cached ? "cached build" : String.format(Locale.ROOT, "built in %.0f s", (System.nanoTime() - t0) / 1e9);
            System.err.println("arbiterfs bench: passthrough_hp ready: " + hp.binary() + " (" + how + ")");
            return hp.describe() + " (" + String.join(" ", LibfuseBuild.MESON_OPTIONS) + "; " + how + "), run as `passthrough_hp --foreground "
                    + String.join(" ", PassthroughHpProcess.ARGS) + " [-o io_uring] SOURCE MOUNTPOINT`";
        } catch (Exception e) {
            System.err.println("arbiterfs bench: passthrough_hp could not be built: " + e.getMessage());
            return "build failed: " + e.getMessage().lines().findFirst().orElse("");
        }
    }

    /** The checkout: where the launcher lives (or the working directory when run otherwise). */
    private static Path repositoryRoot() {
        String launcher = System.getProperty("arbiterfs.launcher");
        return launcher != null ? Path.of(launcher).toAbsolutePath().getParent() : Path.of("").toAbsolutePath();
    }

    private static Path defaultResults() {
        return repositoryRoot().resolve("results").resolve("bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    private static Map<String, String> header(List<Bench.Backing> backings, int rt, int rep, Bench bench, double seconds) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("date", LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).replaceFirst("\\.\\d+$", ""));
        h.put("machine", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, " + memTotal());
        h.put("kernel", capture("uname", "-srvm"));
        h.put("fio", capture("fio", "--version") + "; Java " + System.getProperty("java.version"));
        h.put("suite", "4 jobs on one shared 256 MiB file (seqwrite: 1 job), direct=1 unless `-buf`, time-based " + rt
                + " s; " + rep + " interleaved repetition(s): all targets stay mounted and each repetition of a job runs it on every"
                + " target in turn; median and lowest–highest reported; daemon CPU = utime+stime of its process per GiB read+written");
        StringBuilder b = new StringBuilder();
        for (Bench.Backing k : backings) {
            b.append(b.length() == 0 ? "" : "; ").append(k.name()).append(" at ").append(k.dir()).append(" (").append(fsType(k.dir())).append(")");
        }
        h.put("backings", b.toString());
        bench.served().forEach((t, d) -> h.put("target " + t, d));
        h.put("duration", String.format("%.0f s", seconds));
        h.put("reproduce", "`./arbiterfs bench` (as root)");
        return h;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format("%.0f GiB RAM", Long.parseLong(l.replaceAll("\\D", "")) / 1048576.0)).findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    static String fsType(Path p) {
        String t = capture("stat", "-f", "-c", "%T", p.toString());
        return t.isEmpty() ? "disk" : t.replace("ext2/ext3", "ext4");
    }

    private static String capture(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            return "";
        }
    }

    private static boolean onPath(String tool) {
        return !capture("sh", "-c", "command -v " + tool).isEmpty();
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed");
        }
    }

    private static void unmountQuietly(Path tmpfs) {
        try {
            if (Files.readString(Path.of("/proc/self/mounts")).contains(" " + tmpfs + " ")) {
                new ProcessBuilder("umount", tmpfs.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            // nothing more to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
