package io.arbiterfs.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One benchmark run. On each backing directory it starts every target (each with the 256 MiB
 * file laid out in its backing directory), then runs the suite job by job, and within a job
 * repetition by repetition, every target once per repetition (A B C, A B C, ...; see {@link
 * #schedule}): the repetitions of a ratio's two sides are measured next to each other, so a ratio
 * comes from one run and not from two moments of a shared machine. Then it stops the targets. The
 * daemon's CPU time is read from {@code /proc/PID/stat} around every fio run, the machine's from
 * {@code /proc/stat}, and a ring target's CQE count from its io_uring fdinfo.
 */
public final class Bench {
    /** A backing directory and the targets run over it. */
    public record Backing(String name, Path dir, List<Target> targets) {}

    public record Plan(List<Backing> backings, int runtimeSeconds, int repeats, LibfuseBuild libfuse) {}

    /** One fio run of a schedule: repetition {@code repeat} (from 1) of {@code job} on {@code target}. */
    public record Step(FioJob job, int repeat, Target target) {}

    /** A ring target must show at least this many io_uring CQEs per IO fio counted (about 1 when it runs on the ring). */
    static final double MIN_RING_COMPLETIONS_PER_IO = 0.5;

    private final Plan plan;
    private final Path results;
    private final PrintStream progress;
    private final List<Cell> cells = new ArrayList<>();
    private final Map<String, String> served = new LinkedHashMap<>();

    public Bench(Plan plan, Path results, PrintStream progress) {
        this.plan = plan;
        this.results = results;
        this.progress = progress;
    }

    public List<Cell> cells() {
        return cells;
    }

    /** What served each target (from the first backing it ran on). */
    public Map<String, String> served() {
        return served;
    }

    /**
     * The order of the runs on one backing: job by job in suite order, and for each job its
     * repetitions in turn, each running every target that has the job once, in target order.
     */
    public static List<Step> schedule(List<Target> targets, List<FioJob> suite, int repeats) {
        List<Step> steps = new ArrayList<>();
        for (FioJob j : suite) {
            List<Target> these = targets.stream().filter(t -> t.jobs().test(j)).toList();
            for (int r = 1; r <= repeats; r++) {
                for (Target t : these) {
                    steps.add(new Step(j, r, t));
                }
            }
        }
        return steps;
    }

    public void run() throws Exception {
        for (Backing b : plan.backings) {
            runOn(b);
        }
    }

    private void runOn(Backing b) throws Exception {
        Map<String, Cell> mine = new LinkedHashMap<>();
        List<Target> targets = new ArrayList<>();
        for (Target t : b.targets) {
            List<FioJob> jobs = FioJob.suite().stream().filter(t.jobs()).toList();
            if (!jobs.isEmpty()) {
                targets.add(t);
                for (FioJob j : jobs) {
                    mine.put(key(t, j), new Cell(b.name, t, j));
                }
            }
        }
        cells.addAll(mine.values());
        Map<String, Target.Mounted> mounted = new LinkedHashMap<>();
        try {
            for (Target t : targets) {
                Path logDir = results.resolve("raw").resolve(b.name).resolve(t.name());
                Files.createDirectories(logDir);
                try {
                    Target.Mounted m = t.start(b.dir, logDir, plan.libfuse);
                    mounted.put(t.name(), m);
                    served.putIfAbsent(t.name(), m.describe());
                    layOut(m.backing().resolve(FioJob.FILE));
                    progress.printf("%-6s %-22s started: %s%n", b.name, t.name(), m.describe());
                } catch (Exception e) {
                    progress.printf("%-6s %-22s could not start: %s%n", b.name, t.name(), e.getMessage());
                    mine.values().stream().filter(c -> c.target.name().equals(t.name()) && c.runs.isEmpty())
                            .forEach(c -> c.fail("target did not start: " + e.getMessage()));
                }
            }
            List<Target> started = targets.stream().filter(t -> mounted.containsKey(t.name())).toList();
            List<Step> steps = schedule(started, FioJob.suite(), plan.repeats);
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                Cell c = mine.get(key(s.target(), s.job()));
                if (c.ok() || c.runs.isEmpty()) { // a failure repeats itself: do not wait for it again
                    Path raw = results.resolve("raw").resolve(b.name).resolve(s.target().name()).resolve(s.job().name() + "-r" + s.repeat());
                    runOnce(c, mounted.get(s.target().name()), raw);
                }
                if (i + 1 == steps.size() || !steps.get(i + 1).job().name().equals(s.job().name())) {
                    mine.values().stream().filter(x -> x.job.name().equals(s.job().name()) && mounted.containsKey(x.target.name()))
                            .forEach(x -> progress.println(line(x)));
                }
            }
        } finally {
            List<String> names = new ArrayList<>(mounted.keySet());
            for (int i = names.size() - 1; i >= 0; i--) {
                try {
                    mounted.get(names.get(i)).close();
                } catch (IOException e) {
                    progress.printf("%-6s %-22s stop: %s%n", b.name, names.get(i), e.getMessage());
                }
            }
        }
    }

    private static String key(Target t, FioJob j) {
        return t.name() + "\0" + j.name();
    }

    private void runOnce(Cell c, Target.Mounted m, Path raw) throws Exception {
        Path jobFile = Path.of(raw + ".fio");
        Path json = Path.of(raw + ".json");
        Path err = Path.of(raw + ".err");
        Files.writeString(jobFile, c.job.jobFile(m.dir().toString(), plan.runtimeSeconds));
        OptionalLong pid = m.pid();
        boolean ring = c.target.ring() && pid.isPresent();
        KernelUring.Rings rings0 = ring ? KernelUring.Rings.of(pid.getAsLong()) : KernelUring.Rings.NONE;
        double cpu0 = pid.isPresent() ? ProcCpu.seconds(pid.getAsLong()) : Double.NaN;
        SystemCpu machine0 = SystemCpu.now();
        Process fio = new ProcessBuilder("fio", "--output-format=json", "--output=" + json, jobFile.toString())
                .redirectErrorStream(false).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        if (!fio.waitFor(plan.runtimeSeconds + 120L, TimeUnit.SECONDS)) {
            fio.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            c.fail("fio did not finish within " + (plan.runtimeSeconds + 120) + " s");
            return;
        }
        double cpu1 = pid.isPresent() ? ProcCpu.seconds(pid.getAsLong()) : Double.NaN;
        double busy = SystemCpu.now().busyCoresSince(machine0, CPUS);
        double ringCqes = ring ? KernelUring.Rings.of(pid.getAsLong()).completionsSince(rings0) : Double.NaN;
        String errText = Files.exists(err) ? Files.readString(err).strip() : "";
        FioResult r = Files.exists(json) && Files.size(json) > 0
                ? FioResult.parse(Files.readString(json, StandardCharsets.UTF_8), c.job.reportGroup())
                : FioResult.failed("no fio report");
        if (fio.exitValue() != 0 && r.ok()) {
            r = FioResult.failed("fio exit " + fio.exitValue() + (errText.isEmpty() ? "" : ": " + firstLine(errText)));
        }
        if (ring && r.ok() && ringCqes < MIN_RING_COMPLETIONS_PER_IO * r.ios()) {
            r = FioResult.failed(String.format(Locale.ROOT, "not on the ring: %.0f io_uring CQEs for %d IOs", ringCqes, r.ios()));
        }
        c.record(r, cpu1 - cpu0, busy, ringCqes);
    }

    private static String firstLine(String s) {
        // fio's interesting line is usually the last one ("fio: pid=..., err=19/file:...")
        String[] lines = s.split("\n");
        String last = lines[lines.length - 1].strip();
        return last.length() > 160 ? last.substring(0, 160) + "…" : last;
    }

    static String line(Cell c) {
        if (!c.ok()) {
            return String.format("%-6s %-22s %-24s failed: %s", c.backing, c.target.name(), c.job.name(), c.error());
        }
        String ring = Double.isNaN(c.ringCompletionsPerIo()) ? "" : String.format(Locale.ROOT, "  ring CQEs/IO %.2f", c.ringCompletionsPerIo());
        return String.format(Locale.ROOT, "%-6s %-22s %-24s %,10.0f IOPS (%s) %9.1f MB/s  p99 %,9.0f µs  cpu %s s/GiB  %s µs/IO%s",
                c.backing, c.target.name(), c.job.name(), c.iops(), BenchReport.spread(c), c.megabytesPerSecond(), c.p99Micros(),
                Double.isNaN(c.cpuSecondsPerGiB()) ? "–" : String.format(Locale.ROOT, "%.2f", c.cpuSecondsPerGiB()),
                Double.isNaN(c.machineMicrosPerIo()) ? "–" : String.format(Locale.ROOT, "%.1f", c.machineMicrosPerIo()), ring);
    }

    /** The shared 256 MiB file, written once per target in its backing directory (incompressible data). */
    static void layOut(Path file) throws IOException {
        byte[] chunk = new byte[1 << 20];
        new Random(42).nextBytes(chunk);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long off = 0; off < FioJob.FILE_SIZE; off += chunk.length) {
                ByteBuffer b = ByteBuffer.wrap(chunk);
                while (b.hasRemaining()) {
                    ch.write(b, off + b.position());
                }
            }
            ch.force(false);
        }
    }

    // ---- the plans ----

    public static final String HEADLINE_JOB = "randwrite-4k-psync";
    static final int CPUS = Runtime.getRuntime().availableProcessors();

    /** The C peer over /dev/fuse and over io_uring, and arbiterfs's matching targets (names used by the report). */
    public static final String PEER = "hp";
    public static final String PEER_RING = "hp-uring";
    public static final String ARBITERFS = "parallel";
    /** The jnr-fuse baseline, the same class, on the arbiterfs engine through the jnr-fuse bridge. */
    public static final String JNR_FUSE_BRIDGE = "jnr-fuse-bridge";
    /** arbiterfs over io_uring: the report compares it when a target of this name exists. */
    public static final String ARBITERFS_RING = "uring";
    /** The slow-backend pair over io_uring: parallel and serial writers behind backend_latency_us=1000. */
    public static final String RING_SLOW = "uring+1ms";
    public static final String RING_SLOW_SERIAL = "uring-serial+1ms";
    /** The jobs the C peer runs: the side-by-side set. */
    public static final List<String> PEER_JOBS = List.of("randwrite-4k-psync", "randread-4k-psync", "randwrite-128k-psync",
            "randwrite-4k-libaio16");

    /**
     * The targets over the memory backing (tmpfs): the whole suite. arbiterfs's /dev/fuse targets say {@code noio_uring}
     * (and are mounted with the ring not offered anyway); its ring targets say {@code io_uring} and are mounted with
     * enable_uring set around the mount, like passthrough_hp's.
     */
    public static List<Target> memoryTargets() {
        Predicate<FioJob> direct = j -> !j.buffered();
        Predicate<FioJob> peerJobs = j -> PEER_JOBS.contains(j.name());
        Predicate<FioJob> headline = j -> j.name().equals(HEADLINE_JOB);
        return List.of(
                new Target("native", "native (no FUSE)", Target.Kind.NATIVE, List.of(), j -> true),
                new Target(ARBITERFS, "arbiterfs parallel", Target.Kind.ARBITERFS, List.of("noio_uring"), direct),
                new Target(ARBITERFS_RING, "arbiterfs io_uring", Target.Kind.ARBITERFS, Target.Transport.IO_URING,
                        List.of("io_uring"), direct),
                new Target("serial", "arbiterfs serial (noparallel_dio)", Target.Kind.ARBITERFS,
                        List.of("noio_uring", "noparallel_dio"), j -> !j.buffered() && j.writes()),
                new Target("passthrough", "arbiterfs passthrough (buffered)", Target.Kind.ARBITERFS,
                        List.of("noio_uring", "passthrough"), FioJob::buffered),
                new Target("jnr-fuse", "jnr-fuse 0.5.8 passthrough", Target.Kind.JNR_FUSE, List.of(), direct),
                new Target(JNR_FUSE_BRIDGE, "jnr-fuse 0.5.8 passthrough on the arbiterfs bridge (parallel_dio)",
                        Target.Kind.JNR_FUSE_BRIDGE, List.of("parallel_dio"), direct),
                new Target(PEER, "passthrough_hp /dev/fuse", Target.Kind.PASSTHROUGH_HP, List.of(), peerJobs),
                new Target(PEER_RING, "passthrough_hp io_uring", Target.Kind.PASSTHROUGH_HP, Target.Transport.IO_URING,
                        List.of("io_uring"), peerJobs),
                new Target("parallel+1ms", "arbiterfs parallel, backend_latency_us=1000", Target.Kind.ARBITERFS,
                        List.of("noio_uring", "backend_latency_us=1000"), headline),
                new Target("serial+1ms", "arbiterfs serial, backend_latency_us=1000", Target.Kind.ARBITERFS,
                        List.of("noio_uring", "noparallel_dio", "backend_latency_us=1000"), headline),
                new Target(RING_SLOW, "arbiterfs io_uring, backend_latency_us=1000", Target.Kind.ARBITERFS,
                        Target.Transport.IO_URING, List.of("io_uring", "backend_latency_us=1000"), headline),
                new Target(RING_SLOW_SERIAL, "arbiterfs io_uring serial, backend_latency_us=1000", Target.Kind.ARBITERFS,
                        Target.Transport.IO_URING, List.of("io_uring", "noparallel_dio", "backend_latency_us=1000"), headline));
    }

    /** The targets over the disk backing: the short suite. */
    public static List<Target> diskTargets() {
        return List.of(
                new Target("native", "native (no FUSE)", Target.Kind.NATIVE, List.of(), FioJob::core),
                new Target(ARBITERFS, "arbiterfs parallel", Target.Kind.ARBITERFS, List.of("noio_uring"), FioJob::core),
                new Target("serial", "arbiterfs serial (noparallel_dio)", Target.Kind.ARBITERFS,
                        List.of("noio_uring", "noparallel_dio"), j -> j.core() && j.writes()));
    }

    /** The smoke: one short job per target on the memory backing. */
    public static List<Target> smokeTargets() {
        List<Target> out = new ArrayList<>();
        for (Target t : memoryTargets()) {
            if (t.name().contains("+")) {
                continue;
            }
            String job = t.name().equals("passthrough") ? HEADLINE_JOB + "-buf" : HEADLINE_JOB;
            out.add(t.withJobs(j -> j.name().equals(job)));
        }
        return out;
    }

    /** Whether any of {@code targets} needs passthrough_hp built. */
    public static boolean needsPassthroughHp(List<Backing> backings) {
        return backings.stream().flatMap(b -> b.targets().stream()).anyMatch(t -> t.kind() == Target.Kind.PASSTHROUGH_HP);
    }
}
