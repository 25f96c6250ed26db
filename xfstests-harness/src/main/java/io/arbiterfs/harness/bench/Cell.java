package io.arbiterfs.harness.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The repeats of one job on one target and backing, and their medians. */
public final class Cell {
    public final String backing;
    public final Target target;
    public final FioJob job;
    public final List<FioResult> runs = new ArrayList<>();
    /** Daemon CPU seconds per run (NaN for native). */
    public final List<Double> cpuSeconds = new ArrayList<>();
    /** Average busy CPUs of the whole machine during each run (fio process start to exit). */
    public final List<Double> busyCores = new ArrayList<>();

    public Cell(String backing, Target target, FioJob job) {
        this.backing = backing;
        this.target = target;
        this.job = job;
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
