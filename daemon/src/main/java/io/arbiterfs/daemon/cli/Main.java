package io.arbiterfs.daemon.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The arbiterfs command line. Exit codes: 0 ok, 1 runtime failure, 2 bad usage or configuration. */
@Command(name = "arbiterfs", mixinStandardHelpOptions = true, version = "arbiterfs 0.1",
        description = "A FUSE passthrough file system for direct IO: parallel direct writes, direct-IO mmap, IO-mode arbitration.",
        subcommands = {MountCommand.class, UnmountCommand.class, StatusCommand.class, ExampleCommand.class,
                InstallHelperCommand.class})
public final class Main {
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, a) -> {
            cl.getErr().println("arbiterfs: " + ex.getMessage());
            ex.getCommandLine().usage(cl.getErr());
            return EXIT_USAGE;
        });
        int code = cl.execute(args);
        System.exit(code);
    }
}
