package io.arbiterfs.daemon.testing;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.cli.Main;
import io.arbiterfs.testkit.faults.FaultOptions;
import java.util.List;

/**
 * The arbiterfs command line with the test aids: {@code DaemonWithFaults mount -f SRC MNT -o dio=auto,fault_rate=150}
 * takes the {@code fault_*} and {@code backend_latency_us} options (see {@link FaultOptions}) out of every {@code -o}
 * and runs the real command with them as the layer below the arbitration. The product's own {@link Main} refuses them.
 */
public final class DaemonWithFaults {
    private DaemonWithFaults() {}

    public static void main(String[] args) {
        FaultOptions.CommandLine c;
        try {
            c = FaultOptions.split(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("arbiterfs: " + e.getMessage());
            System.exit(Main.EXIT_USAGE);
            return;
        }
        System.exit(Main.run(layer(c.faults()), c.args().toArray(String[]::new)));
    }

    /** The faults as the daemon's backend layer ({@link ArbiterDaemon.BackendLayer#NONE} when there are none). */
    public static ArbiterDaemon.BackendLayer layer(FaultOptions faults) {
        return faults.enabled() ? faults::wrap : ArbiterDaemon.BackendLayer.NONE;
    }
}
