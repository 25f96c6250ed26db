package io.arbiterfs.daemon.it;

import io.arbiterfs.testkit.mount.Mountpoints;
import io.arbiterfs.testkit.sys.Commands;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the arbiterfs CLI ({@code io.arbiterfs.daemon.cli.Main}) in a separate JVM on this test's
 * own class path, so no test triggers the launcher's Maven build.
 */
final class Cli {
    private Cli() {}

    /** The repository root: surefire runs in daemon/. */
    static Path repoRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        Path root = Files.exists(cwd.resolve("arbiterfs")) ? cwd : cwd.getParent();
        assertTrue(Files.isRegularFile(root.resolve("arbiterfs")), "launcher not found at " + root.resolve("arbiterfs"));
        return root;
    }

    /** {@code java -cp <test class path> [-Dprops] io.arbiterfs.daemon.cli.Main args...}. */
    static List<String> command(List<String> props, String... args) {
        return Commands.java(props, "io.arbiterfs.daemon.cli.Main", args);
    }

    /** Runs the CLI to completion. */
    static Commands.Result run(String... args) {
        return Commands.run(null, Duration.ofSeconds(90), command(List.of("-Darbiterfs.launcher=" + repoRoot().resolve("arbiterfs")), args)
                .toArray(String[]::new));
    }

    /** Starts the CLI without waiting; output goes to {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        return new ProcessBuilder(command(List.of("-Darbiterfs.launcher=" + repoRoot().resolve("arbiterfs")), args))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
    }

    /** Daemon processes whose command line mentions {@code mountpoint}, other than this JVM. */
    static List<ProcessHandle> daemonsFor(Path mountpoint) {
        String mp = mountpoint.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(c -> c.contains("io.arbiterfs.daemon.cli.Main") && c.contains(mp))
                        .orElse(false))
                .toList();
    }

    static boolean mounted(Path mountpoint) {
        try {
            return Mounts.at(mountpoint).isPresent();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** After a test: no mount and no daemon left for this mountpoint, whatever happened. */
    static void reap(Path mountpoint) throws InterruptedException {
        if (mounted(mountpoint)) {
            Mountpoints.detach(mountpoint);
        }
        for (ProcessHandle p : daemonsFor(mountpoint)) {
            p.destroy();
            p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }
}
