package io.arbiterfs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Busy and total CPU time of the whole machine from the first line of {@code /proc/stat}: the
 * fio run, the daemon and the kernel work both do, which is what bounds IOPS when every
 * request is CPU work (a tmpfs backing).
 */
record SystemCpu(long busy, long total) {
    static final SystemCpu UNKNOWN = new SystemCpu(-1, -1);

    static SystemCpu now() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long user = Long.parseLong(f[1]), nice = Long.parseLong(f[2]), system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]), iowait = Long.parseLong(f[5]);
            long irq = Long.parseLong(f[6]), softirq = Long.parseLong(f[7]), steal = Long.parseLong(f[8]);
            long busy = user + nice + system + irq + softirq + steal;
            return new SystemCpu(busy, busy + idle + iowait);
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** How many CPUs were busy on average between {@code start} and this sample; NaN if unknown. */
    double busyCoresSince(SystemCpu start, int cpus) {
        if (busy < 0 || start.busy < 0 || total <= start.total) {
            return Double.NaN;
        }
        return (double) (busy - start.busy) / (total - start.total) * cpus;
    }
}
