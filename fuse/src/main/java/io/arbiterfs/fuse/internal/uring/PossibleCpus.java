package io.arbiterfs.fuse.internal.uring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The number of possible CPUs: the kernel makes one FUSE ring queue per possible CPU (num_possible_cpus() in
 * fs/fuse/dev_uring.c), and the ring serves nothing until every queue has an entry. Not the CPUs this JVM may use
 * (cgroups, affinity) nor the online ones: a queue missing for a possible CPU hangs every request.
 */
final class PossibleCpus {
    private static final Path POSSIBLE = Path.of("/sys/devices/system/cpu/possible");

    private PossibleCpus() {}

    static int count() throws IOException {
        return count(Files.readString(POSSIBLE));
    }

    /** How many CPUs a cpulist such as "0-1", "0,2-7" or "0" names (the kernel's bitmap list format). */
    static int count(String cpulist) {
        int n = 0;
        for (String part : cpulist.strip().split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            int first = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int last = dash < 0 ? first : Integer.parseInt(part.substring(dash + 1));
            if (last < first) {
                throw new IllegalArgumentException("bad CPU range '" + part + "' in '" + cpulist + "'");
            }
            n += last - first + 1;
        }
        if (n == 0) {
            throw new IllegalArgumentException("no CPUs in '" + cpulist + "'");
        }
        return n; // num_possible_cpus(): the kernel's queue count
    }
}
