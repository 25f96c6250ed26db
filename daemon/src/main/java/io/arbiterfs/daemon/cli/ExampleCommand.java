package io.arbiterfs.daemon.cli;

import ch.qos.logback.classic.Level;
import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.arbitration.ArbitrationFacts;
import io.arbiterfs.daemon.arbitration.PathPolicy;
import io.arbiterfs.daemon.mount.MountOptionException;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.examples.HelloFs;
import io.arbiterfs.examples.MemoryFs;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Mounts one of the example file systems (written against the engine's public API only) under the IO-mode arbitration
 * and the status attributes, with the daemon's default options: what any file system gets on this engine.
 */
@Command(name = "example", description = {
        "Mount an example file system: memory (an in-memory file system) or hello (one read-only file),",
        "under the IO-mode arbitration with the daemon's options. Returns once the mount answers; -f stays in the foreground."})
final class ExampleCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "NAME", description = "memory or hello")
    String name;

    @Parameters(index = "1", paramLabel = "MOUNTPOINT")
    Path mountpoint;

    @Option(names = "-o", paramLabel = "OPTS", description = "Comma-separated mount options (see README).")
    List<String> options = new ArrayList<>();

    @Option(names = "-f", description = "Stay in the foreground.")
    boolean foreground;

    @Option(names = "--notify-ready", hidden = true)
    boolean notifyReady;

    @Option(names = "--log", paramLabel = "FILE", description = "Log file of a background daemon.")
    Path logFile;

    @Override
    public Integer call() {
        MountOptions opts;
        PathPolicy policy;
        Path mp = mountpoint.toAbsolutePath().normalize();
        try {
            opts = MountOptions.parse(options);
            policy = ArbiterDaemon.validate(opts);
            if (!name.equals("memory") && !name.equals("hello")) {
                return usage("no example named '" + name + "' (memory or hello)");
            }
            if (!Files.isDirectory(mp)) {
                return usage("mountpoint " + mp + (Files.exists(mp) ? " is not a directory" : " does not exist"));
            }
            if (Mounts.at(mp).map(e -> e.type().startsWith("fuse")).orElse(false)) {
                return usage("mountpoint " + mp + " is busy: something is already mounted there");
            }
        } catch (MountOptionException | IOException e) {
            return usage(e.getMessage());
        }
        if (opts.debug) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.DEBUG);
        }
        String what = "example " + name;
        if (!foreground) {
            if (!main.mayDetach()) {
                return usage("this entry point adds a backend layer that lives in its own process: run the example with -f");
            }
            return DaemonRun.background(List.of("example", name, mp.toString(), "-f", "--notify-ready", "-o", opts.render()),
                    mp, what, DaemonRun.logFor(mp, logFile));
        }
        ArbiterDaemon.BackendLayer layer = main.layer;
        return DaemonRun.foreground(() -> name.equals("memory") ? mountMemory(mp, opts, policy, layer) : mountHello(mp, opts, policy, layer),
                mp, what, notifyReady);
    }

    private static ArbiterDaemon.Running mountMemory(Path mp, MountOptions o, PathPolicy policy, ArbiterDaemon.BackendLayer layer)
            throws IOException {
        MemoryFs fs = new MemoryFs(1L << 30, uid(), gid());
        ArbitrationFacts<MemoryFs.Handle> facts = new ArbitrationFacts<>() {
            @Override
            public boolean isRegularFile(long node, MemoryFs.Handle file) {
                return fs.isRegularFile(node);
            }

            @Override
            public long size(long node, MemoryFs.Handle file) {
                return fs.size(node);
            }

            @Override
            public int backingFd(long node, MemoryFs.Handle file) {
                return -1;
            }

            @Override
            public boolean known(long node) {
                return fs.known(node);
            }

            @Override
            public Optional<String> path(long node) {
                return fs.path(node);
            }
        };
        return ArbiterDaemon.mount(layer.wrap(fs), facts, "example-memory", mp, o, policy, c -> Optional.empty());
    }

    private static ArbiterDaemon.Running mountHello(Path mp, MountOptions o, PathPolicy policy, ArbiterDaemon.BackendLayer layer)
            throws IOException {
        ArbitrationFacts<Void> facts = new ArbitrationFacts<>() {
            @Override
            public boolean isRegularFile(long node, Void file) {
                return node != FileSystem.ROOT;
            }

            @Override
            public long size(long node, Void file) {
                return HelloFs.CONTENT.length;
            }

            @Override
            public int backingFd(long node, Void file) {
                return -1;
            }

            @Override
            public boolean known(long node) {
                return true;
            }

            @Override
            public Optional<String> path(long node) {
                return Optional.of(node == FileSystem.ROOT ? "" : HelloFs.NAME);
            }
        };
        return ArbiterDaemon.mount(layer.wrap(new HelloFs()), facts, "example-hello", mp, o, policy, c -> Optional.empty());
    }

    private static int uid() {
        return io.arbiterfs.daemon.nativeio.LibC.get().getuid();
    }

    private static int gid() {
        return io.arbiterfs.daemon.nativeio.LibC.get().getgid();
    }

    private static int usage(String message) {
        System.err.println("arbiterfs: " + message);
        return Main.EXIT_USAGE;
    }
}
