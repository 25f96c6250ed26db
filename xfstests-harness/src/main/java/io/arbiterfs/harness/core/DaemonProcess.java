package io.arbiterfs.harness.core;

import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.fuse.internal.mount.MountTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A fresh arbiterfs on a temp SOURCE and MOUNTPOINT, served by the daemon's own file system in a
 * child JVM ({@link MountServer}; why a child: see there). {@link #close} stops it, checks the mount
 * table is clean (detaching a leftover mount and failing if there was one) and deletes both
 * directories. The child's output (warnings, thread dumps) goes to {@code daemon.log} in the results.
 */
public final class DaemonProcess implements MountTarget {
    private final String section;
    private final MountOptions options;
    private final Path base;
    private final Path source;
    private final Path mountpoint;
    private final Process process;
    private final Path daemonLog;
    private final String served;

    private DaemonProcess(String section, MountOptions options, Path base, Process process, Path daemonLog, String served) {
        this.section = section;
        this.options = options;
        this.base = base;
        this.source = base.resolve("source");
        this.mountpoint = base.resolve("mnt");
        this.process = process;
        this.daemonLog = daemonLog;
        this.served = served;
    }

    /**
     * Mounts with {@code options}; {@code fault} is a fault-injection spec for the self-test (empty
     * for the real thing). {@code logDir} receives the daemon's log.
     */
    public static DaemonProcess start(String section, List<String> options, String fault, Path logDir) throws Exception {
        return start(section, options, fault, logDir, null);
    }

    /**
     * As {@link #start(String, List, String, Path)}, with SOURCE and MOUNTPOINT in a fresh directory
     * under {@code parent} (the system temp directory if null): the benchmark puts SOURCE on tmpfs.
     */
    public static DaemonProcess start(String section, List<String> options, String fault, Path logDir, Path parent) throws Exception {
        MountOptions parsed = MountOptions.parse(options);
        String prefix = "arbiterfs-harness-" + section.replaceAll("[^A-Za-z0-9_.-]", "_") + "-";
        Path base = parent == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(parent, prefix);
        Files.createDirectory(base.resolve("source"));
        Files.createDirectory(base.resolve("mnt"));
        Files.createDirectories(logDir);
        Path log = logDir.resolve("daemon.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath(), MountServer.class.getName(),
                base.resolve("source").toString(), base.resolve("mnt").toString(), String.join(",", options)));
        if (!fault.isEmpty()) {
            cmd.add(fault);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = readLineWithin(out, p, 60);
        if (first == null || !first.startsWith("MOUNTED")) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            deleteTree(base);
            throw new IOException("daemon did not mount: " + (first == null ? "no answer (see " + log + ")" : first));
        }
        // keep draining the child's stdout (thread dumps on SIGQUIT) into its log
        Thread drain = new Thread(() -> {
            try (out) {
                String l;
                while ((l = out.readLine()) != null) {
                    Files.writeString(log, l + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "daemon-stdout");
        drain.setDaemon(true);
        drain.start();
        return new DaemonProcess(section, parsed, base, p, log, first.substring("MOUNTED".length()).trim());
    }

    private static String readLineWithin(BufferedReader r, Process p, int seconds) throws Exception {
        var f = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    /** The classpath to give the child: the real one even under surefire's booter. */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** The daemon's JVM (its CPU time is the daemon's). */
    public long pid() {
        return process.pid();
    }

    @Override
    public Path root() {
        return mountpoint;
    }

    @Override
    public Optional<Path> source() {
        return Optional.of(source);
    }

    @Override
    public MountFacts facts() {
        return MountFacts.of(options);
    }

    @Override
    public String section() {
        return section;
    }

    @Override
    public String describe() {
        return "daemon pid " + process.pid() + " on " + mountpoint + " -o " + options.render() + " [" + served + "]";
    }

    /** After a hang: dump the daemon's threads into its log, then kill it so stuck callers get errors. */
    @Override
    public void abortAfterHang(TestLog log) {
        log.line("dumping daemon threads (SIGQUIT) into %s, then killing the daemon", daemonLog);
        try {
            new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
            Thread.sleep(1000);
        } catch (IOException e) {
            log.line("thread dump failed: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }

    @Override
    public void close() throws IOException {
        try {
            process.getOutputStream().close(); // EOF on the child's stdin: unmount and exit
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean left = MountTable.at(mountpoint).isPresent();
        if (left) {
            try {
                new ProcessBuilder("umount", "-l", mountpoint.toString()).start().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (MountTable.at(mountpoint).isEmpty()) {
            deleteTree(base);
        }
        if (left) {
            throw new IOException("mount " + mountpoint + " was still in the mount table after the daemon stopped");
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
