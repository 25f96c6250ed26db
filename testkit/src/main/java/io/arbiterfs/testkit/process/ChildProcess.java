package io.arbiterfs.testkit.process;

import static org.awaitility.Awaitility.await;

import io.arbiterfs.fuse.Mounts;
import io.arbiterfs.testkit.sys.Commands;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import sun.misc.Signal;

/**
 * A FUSE server in a process of its own, with one readiness handshake: the child prints {@value #READY} and its
 * mountpoint on a line of its own on stdout once the mount answers, and SIGTERM makes it unmount and exit 0. The
 * daemon's {@code mount -f --notify-ready} does exactly that; other servers use {@link #announceReady} and {@link
 * #unmountOnSigterm}.
 *
 * <p>Why a process of its own: a thread touching a shared mapping of a FUSE file blocks in a page fault while still
 * "in Java", so in a JVM that also serves the mount the next safepoint stops the workers that would answer the fault.
 * Also for tests that signal, kill or restart the server.
 *
 * <p>The child's stderr and every other stdout line (thread dumps after {@link #threadDump()}) go to its log.
 * {@link #close()} leaves neither the process nor its mount behind and fails if the mount outlived the process. A
 * child still running when this JVM exits gets SIGTERM from a shutdown hook.
 */
public final class ChildProcess implements AutoCloseable {
    /** The first word of the readiness line. */
    public static final String READY = "ARBITERFS-READY";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildProcess::terminateAtExit), "child-process-reaper"));
    }

    private final Process process;
    private final Path mountpoint;
    private final Path log;
    private final String mainClass;
    private final List<String> args;
    private final List<String> command;

    private ChildProcess(Process process, Path mountpoint, Path log, String mainClass, List<String> args, List<String> command) {
        this.process = process;
        this.mountpoint = mountpoint;
        this.log = log;
        this.mainClass = mainClass;
        this.args = List.copyOf(args);
        this.command = List.copyOf(command);
    }

    /** The readiness line for {@code mountpoint}. */
    public static String readyLine(Path mountpoint) {
        return READY + " " + mountpoint.toAbsolutePath().normalize();
    }

    /** In the child: says the mount on {@code mountpoint} answers. Call it once, after the mount answered. */
    public static void announceReady(Path mountpoint) {
        System.out.println(readyLine(mountpoint));
        System.out.flush();
    }

    /** In the child: SIGTERM (and SIGINT) run {@code unmount} and exit 0. */
    public static void unmountOnSigterm(Runnable unmount) {
        for (String sig : List.of("TERM", "INT")) {
            Signal.handle(new Signal(sig), s -> new Thread(() -> {
                unmount.run();
                System.exit(0);
            }, "unmount-on-sig" + sig.toLowerCase()).start());
        }
    }

    /** {@code java -cp <this JVM's class path> mainClass args}. */
    public static Builder java(String mainClass, List<String> args) {
        return new Builder(mainClass, args);
    }

    /** How a child is started. */
    public static final class Builder {
        private final String mainClass;
        private final List<String> args;
        private final List<String> jvmArgs = new ArrayList<>();
        private Path mountpoint;
        private Path log;
        private Duration readyWithin = Duration.ofSeconds(60);

        private Builder(String mainClass, List<String> args) {
            this.mainClass = mainClass;
            this.args = List.copyOf(args);
        }

        public Builder jvmArgs(String... more) {
            jvmArgs.addAll(List.of(more));
            return this;
        }

        /** The mountpoint the child must announce (required). */
        public Builder mountpoint(Path p) {
            this.mountpoint = p.toAbsolutePath().normalize();
            return this;
        }

        /** Where the child's output goes (required; appended to). */
        public Builder log(Path p) {
            this.log = p;
            return this;
        }

        public Builder readyWithin(Duration d) {
            this.readyWithin = d;
            return this;
        }

        /**
         * Starts the child and returns once it announced its mountpoint and the mount table shows a mount there.
         *
         * @throws IOException when it exits first, announces anything else, or says nothing within the limit; the
         *                     message has the end of its log, and the child is gone
         */
        public ChildProcess start() throws IOException {
            if (mountpoint == null || log == null) {
                throw new IllegalStateException("a child needs a mountpoint and a log");
            }
            List<String> cmd = Commands.java(jvmArgs, mainClass, args.toArray(String[]::new));
            Files.createDirectories(log.toAbsolutePath().getParent());
            Files.writeString(log, "$ " + String.join(" ", cmd.subList(3, cmd.size())) + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            ChildProcess child = new ChildProcess(p, mountpoint, log, mainClass, args, cmd);
            LIVE.add(child);
            try {
                child.awaitReady(readyWithin);
            } catch (IOException | RuntimeException e) {
                child.kill();
                LIVE.remove(child);
                throw e;
            }
            return child;
        }
    }

    private void awaitReady(Duration within) throws IOException {
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> drainStdout(ready), "child-stdout-" + process.pid());
        drain.setDaemon(true);
        drain.start();
        String line;
        try {
            line = ready.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(name() + " did not announce " + readyLine(mountpoint) + " within " + within.toSeconds()
                    + " s; log:\n" + logTail(10));
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + name());
        }
        if (!line.equals(readyLine(mountpoint))) {
            throw new IOException(name() + " announced '" + line + "', expected '" + readyLine(mountpoint) + "'");
        }
        if (Mounts.at(mountpoint).isEmpty()) {
            throw new IOException(name() + " announced " + mountpoint + " but nothing is mounted there");
        }
    }

    /** Completes {@code ready} with the readiness line; everything else the child prints goes to its log. */
    private void drainStdout(CompletableFuture<String> ready) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                if (!ready.isDone() && l.startsWith(READY)) {
                    ready.complete(l);
                } else {
                    Files.writeString(log, l + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            }
        } catch (IOException e) {
            // the child is gone
        }
        if (!ready.isDone()) {
            int code;
            try {
                code = process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                code = -1;
            }
            ready.completeExceptionally(new IOException(name() + " exited with " + code + " before it was ready; log:\n"
                    + logTail(10)));
        }
    }

    private String name() {
        return mainClass.substring(mainClass.lastIndexOf('.') + 1) + " (pid " + process.pid() + ")";
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public Path mountpoint() {
        return mountpoint;
    }

    public Path log() {
        return log;
    }

    /** The command line after {@code java -cp CLASSPATH}: JVM options, main class, arguments. */
    public List<String> command() {
        return command.subList(3, command.size());
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "<no log>";
        } catch (IOException e) {
            return "<unreadable log: " + e + ">";
        }
    }

    private String logTail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * SIGTERM, then waits for the exit; SIGKILL if it does not come within 30 s.
     *
     * @return the exit code (0 is what a server following the handshake gives)
     * @throws IOException if it had to be killed
     */
    public int stop() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                threadDump();
                kill();
                throw new IOException(name() + " did not exit within " + STOP_GRACE.toSeconds() + " s of SIGTERM (killed); log:\n"
                        + logTail(20));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IOException("interrupted stopping " + name());
        } finally {
            LIVE.remove(this);
        }
    }

    /** SIGKILL: no unmount, no goodbye (the mount stays, answering ENOTCONN, until someone unmounts it). */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    /** SIGQUIT: the JVM prints its threads to stdout, which goes to the log; returns once the dump is there (or after 5 s). */
    public void threadDump() {
        if (!process.isAlive()) {
            return;
        }
        long before = logText().split("Full thread dump", -1).length;
        Commands.run("kill", "-QUIT", Long.toString(process.pid()));
        try {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !process.isAlive() || logText().split("Full thread dump", -1).length > before);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // not a JVM, or too stuck to dump: the caller goes on regardless
        }
    }

    /**
     * Stops the child if it still runs ({@link #stop()}), then makes sure its mount is gone: a mount still in the table
     * is detached and reported.
     *
     * @throws IOException if the mount outlived the child, or the child had to be killed
     */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        if (process.isAlive()) {
            try {
                stop();
            } catch (IOException e) {
                failure = e;
            }
        }
        LIVE.remove(this);
        if (Mounts.at(mountpoint).isPresent()) {
            try {
                Mounts.unmount(mountpoint, true);
            } catch (IOException e) {
                Commands.run("umount", "-l", mountpoint.toString());
            }
            IOException left = new IOException("the mount on " + mountpoint + " was still in the mount table after " + name()
                    + " ended (detached it)");
            if (failure != null) {
                left.addSuppressed(failure);
            }
            throw left;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void terminateAtExit() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "pid " + process.pid() + ": " + mainClass.substring(mainClass.lastIndexOf('.') + 1) + " " + String.join(" ", args);
    }
}
