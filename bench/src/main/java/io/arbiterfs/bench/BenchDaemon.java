package io.arbiterfs.bench;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.cli.Main;
import io.arbiterfs.testkit.faults.FaultOptions;
import java.util.List;

/**
 * The arbiterfs command line as the bench's arbiterfs targets run it: {@code backend_latency_us=N} (a slow device, see
 * {@link FaultOptions}) is taken out of the {@code -o} options and becomes the layer below the arbitration; the rest
 * is the product's {@code mount -f}.
 */
public final class BenchDaemon {
    private BenchDaemon() {}

    public static void main(String[] args) {
        FaultOptions.CommandLine c;
        try {
            c = FaultOptions.split(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("arbiterfs: " + e.getMessage());
            System.exit(Main.EXIT_USAGE);
            return;
        }
        FaultOptions faults = c.faults();
        ArbiterDaemon.BackendLayer layer = faults.enabled() ? faults::wrap : ArbiterDaemon.BackendLayer.NONE;
        System.exit(Main.run(layer, c.args().toArray(String[]::new)));
    }
}
