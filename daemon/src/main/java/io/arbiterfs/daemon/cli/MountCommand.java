package io.arbiterfs.daemon.cli;

import ch.qos.logback.classic.Level;
import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.mount.MountOptionException;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.daemon.arbitration.PathPolicy;
import io.arbiterfs.fuse.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "mount", description = {
        "Mount SOURCE (a host directory) on MOUNTPOINT. Without arguments: a default source on a default mountpoint.",
        "Returns once the mount answers; -f stays in the foreground."})
final class MountCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SOURCE", description = "Backing directory (or a tag with -o source=DIR, or TAG:DIR).")
    String source;

    @Parameters(index = "1", arity = "0..1", paramLabel = "MOUNTPOINT")
    Path mountpoint;

    @Option(names = "-o", paramLabel = "OPTS", description = "Comma-separated mount options (see README).")
    List<String> options = new java.util.ArrayList<>();

    @Option(names = "-f", description = "Stay in the foreground.")
    boolean foreground;

    @Option(names = "-d", description = "Debug: foreground with request tracing.")
    boolean debug;

    @Option(names = "--notify-ready", hidden = true, description = "Print a readiness line on stdout (used by the background launcher).")
    boolean notifyReady;

    @Option(names = "--helper", hidden = true, description = "Run as mount(8)'s helper (the install-helper script): "
            + "mount(8)'s dev/suid defaults, silent on success, remount.")
    boolean helper;

    // mount(8) passes these to helpers (no mtab, sloppy, verbose); they mean nothing here
    @Option(names = "-n", hidden = true)
    boolean noMtab;

    @Option(names = "-s", hidden = true)
    boolean sloppy;

    @Option(names = "-v", hidden = true)
    boolean verbose;

    @Option(names = "--log", paramLabel = "FILE", description = "Log file of a background daemon (default: /tmp/arbiterfs/<mountpoint>.log as root, "
            + "/tmp/arbiterfs-<uid>/<mountpoint>.log otherwise).")
    Path logFile;

    /** Where SOURCE's data lives and what the mount table shows as its source. */
    record Source(Path backing, String fsname) {}

    @Override
    public Integer call() {
        MountOptions opts;
        Source src;
        Path mp;
        PathPolicy policy;
        if ((noMtab || sloppy || verbose) && !helper) {
            return usage("-n, -s and -v are mount(8)'s flags for its helper; mount by hand takes -o, -f, -d and --log");
        }
        if (Remount.requested(options)) {
            // "arbiterfs mount -o remount,ro MNT" by hand gives only the mountpoint
            String target = mountpoint != null ? mountpoint.toString() : source;
            if (target == null) {
                return usage("remount needs the MOUNTPOINT (arbiterfs mount -o remount,ro MOUNTPOINT)");
            }
            return Remount.run(Path.of(target).toAbsolutePath().normalize(), options, !helper);
        }
        try {
            opts = MountOptions.parse(helper ? withMount8Defaults(options) : options);
            policy = ArbiterDaemon.validate(opts);
            boolean defaults = source == null;
            if (defaults) {
                Path home = Path.of(System.getProperty("user.home"));
                Path defSource = home.resolve(".local/share/arbiterfs/source");
                Files.createDirectories(defSource);
                source = defSource.toString();
                mountpoint = home.resolve("arbiterfs");
                Files.createDirectories(mountpoint);
            } else if (mountpoint == null) {
                return usage("MOUNTPOINT missing (arbiterfs mount SOURCE MOUNTPOINT)");
            }
            src = resolveSource(source, opts);
            mp = mountpoint.toAbsolutePath().normalize();
            if (!Files.isDirectory(mp)) {
                return usage("mountpoint " + mp + (Files.exists(mp) ? " is not a directory" : " does not exist"));
            }
            if (Mounts.at(mp).map(e -> e.type().startsWith("fuse")).orElse(false)) {
                if (defaults && Mounts.hasType(mp, ArbiterDaemon.FS_TYPE)) {
                    System.out.println("arbiterfs: already mounted on " + mp);
                    return 0;
                }
                return usage("mountpoint " + mp + " is busy: something is already mounted there");
            }
        } catch (MountOptionException e) {
            return usage(e.getMessage());
        } catch (IOException e) {
            return usage(e.getMessage());
        }
        if (debug || opts.debug) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.DEBUG);
        }
        if (foreground || debug) {
            return runForeground(src, mp, opts, policy);
        }
        if (!main.mayDetach()) {
            return usage("this entry point adds a backend layer that lives in its own process: mount with -f");
        }
        return runInBackground(src, mp, opts);
    }

    /**
     * mount(8) never passes {@code suid} or {@code dev} to a helper (they are its defaults; only
     * {@code nosuid}/{@code nodev} are passed), so the helper starts from dev,suid as libfuse's
     * mount.fuse3 does, and only an explicit nosuid/nodev restricts. By hand, arbiterfs keeps its
     * own nosuid,nodev default.
     */
    static List<String> withMount8Defaults(List<String> given) {
        List<String> all = new java.util.ArrayList<>(List.of("dev,suid"));
        all.addAll(given);
        return all;
    }

    private static int usage(String message) {
        System.err.println("arbiterfs: " + message);
        return Main.EXIT_USAGE;
    }

    static Source resolveSource(String source, MountOptions opts) throws IOException {
        if (opts.source != null) {
            Path backing = Path.of(opts.source).toAbsolutePath().normalize();
            requireDirectory(backing);
            return new Source(backing, opts.fsname != null ? opts.fsname : source);
        }
        Path direct = Path.of(source).toAbsolutePath().normalize();
        if (Files.isDirectory(direct)) {
            return new Source(direct, opts.fsname != null ? opts.fsname : direct.toString());
        }
        int colon = source.indexOf(':');
        if (colon > 0 && Files.isDirectory(Path.of(source.substring(colon + 1)))) {
            // xfstests-style "tag:/backing/dir": the whole string is the mount source
            Path backing = Path.of(source.substring(colon + 1)).toAbsolutePath().normalize();
            return new Source(backing, opts.fsname != null ? opts.fsname : source);
        }
        requireDirectory(direct);
        return null; // not reached
    }

    private static void requireDirectory(Path p) throws IOException {
        if (!Files.exists(p)) {
            throw new IOException("source " + p + " does not exist");
        }
        if (!Files.isDirectory(p)) {
            throw new IOException("source " + p + " is not a directory");
        }
    }

    private int runForeground(Source src, Path mp, MountOptions opts, PathPolicy policy) {
        return DaemonRun.foreground(() -> ArbiterDaemon.mountSource(src.backing(), src.fsname(), mp, opts, policy, main.layer),
                mp, src.fsname(), notifyReady);
    }

    /** Re-runs this command in a new session with -f and waits for its readiness line. */
    private int runInBackground(Source src, Path mp, MountOptions opts) {
        // mount(8) helpers are silent on success: callers compare output
        return DaemonRun.background(List.of("mount", "-f", "--notify-ready", source, mp.toString(), "-o", opts.render()), mp,
                src.fsname(), DaemonRun.logFor(mp, logFile), !helper);
    }
}
