package io.arbiterfs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The Markdown tables, the CSV, the PNG chart and the target checks of a {@link Bench} run. Every
 * row gives the median over the repetitions and their spread (lowest–highest IOPS); the
 * comparison with passthrough_hp puts the peer's and arbiterfs's rows side by side and divides
 * them per job, each ratio from one run's interleaved repetitions.
 */
public final class BenchReport {
    /** A per-job ratio of two targets' IOPS: {@code numerator} ÷ {@code denominator}. */
    record Ratio(String numerator, String denominator) {}

    /** The ratios against the C peer, in the order the issue names them (absent targets are left out). */
    static final List<Ratio> PEER_RATIOS = List.of(
            new Ratio(Bench.ARBITERFS_RING, Bench.PEER_RING),
            new Ratio(Bench.ARBITERFS_RING, Bench.ARBITERFS),
            new Ratio(Bench.ARBITERFS, Bench.PEER),
            new Ratio(Bench.ARBITERFS, Bench.PEER_RING));
    /** The side-by-side columns, peer first. */
    static final List<String> SIDE_BY_SIDE = List.of(Bench.PEER, Bench.PEER_RING, Bench.ARBITERFS, Bench.ARBITERFS_RING);

    private final List<Cell> cells;
    private final Map<String, String> header;

    public BenchReport(List<Cell> cells, Map<String, String> header) {
        this.cells = cells;
        this.header = header;
    }

    Optional<Cell> find(String backing, String target, String job) {
        return cells.stream().filter(c -> c.backing.equals(backing) && c.target.name().equals(target) && c.job.name().equals(job)).findFirst();
    }

    /** IOPS relative to native on the same backing; a buffered job's reference is native's buffered run. */
    double ratioToNative(Cell c) {
        return find(c.backing, "native", c.job.name()).filter(Cell::ok).map(n -> c.iops() / n.iops()).orElse(Double.NaN);
    }

    double ratio(String backing, String a, String b, String job) {
        Optional<Cell> x = find(backing, a, job).filter(Cell::ok);
        Optional<Cell> y = find(backing, b, job).filter(Cell::ok);
        return x.isPresent() && y.isPresent() ? x.get().iops() / y.get().iops() : Double.NaN;
    }

    /**
     * Per-repetition ratios {@code a[i] ÷ b[i]} of two cells (repetition i of both was measured
     * side by side), lowest and highest; NaN where either cell has no repetition i that succeeded.
     */
    static double[] ratioSpread(Cell a, Cell b) {
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (int i = 0; i < Math.min(a.runs.size(), b.runs.size()); i++) {
            double r = a.iopsOfRun(i) / b.iopsOfRun(i);
            if (!Double.isNaN(r)) {
                lo = Double.isNaN(lo) ? r : Math.min(lo, r);
                hi = Double.isNaN(hi) ? r : Math.max(hi, r);
            }
        }
        return new double[] {lo, hi};
    }

    /** The median IOPS ratio of {@code r} on one job, with the per-repetition range: "1.04× (0.98–1.10)"; "–" if a side is missing. */
    String ratioText(String backing, Ratio r, String job) {
        Optional<Cell> a = find(backing, r.numerator(), job).filter(Cell::ok);
        Optional<Cell> b = find(backing, r.denominator(), job).filter(Cell::ok);
        if (a.isEmpty() || b.isEmpty()) {
            return "–";
        }
        double[] range = ratioSpread(a.get(), b.get());
        String main = String.format(Locale.ROOT, "%.2f×", a.get().iops() / b.get().iops());
        return a.get().runs.size() < 2 ? main : main + String.format(Locale.ROOT, " (%.2f–%.2f)", range[0], range[1]);
    }

    /** The lowest–highest IOPS of a cell's repetitions ("–" with fewer than two). */
    static String spread(Cell c) {
        return c.ok() && c.runs.size() >= 2 ? String.format(Locale.ROOT, "%,.0f–%,.0f", c.iopsMin(), c.iopsMax()) : "–";
    }

    /** 81,712 → "81.7k" (the side-by-side table's compact IOPS). */
    static String kilo(double v) {
        return v >= 1000 ? String.format(Locale.ROOT, "%.1fk", v / 1000) : String.format(Locale.ROOT, "%.0f", v);
    }

    private boolean present(String backing, String target) {
        return cells.stream().anyMatch(c -> c.backing.equals(backing) && c.target.name().equals(target));
    }

    private String label(String backing, String target) {
        return cells.stream().filter(c -> c.backing.equals(backing) && c.target.name().equals(target)).map(c -> c.target.label())
                .findFirst().orElse(target);
    }

    /**
     * passthrough_hp and arbiterfs side by side (IOPS, its spread, machine CPU µs per IO) and the
     * ratios, for the jobs the peer ran and the targets of {@link #SIDE_BY_SIDE} that ran; "" without a peer target.
     */
    public String peerComparison(String backing) {
        if (!present(backing, Bench.PEER) && !present(backing, Bench.PEER_RING)) {
            return "";
        }
        List<String> cols = SIDE_BY_SIDE.stream().filter(t -> present(backing, t)).toList();
        List<Ratio> ratios = PEER_RATIOS.stream().filter(r -> present(backing, r.numerator()) && present(backing, r.denominator())).toList();
        List<String> jobs = new ArrayList<>();
        for (FioJob j : FioJob.suite()) { // the jobs the peer ran
            if (find(backing, Bench.PEER, j.name()).isPresent() || find(backing, Bench.PEER_RING, j.name()).isPresent()) {
                jobs.add(j.name());
            }
        }
        StringBuilder s = new StringBuilder("\n### Side by side with passthrough_hp (" + backing + ")\n\n"
                + "Median IOPS of the repetitions (lowest–highest), machine CPU µs per IO; every column from the same interleaved run.\n\n| job |");
        cols.forEach(t -> s.append(' ').append(label(backing, t)).append(" |"));
        s.append("\n|---|").append("---:|".repeat(cols.size())).append('\n');
        for (String j : jobs) {
            s.append("| ").append(j).append(" |");
            for (String t : cols) {
                Optional<Cell> c = find(backing, t, j);
                String v;
                if (c.isEmpty()) {
                    v = "";
                } else if (!c.get().ok()) {
                    v = "failed: " + c.get().error().replace("|", "/");
                } else {
                    Cell x = c.get();
                    v = kilo(x.iops()) + (x.runs.size() >= 2 ? " (" + kilo(x.iopsMin()) + "–" + kilo(x.iopsMax()) + ")" : "")
                            + ", " + num(x.machineMicrosPerIo(), "%.1f") + " µs";
                }
                s.append(' ').append(v).append(" |");
            }
            s.append('\n');
        }
        if (!ratios.isEmpty()) {
            s.append("\nIOPS ratios (median ÷ median; in brackets the lowest and highest of the per-repetition ratios):\n\n| job |");
            ratios.forEach(r -> s.append(' ').append(r.numerator()).append(" ÷ ").append(r.denominator()).append(" |"));
            s.append("\n|---|").append("---:|".repeat(ratios.size())).append('\n');
            for (String j : jobs) {
                s.append("| ").append(j).append(" |");
                ratios.forEach(r -> s.append(' ').append(ratioText(backing, r, j)).append(" |"));
                s.append('\n');
            }
        }
        return s.toString();
    }

    public String markdown() {
        StringBuilder s = new StringBuilder("# arbiterfs bench\n\n");
        header.forEach((k, v) -> s.append("- **").append(k).append("**: ").append(v).append('\n'));
        for (String backing : backings()) {
            s.append("\n### ").append(backing).append("\n\n");
            s.append("| job | target | IOPS | IOPS min–max | MB/s | p99 µs | daemon CPU s/GiB | busy CPUs | CPU µs/IO | × native |\n"
                    + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (FioJob j : FioJob.suite()) {
                for (Cell c : cells) {
                    if (!c.backing.equals(backing) || !c.job.name().equals(j.name())) {
                        continue;
                    }
                    if (!c.ok()) {
                        s.append(String.format("| %s | %s | failed: %s | | | | | | | |%n", j.name(), c.target.label(), c.error().replace("|", "/")));
                        continue;
                    }
                    s.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %s | %,.1f | %,.0f | %s | %s | %s | %s |%n", j.name(),
                            c.target.label(), c.iops(), spread(c), c.megabytesPerSecond(), c.p99Micros(), num(c.cpuSecondsPerGiB(), "%.2f"),
                            num(c.busyCores(), "%.2f"), num(c.machineMicrosPerIo(), "%.1f"), num(ratioToNative(c), "%.3f")));
                }
            }
            s.append(peerComparison(backing));
        }
        s.append("\n### Targets\n\n").append(checks());
        return s.toString();
    }

    /** The targets, computed from this run. */
    public String checks() {
        String mem = backings().isEmpty() ? "tmpfs" : backings().get(0);
        String j = Bench.HEADLINE_JOB;
        StringBuilder s = new StringBuilder("| check (" + j + ", " + mem + ") | value | target | |\n|---|---:|---:|---|\n");
        check(s, "parallel ÷ jnr-fuse", ratio(mem, "parallel", "jnr-fuse", j), 5, "×");
        check(s, "parallel ÷ serial", ratio(mem, "parallel", "serial", j), 3, "×");
        check(s, "jnr-fuse on the arbiterfs bridge ÷ stock jnr-fuse", ratio(mem, Bench.JNR_FUSE_BRIDGE, "jnr-fuse", j), 3, "×");
        check(s, "parallel ÷ serial, backend_latency_us=1000", ratio(mem, "parallel+1ms", "serial+1ms", j), 3.5, "×");
        check(s, "parallel IOPS", find(mem, "parallel", j).filter(Cell::ok).map(Cell::iops).orElse(Double.NaN), 90_000, "");
        s.append(String.format(Locale.ROOT, "| parallel ÷ native | %s | (reported) | |%n", num(ratio(mem, "parallel", "native", j), "%.3f")));
        s.append(ceiling(mem, j));
        if (present(mem, Bench.PEER) || present(mem, Bench.PEER_RING)) {
            s.append("\n").append(peerChecks(mem));
        }
        return s.toString();
    }

    /** The targets against passthrough_hp ("not measured" while a side is absent). */
    String peerChecks(String mem) {
        StringBuilder s = new StringBuilder("| check against passthrough_hp (" + mem + ") | value | target | |\n|---|---:|---:|---|\n");
        for (String j : Bench.PEER_JOBS) {
            check(s, "arbiterfs io_uring ÷ passthrough_hp io_uring, " + j, ratio(mem, Bench.ARBITERFS_RING, Bench.PEER_RING, j), 1.0, "×");
        }
        check(s, "arbiterfs io_uring ÷ arbiterfs /dev/fuse, " + Bench.HEADLINE_JOB,
                ratio(mem, Bench.ARBITERFS_RING, Bench.ARBITERFS, Bench.HEADLINE_JOB), 1.8, "×");
        check(s, "io_uring parallel ÷ serial, backend_latency_us=1000, " + Bench.HEADLINE_JOB,
                ratio(mem, Bench.RING_SLOW, Bench.RING_SLOW_SERIAL, Bench.HEADLINE_JOB), 3.5, "×");
        for (String j : Bench.PEER_JOBS) {
            if (!j.contains("-4k-")) {
                continue;
            }
            double ours = find(mem, Bench.ARBITERFS_RING, j).filter(Cell::ok).map(Cell::machineMicrosPerIo).orElse(Double.NaN);
            double peer = find(mem, Bench.PEER_RING, j).filter(Cell::ok).map(Cell::machineMicrosPerIo).orElse(Double.NaN);
            String verdict = Double.isNaN(ours) || Double.isNaN(peer) ? "not measured" : ours <= peer ? "met" : "NOT met";
            s.append(String.format(Locale.ROOT, "| machine CPU µs/IO, arbiterfs io_uring, %s | %s | ≤ %s (passthrough_hp io_uring) | %s |%n",
                    j, num(ours, "%.1f"), num(peer, "%.1f"), verdict));
        }
        for (String j : Bench.PEER_JOBS) {
            s.append(String.format(Locale.ROOT, "| arbiterfs /dev/fuse ÷ passthrough_hp /dev/fuse, %s | %s | (reported) | |%n", j,
                    num(ratio(mem, Bench.ARBITERFS, Bench.PEER, j), "%.2f×")));
        }
        return s.toString();
    }

    /**
     * What the machine allows: with a tmpfs backing every request is CPU work, so parallel IOPS
     * cannot pass (CPUs ÷ CPU time per IO); divided by the serial IOPS that bounds the ratio no
     * matter how the daemon schedules.
     */
    String ceiling(String backing, String job) {
        Optional<Cell> p = find(backing, "parallel", job).filter(Cell::ok);
        Optional<Cell> serial = find(backing, "serial", job).filter(Cell::ok);
        Optional<Cell> jnr = find(backing, "jnr-fuse", job).filter(Cell::ok);
        if (p.isEmpty() || serial.isEmpty() || Double.isNaN(p.get().machineMicrosPerIo())) {
            return "";
        }
        double maxIops = Bench.CPUS * 1e6 / p.get().machineMicrosPerIo();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "%nCPU ceiling on this machine (%d CPUs): the parallel run costs %.1f µs of machine CPU per IO "
                        + "(fio + kernel + daemon) with %.2f CPUs busy, so at most %,.0f IOPS with every CPU busy: "
                        + "parallel ÷ serial ≤ %.2f×", Bench.CPUS, p.get().machineMicrosPerIo(), p.get().busyCores(), maxIops,
                maxIops / serial.get().iops()));
        jnr.ifPresent(c -> s.append(String.format(Locale.ROOT, ", parallel ÷ jnr-fuse ≤ %.2f×", maxIops / c.iops())));
        return s.append(". The serial run already keeps ").append(num(serial.get().busyCores(), "%.2f"))
                .append(" CPUs busy.\n").toString();
    }

    private static void check(StringBuilder s, String what, double v, double target, String unit) {
        String verdict = Double.isNaN(v) ? "not measured" : v >= target ? "met" : "NOT met";
        s.append(String.format(Locale.ROOT, "| %s | %s%s | ≥ %s%s | %s |%n", what,
                num(v, v > 1000 ? "%,.0f" : "%.2f"), Double.isNaN(v) ? "" : unit, target >= 1000 ? String.format("%,.0f", target) : target, unit, verdict));
    }

    private static String num(double v, String fmt) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, fmt, v);
    }

    public String csv() {
        StringBuilder s = new StringBuilder("backing,target,options,job,iops,iops_min,iops_max,mb_per_s,p99_us,daemon_cpu_s_per_gib,busy_cpus,"
                + "machine_cpu_us_per_io,ring_cqes_per_io,ratio_to_native,runs,iops_per_run,error\n");
        for (Cell c : cells) {
            String runs = c.runs.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.iops())).collect(Collectors.joining(";"));
            s.append(String.join(",", c.backing, c.target.name(), "\"" + String.join(",", c.target.options()) + "\"", c.job.name(),
                    num(c.ok() ? c.iops() : Double.NaN, "%.0f"), num(c.iopsMin(), "%.0f"), num(c.iopsMax(), "%.0f"),
                    num(c.ok() ? c.megabytesPerSecond() : Double.NaN, "%.2f"),
                    num(c.ok() ? c.p99Micros() : Double.NaN, "%.1f"), num(c.ok() ? c.cpuSecondsPerGiB() : Double.NaN, "%.3f"),
                    num(c.ok() ? c.busyCores() : Double.NaN, "%.2f"), num(c.ok() ? c.machineMicrosPerIo() : Double.NaN, "%.1f"),
                    num(c.ok() ? c.ringCompletionsPerIo() : Double.NaN, "%.2f"),
                    num(c.ok() ? ratioToNative(c) : Double.NaN, "%.4f"), Integer.toString(c.runs.size()), runs,
                    c.ok() ? "" : "\"" + c.error().replace("\"", "'") + "\"")).append('\n');
        }
        return s.toString();
    }

    private List<String> backings() {
        List<String> out = new ArrayList<>();
        for (Cell c : cells) {
            if (!out.contains(c.backing)) {
                out.add(c.backing);
            }
        }
        return out;
    }

    /** One IOPS bar chart per backing (log scale), stacked in one PNG. */
    public void chart(Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<CategoryChart> charts = new ArrayList<>();
        for (String backing : backings()) {
            List<String> jobs = new ArrayList<>();
            Map<String, Map<String, Double>> byTarget = new LinkedHashMap<>();
            for (FioJob j : FioJob.suite()) {
                for (Cell c : cells) {
                    if (c.backing.equals(backing) && c.job.name().equals(j.name()) && c.ok()) {
                        if (!jobs.contains(j.name())) {
                            jobs.add(j.name());
                        }
                        byTarget.computeIfAbsent(c.target.label(), k -> new LinkedHashMap<>()).put(j.name(), c.iops());
                    }
                }
            }
            if (jobs.isEmpty()) {
                continue;
            }
            CategoryChart chart = new CategoryChartBuilder().width(1600).height(560)
                    .title("fio IOPS on " + backing + " (4 jobs, one 256 MiB file; log scale)").xAxisTitle("job").yAxisTitle("IOPS").build();
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setXAxisLabelRotation(30);
            chart.getStyler().setOverlapped(false);
            chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
            double min = byTarget.values().stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue)
                    .filter(v -> v > 0).min().orElse(1);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
            for (var e : byTarget.entrySet()) {
                List<Double> ys = new ArrayList<>();
                for (String j : jobs) {
                    // a log axis refuses null/0; NaN draws no bar
                    ys.add(e.getValue().getOrDefault(j, Double.NaN));
                }
                chart.addSeries(e.getKey(), jobs, ys);
            }
            charts.add(chart);
        }
        if (charts.isEmpty()) {
            return;
        }
        String name = png.toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(charts, charts.size(), 1, name, BitmapEncoder.BitmapFormat.PNG);
    }

    public void write(Path dir) throws IOException {
        Files.writeString(dir.resolve("report.md"), markdown());
        Files.writeString(dir.resolve("results.csv"), csv());
        chart(dir.resolve("bench.png"));
    }
}
