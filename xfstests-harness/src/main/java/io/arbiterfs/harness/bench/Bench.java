package io.arbiterfs.harness.bench;

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
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One benchmark run: for each backing directory and each target, start the target, lay out the
 * 256 MiB file in its backing directory, run its jobs of the suite (each repeated), stop it. The
 * daemon's CPU time is read from {@code /proc/PID/stat} around every fio run.
 */
public final class Bench {
    /** A backing directory and the targets run over it. */
    public record Backing(String name, Path dir, List<Target> targets) {}

    public record Plan(List<Backing> backings, int runtimeSeconds, int repeats) {}

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

    public void run() throws Exception {
        for (Backing b : plan.backings) {
            for (Target t : b.targets) {
                List<FioJob> jobs = FioJob.suite().stream().filter(t.jobs()).toList();
                if (jobs.isEmpty()) {
                    continue;
                }
                Path logDir = results.resolve("raw").resolve(b.name).resolve(t.name());
                Files.createDirectories(logDir);
                List<Cell> mine = new ArrayList<>();
                for (FioJob j : jobs) {
                    mine.add(new Cell(b.name, t, j));
                }
                cells.addAll(mine);
                Target.Mounted m;
                try {
                    m = t.start(b.dir, logDir);
                } catch (Exception e) {
                    progress.printf("%-6s %-22s could not start: %s%n", b.name, t.name(), e.getMessage());
                    for (Cell c : mine) {
                        c.runs.add(FioResult.failed("target did not start: " + e.getMessage()));
                        c.cpuSeconds.add(Double.NaN);
                        c.busyCores.add(Double.NaN);
                    }
                    continue;
                }
                try (m) {
                    served.putIfAbsent(t.name(), m.describe());
                    layOut(m.backing().resolve(FioJob.FILE));
                    for (Cell c : mine) {
                        for (int r = 0; r < plan.repeats; r++) {
                            runOnce(c, m, logDir.resolve(c.job.name() + "-r" + (r + 1)));
                            if (!c.runs.get(c.runs.size() - 1).ok()) {
                                break; // a failure repeats itself; do not wait for it again
                            }
                        }
                        progress.println(line(c));
                    }
                }
            }
        }
    }

    private void runOnce(Cell c, Target.Mounted m, Path raw) throws Exception {
        Path jobFile = Path.of(raw + ".fio");
        Path json = Path.of(raw + ".json");
        Path err = Path.of(raw + ".err");
        Files.writeString(jobFile, c.job.jobFile(m.dir().toString(), plan.runtimeSeconds));
        OptionalLong pid = m.pid();
        double cpu0 = pid.isPresent() ? ProcCpu.seconds(pid.getAsLong()) : Double.NaN;
        SystemCpu machine0 = SystemCpu.now();
        Process fio = new ProcessBuilder("fio", "--output-format=json", "--output=" + json, jobFile.toString())
                .redirectErrorStream(false).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        if (!fio.waitFor(plan.runtimeSeconds + 120L, TimeUnit.SECONDS)) {
            fio.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            c.runs.add(FioResult.failed("fio did not finish within " + (plan.runtimeSeconds + 120) + " s"));
            c.cpuSeconds.add(Double.NaN);
            c.busyCores.add(Double.NaN);
            return;
        }
        double cpu1 = pid.isPresent() ? ProcCpu.seconds(pid.getAsLong()) : Double.NaN;
        c.busyCores.add(SystemCpu.now().busyCoresSince(machine0, CPUS));
        String errText = Files.exists(err) ? Files.readString(err).strip() : "";
        FioResult r = Files.exists(json) && Files.size(json) > 0
                ? FioResult.parse(Files.readString(json, StandardCharsets.UTF_8), c.job.reportGroup())
                : FioResult.failed("no fio report");
        if (fio.exitValue() != 0 && r.ok()) {
            r = FioResult.failed("fio exit " + fio.exitValue() + (errText.isEmpty() ? "" : ": " + firstLine(errText)));
        }
        c.runs.add(r);
        c.cpuSeconds.add(cpu1 - cpu0);
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
        return String.format("%-6s %-22s %-24s %,10.0f IOPS %9.1f MB/s  p99 %,9.0f µs  cpu %s s/GiB",
                c.backing, c.target.name(), c.job.name(), c.iops(), c.megabytesPerSecond(), c.p99Micros(),
                Double.isNaN(c.cpuSecondsPerGiB()) ? "–" : String.format("%.2f", c.cpuSecondsPerGiB()));
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

    /** The targets over the memory backing (tmpfs): the whole suite. */
    public static List<Target> memoryTargets() {
        Predicate<FioJob> direct = j -> !j.buffered();
        return List.of(
                new Target("native", "native (no FUSE)", Target.Kind.NATIVE, List.of(), j -> true),
                new Target("parallel", "arbiterfs parallel", Target.Kind.ARBITERFS, List.of(), direct),
                new Target("serial", "arbiterfs serial (noparallel_dio)", Target.Kind.ARBITERFS, List.of("noparallel_dio"),
                        j -> !j.buffered() && j.writes()),
                new Target("passthrough", "arbiterfs passthrough (buffered)", Target.Kind.ARBITERFS, List.of("passthrough"),
                        FioJob::buffered),
                new Target("jnr-fuse", "jnr-fuse 0.5.8 passthrough", Target.Kind.JNR_FUSE, List.of(), direct),
                new Target("parallel+1ms", "arbiterfs parallel, backend_latency_us=1000", Target.Kind.ARBITERFS,
                        List.of("backend_latency_us=1000"), j -> j.name().equals(HEADLINE_JOB)),
                new Target("serial+1ms", "arbiterfs serial, backend_latency_us=1000", Target.Kind.ARBITERFS,
                        List.of("noparallel_dio", "backend_latency_us=1000"), j -> j.name().equals(HEADLINE_JOB)));
    }

    /** The targets over the disk backing: the short suite. */
    public static List<Target> diskTargets() {
        return List.of(
                new Target("native", "native (no FUSE)", Target.Kind.NATIVE, List.of(), FioJob::core),
                new Target("parallel", "arbiterfs parallel", Target.Kind.ARBITERFS, List.of(), FioJob::core),
                new Target("serial", "arbiterfs serial (noparallel_dio)", Target.Kind.ARBITERFS, List.of("noparallel_dio"),
                        j -> j.core() && j.writes()));
    }

    /** The smoke: one short job per target on the memory backing. */
    public static List<Target> smokeTargets() {
        List<Target> out = new ArrayList<>();
        for (Target t : memoryTargets()) {
            if (t.name().contains("+")) {
                continue;
            }
            String job = t.name().equals("passthrough") ? HEADLINE_JOB + "-buf" : HEADLINE_JOB;
            out.add(new Target(t.name(), t.label(), t.kind(), t.options(), j -> j.name().equals(job)));
        }
        return out;
    }
}
