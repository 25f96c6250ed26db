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
        try {
            opts = MountOptions.parse(options);
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
        return DaemonRun.background(List.of("mount", "-f", "--notify-ready", source, mp.toString(), "-o", opts.render()), mp,
                src.fsname(), DaemonRun.logFor(mp, logFile));
    }
}
