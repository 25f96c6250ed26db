package io.arbiterfs.jnrfuse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The argument vector jnr-fuse passes to {@code fuse_main_real}: {@code [fsname, "-f", ("-d",) mountpoint,
 * fuseOpts...]} ({@code AbstractFuseFS.mount}), read the way libfuse 2's {@code fuse_parse_cmdline}
 * ({@code lib/helper.c}) reads it: {@code -f} foreground, {@code -d} debug (implies foreground), {@code -s}
 * single-threaded, {@code -o OPTS} / {@code -oOPTS} mount and file-system options, the first non-option
 * argument the mountpoint. Anything else is kept in {@link #unrecognized()} for the caller to reject.
 *
 * @param options every {@code -o} value split at commas, in order (unescaped; libfuse's {@code \,} is not used by
 *                jnr-fuse)
 */
public record MountArguments(String programName, Path mountPoint, boolean foreground, boolean debug,
                             boolean singleThreaded, List<String> options, List<String> unrecognized) {

    public MountArguments {
        options = List.copyOf(options);
        unrecognized = List.copyOf(unrecognized);
    }

    /** Parses {@code argv} as passed to {@code fuse_main_real}; throws if no mountpoint is given. */
    public static MountArguments parse(String[] argv) {
        if (argv.length == 0) {
            throw new IllegalArgumentException("empty argument vector: jnr-fuse always passes the file-system name first");
        }
        Path mountPoint = null;
        boolean foreground = false, debug = false, singleThreaded = false;
        List<String> options = new ArrayList<>();
        List<String> unrecognized = new ArrayList<>();
        for (int i = 1; i < argv.length; i++) {
            String arg = argv[i];
            if (arg == null) {
                throw new IllegalArgumentException("null argument at position " + i + " of " + Arrays.toString(argv));
            }
            switch (arg) {
                case "-f" -> foreground = true;
                case "-d", "-odebug" -> { debug = true; foreground = true; }
                case "-s" -> singleThreaded = true;
                case "-o" -> {
                    if (i + 1 == argv.length) {
                        throw new IllegalArgumentException("-o without options at the end of " + Arrays.toString(argv));
                    }
                    addOptions(argv[++i], options);
                }
                default -> {
                    if (arg.startsWith("-o")) {
                        addOptions(arg.substring(2), options);
                    } else if (!arg.startsWith("-") && mountPoint == null) {
                        mountPoint = Path.of(arg);
                    } else {
                        unrecognized.add(arg);
                    }
                }
            }
        }
        if (mountPoint == null) {
            throw new IllegalArgumentException("no mountpoint in " + Arrays.toString(argv));
        }
        return new MountArguments(argv[0], mountPoint, foreground, debug, singleThreaded, options, unrecognized);
    }

    private static void addOptions(String commaSeparated, List<String> into) {
        for (String option : commaSeparated.split(",")) {
            if (!option.isEmpty()) {
                into.add(option);
            }
        }
    }
}
