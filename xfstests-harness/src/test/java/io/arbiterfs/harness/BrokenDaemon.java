package io.arbiterfs.harness;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.cli.Main;
import io.arbiterfs.testkit.fs.BrokenFs;
import java.util.Arrays;

/**
 * {@code BrokenDaemon drop:37 mount -f ...}: the arbiterfs command line with {@link BrokenFs} as the layer under the
 * arbitration, for the harness's self-test.
 */
public final class BrokenDaemon {
    private BrokenDaemon() {}

    public static void main(String[] args) {
        BrokenFs.Spec spec = BrokenFs.Spec.parse(args[0]);
        ArbiterDaemon.BackendLayer layer = spec::wrap;
        System.exit(Main.run(layer, Arrays.copyOfRange(args, 1, args.length)));
    }
}
