package io.arbiterfs.daemon.testing;

import static org.awaitility.Awaitility.await;

import io.arbiterfs.fuse.Mounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The daemon as its own process ({@code Main mount -f}, on this test's class path), for tests that
 * kill it, signal it or run it as another user. {@link #close()} leaves neither a process nor a
 * mount behind, whatever state the test left them in.
 */
public final class DaemonProcess implements AutoCloseable {
    public final Path mnt;
    public final Path log;
    private final Process process;

    private DaemonProcess(Process process, Path mnt, Path log) {
        this.process = process;
        this.mnt = mnt;
        this.log = log;
    }

    public static List<String> cli(String... args) {
        return Commands.java(List.of(), "io.arbiterfs.daemon.cli.Main", args);
    }

    /** Runs a CLI command to completion (unmount, a mount expected to fail, ...). */
    public static Commands.Result run(String... args) {
        return Commands.run(Duration.ofSeconds(90), cli(args));
    }

    /**
     * {@code mount -f SRC MNT -o options}, waiting until the mount answers (its readiness line). With
     * {@code -Darbiterfs.test.uring=true} the kernel offers FUSE over io_uring while it mounts.
     */
    public static DaemonProcess start(Path src, Path mnt, Path log, String options) throws IOException {
        if (!Boolean.getBoolean("arbiterfs.test.uring")) {
            return launch(src, mnt, log, options);
        }
        try {
            return KernelRing.offered(() -> launch(src, mnt, log, options));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static DaemonProcess launch(Path src, Path mnt, Path log, String options) throws IOException {
        List<String> args = new ArrayList<>(List.of("mount", "-f", "--notify-ready", src.toString(), mnt.toString()));
        if (!options.isEmpty()) {
            args.addAll(List.of("-o", options));
        }
        Process p = new ProcessBuilder(cli(args.toArray(String[]::new))).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        DaemonProcess d = new DaemonProcess(p, mnt, log);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!p.isAlive()) {
                    throw new AssertionError("daemon exited with " + p.exitValue() + " before mounting:\n" + d.logText());
                }
                return Mounts.hasType(mnt, io.arbiterfs.daemon.ArbiterDaemon.FS_TYPE) && d.logText().contains("ARBITERFS-READY");
            });
        } catch (RuntimeException | Error e) {
            d.close();
            throw e;
        }
        return d;
    }

    public Process process() {
        return process;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "<no log>";
        } catch (IOException e) {
            return "<unreadable log: " + e + ">";
        }
    }

    public static boolean mounted(Path mnt) {
        try {
            return Mounts.at(mnt).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = 0; i < 3 && mounted(mnt); i++) {
            Commands.run("umount", "-l", mnt.toString());
        }
    }
}
