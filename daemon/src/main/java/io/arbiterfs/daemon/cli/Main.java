package io.arbiterfs.daemon.cli;

import io.arbiterfs.daemon.ArbiterDaemon;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The arbiterfs command line. Exit codes: 0 ok, 1 runtime failure, 2 bad usage or configuration. */
@Command(name = "arbiterfs", mixinStandardHelpOptions = true, version = "arbiterfs 0.1",
        description = "A FUSE passthrough file system for direct IO: parallel direct writes, direct-IO mmap, IO-mode arbitration.",
        subcommands = {MountCommand.class, UnmountCommand.class, StatusCommand.class, ExampleCommand.class,
                InstallHelperCommand.class})
public final class Main {
    public static final int EXIT_USAGE = 2;

    /** What the mounting commands put between the arbitration and the backend. */
    final ArbiterDaemon.BackendLayer layer;

    private Main(ArbiterDaemon.BackendLayer layer) {
        this.layer = Objects.requireNonNull(layer, "layer");
    }

    public static void main(String[] args) {
        System.exit(run(ArbiterDaemon.BackendLayer.NONE, args));
    }

    /**
     * Runs a command line with {@code layer} between the arbitration and the backend of whatever {@code mount} or
     * {@code example} serves: how a test's own main runs the real command with fault injection. A layer lives in this
     * process, so those commands then run only in the foreground ({@code -f}). Returns the exit code.
     */
    public static int run(ArbiterDaemon.BackendLayer layer, String... args) {
        CommandLine cl = new CommandLine(new Main(layer));
        cl.setParameterExceptionHandler((ex, a) -> {
            cl.getErr().println("arbiterfs: " + ex.getMessage());
            ex.getCommandLine().usage(cl.getErr());
            return EXIT_USAGE;
        });
        return cl.execute(args);
    }

    /** Whether a mounting command may re-run itself in the background: not with a layer only this process has. */
    boolean mayDetach() {
        return layer == ArbiterDaemon.BackendLayer.NONE;
    }
}
