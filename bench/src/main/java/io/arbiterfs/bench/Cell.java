package io.arbiterfs.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The repetitions of one job on one target and backing (index i is repetition i + 1, measured
 * beside every other target's repetition i + 1), their medians and their spread.
 */
public final class Cell {
    public final String backing;
    public final Target target;
    public final FioJob job;
    public final List<FioResult> runs = new ArrayList<>();
    /** Daemon CPU seconds per run (NaN for native). */
    public final List<Double> cpuSeconds = new ArrayList<>();
    /** Average busy CPUs of the whole machine during each run (fio process start to exit). */
    public final List<Double> busyCores = new ArrayList<>();
    /** CQEs the server's io_uring instances posted during each run (NaN off the ring). */
    public final List<Double> ringCompletions = new ArrayList<>();

    public Cell(String backing, Target target, FioJob job) {
        this.backing = backing;
        this.target = target;
        this.job = job;
    }

    /** Adds one repetition. */
    public void record(FioResult r, double daemonCpuSeconds, double busy, double ringCqes) {
        runs.add(r);
        cpuSeconds.add(daemonCpuSeconds);
        busyCores.add(busy);
        ringCompletions.add(ringCqes);
    }

    /** Adds a repetition that produced no numbers. */
    public void fail(String error) {
        record(FioResult.failed(error), Double.NaN, Double.NaN, Double.NaN);
    }

    public boolean ok() {
        return !runs.isEmpty() && runs.stream().allMatch(FioResult::ok);
    }

    public String error() {
        return runs.stream().filter(r -> !r.ok()).map(FioResult::error).findFirst().orElse(runs.isEmpty() ? "not run" : null);
    }

    public double iops() {
        return median(runs, FioResult::iops);
    }

    /** The lowest IOPS of the repetitions (NaN if any failed). */
    public double iopsMin() {
        return ok() ? runs.stream().mapToDouble(FioResult::iops).min().orElse(Double.NaN) : Double.NaN;
    }

    /** The highest IOPS of the repetitions (NaN if any failed). */
    public double iopsMax() {
        return ok() ? runs.stream().mapToDouble(FioResult::iops).max().orElse(Double.NaN) : Double.NaN;
    }

    /** IOPS of repetition {@code i} (0-based), NaN if it did not run or failed. */
    public double iopsOfRun(int i) {
        return i < runs.size() && runs.get(i).ok() ? runs.get(i).iops() : Double.NaN;
    }

    /**
     * Ring CQEs per IO fio counted, median over the runs: about 1 when every request went over
     * io_uring; NaN off the ring.
     */
    public double ringCompletionsPerIo() {
        double[] v = new double[runs.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ringCompletions.get(i) / runs.get(i).ios();
        }
        return median(v);
    }

    public double megabytesPerSecond() {
        return median(runs, FioResult::bytesPerSecond) / 1e6;
    }

    public double p99Micros() {
        return median(runs, FioResult::p99Micros);
    }

    /** Daemon CPU seconds per GiB moved (read + written), median over the runs; NaN without a daemon. */
    public double cpuSecondsPerGiB() {
        double[] v = new double[runs.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = cpuSeconds.get(i) / (runs.get(i).bytesMoved() / (double) (1L << 30));
        }
        return median(v);
    }

    /** Machine-wide busy CPUs during the runs, median. */
    public double busyCores() {
        return median(busyCores.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * Machine CPU microseconds per IO (everything: fio, kernel, daemon), median over the runs. The
     * busy time covers fio's start-up and end too, so this is an upper estimate.
     */
    public double machineMicrosPerIo() {
        double[] v = new double[runs.size()];
        for (int i = 0; i < v.length; i++) {
            FioResult r = runs.get(i);
            v[i] = busyCores.get(i) * 1e6 / r.iops();
        }
        return median(v);
    }

    private static double median(List<FioResult> runs, ToDoubleFunction<FioResult> f) {
        return median(runs.stream().mapToDouble(f).toArray());
    }

    /** The median (the mean of the middle two for an even count); NaN if empty or any value is NaN. */
    static double median(double[] v) {
        if (v.length == 0 || Arrays.stream(v).anyMatch(Double::isNaN)) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
