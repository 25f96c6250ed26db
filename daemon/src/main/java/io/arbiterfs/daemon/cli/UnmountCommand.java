package io.arbiterfs.daemon.cli;

import io.arbiterfs.fuse.Mounts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "unmount", aliases = "umount", description = "Unmount an arbiterfs mount (also clears one whose daemon died).")
final class UnmountCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MOUNTPOINT")
    Path mountpoint;

    @Option(names = {"-z", "--lazy"}, description = "Detach now even if files are open.")
    boolean lazy;

    @Override
    public Integer call() {
        Path mp = mountpoint.toAbsolutePath().normalize();
        try {
            if (Mounts.at(mp).isEmpty()) {
                System.err.println("arbiterfs: " + mp + " is not mounted");
                return Main.EXIT_USAGE;
            }
            Mounts.unmount(mp, lazy);
            System.out.println("arbiterfs: unmounted " + mp);
            return 0;
        } catch (IOException e) {
            System.err.println("arbiterfs: " + e.getMessage());
            return 1;
        }
    }
}
