package io.arbiterfs.jnrfuse.mounted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.arbiterfs.jnrfuse.ArbiterFfiProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A jnr-fuse file system served by a child JVM and mounted for real, for tests that work on it from this JVM:
 * <ul>
 *   <li>{@link #bridge}: {@link ServeMain} on the arbiterfs bridge, in a private mount namespace where libfuse.so.2
 *       is hidden under an empty file (the way the acceptance asks for);</li>
 *   <li>{@link #program}: an unmodified program's {@code main} (jnr-fuse's examples), same namespace;</li>
 *   <li>{@link #stock}: {@link ServeMain} on stock jnr-fuse over the installed libfuse 2 (Debian: libfuse2,
 *       installed on demand as the bench does).</li>
 * </ul>
 * The namespace is a copy of this one, and the mountpoint a shared bind mount of itself made here first, so the
 * FUSE mount the child makes there propagates back while the bind over libfuse.so.2 stays private to the child.
 * {@link #close} unmounts, waits for the child, and leaves no mount behind.
 */
final class ChildMount implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String HIDE_LIBFUSE = String.join("\n",
            "lib=\"$1\"; empty=\"$2\"; shift 2",
            "if [ \"$lib\" != - ]; then",
            "  mount --make-private \"$(findmnt -n -o TARGET -T \"$lib\")\" || exit 96",
            "  mount --bind \"$empty\" \"$lib\" || exit 97",
            "fi",
            "for f in /lib/x86_64-linux-gnu/libfuse.so.2 /usr/lib/x86_64-linux-gnu/libfuse.so.2; do",
            "  [ -s \"$f\" ] && { echo \"libfuse still visible: $f\" >&2; exit 98; }",
            "done",
            "exec \"$@\"");

    private final Path mountpoint;
    private final Process child;
    private final Path log;
    private final boolean sharedBind;
    private final boolean stdinControlled;
    private final String description;
    private Integer exitCode;

    private ChildMount(Path mountpoint, Process child, Path log, boolean sharedBind, boolean stdinControlled,
                       String description) {
        this.mountpoint = mountpoint;
        this.child = child;
        this.log = log;
        this.sharedBind = sharedBind;
        this.stdinControlled = stdinControlled;
        this.description = description;
    }

    /** {@code fsClass} on the bridge at {@code mountpoint} (an empty directory), libfuse hidden from the child. */
    static ChildMount bridge(Path mountpoint, Class<?> fsClass, String... options) throws Exception {
        List<String> java = javaCommand(List.of("-D" + ArbiterFfiProvider.PROVIDER_PROPERTY + "=" + ArbiterFfiProvider.class.getName()),
                ServeMain.class.getName(), "bridge", fsClass.getName(), mountpoint.toString());
        java.addAll(List.of(options));
        return start(mountpoint, hidden(java), true, true, "bridge " + fsClass.getSimpleName() + " " + List.of(options));
    }

    /** {@code fsClass} on stock jnr-fuse (libfuse 2) at {@code mountpoint}. */
    static ChildMount stock(Path mountpoint, Class<?> fsClass, String... options) throws Exception {
        Libfuse2.require();
        List<String> java = javaCommand(List.of(), ServeMain.class.getName(), "stock", fsClass.getName(),
                mountpoint.toString());
        java.addAll(List.of(options));
        return start(mountpoint, java, false, true, "stock jnr-fuse " + fsClass.getSimpleName() + " " + List.of(options));
    }

    /**
     * An unmodified program: {@code java JVM_ARGUMENTS MAIN_CLASS} with libfuse hidden, whose {@code main} mounts at
     * {@code mountpoint} (created if missing); it ends when the mount is unmounted.
     */
    static ChildMount program(Path mountpoint, List<String> jvmArguments, String mainClass) throws Exception {
        Files.createDirectories(mountpoint);
        List<String> java = new ArrayList<>(List.of(javaBinary()));
        java.addAll(jvmArguments);
        java.add(mainClass);
        return start(mountpoint, hidden(java), true, false, "program " + mainClass);
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static List<String> javaCommand(List<String> properties, String mainClass, String... arguments) {
        List<String> cmd = new ArrayList<>(List.of(javaBinary()));
        cmd.addAll(properties);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(arguments));
        return cmd;
    }

    /** {@code command} in a new mount namespace (a copy of this one) where libfuse.so.2 is an empty file. */
    static List<String> hidden(List<String> command) throws IOException {
        Path libfuse = Libfuse2.installed();
        Path empty = Files.createTempFile("empty", ".so");
        empty.toFile().deleteOnExit();
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "unchanged", "sh", "-c",
                HIDE_LIBFUSE, "hide-libfuse", libfuse == null ? "-" : libfuse.toString(), empty.toString()));
        cmd.addAll(command);
        return cmd;
    }

    private static ChildMount start(Path mountpoint, List<String> command, boolean sharedBind, boolean stdinControlled,
                                    String description) throws Exception {
        Path mp = mountpoint.toAbsolutePath();
        if (sharedBind) {
            Commands.run("mount", "--bind", mp.toString(), mp.toString());
            Commands.run("mount", "--make-shared", mp.toString());
        }
        // kept for a look after the run, under the module's target/ (surefire runs in the module directory)
        Path log = Files.createTempFile(Files.createDirectories(Path.of("target", "mounted-logs")), "child-mount", ".log");
        Process child = new ProcessBuilder(command).redirectError(log.toFile()).start();
        ChildMount m = new ChildMount(mp, child, log, sharedBind, stdinControlled, description);
        try {
            m.awaitReady();
        } catch (Throwable t) {
            m.close();
            throw t;
        }
        return m;
    }

    private void awaitReady() throws Exception {
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Files.writeString(log, "[stdout] " + line + "\n", StandardOpenOption.APPEND);
                    if (line.startsWith(ServeMain.READY)) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.complete(false);
        }, "child-mount-stdout");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean mounted = ServeMain.mounted(mountpoint) && answers();
            if (mounted && (!stdinControlled || ready.isDone())) {
                if (stdinControlled && !ready.get()) {
                    break;
                }
                return;
            }
            if (!child.isAlive()) {
                break;
            }
            try {
                ready.get(50, TimeUnit.MILLISECONDS); // wakes early on the child's readiness line or its end
            } catch (TimeoutException notYet) {
                // keep waiting
            }
        }
        fail(description + " did not mount on " + mountpoint + (child.isAlive() ? " within " + READY_TIMEOUT.toSeconds() + " s"
                : " (exit " + child.exitValue() + ")") + ":\n" + log());
    }

    private boolean answers() {
        try {
            Files.getLastModifiedTime(mountpoint);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Path mountpoint() {
        return mountpoint;
    }

    /** The child's stderr and stdout so far. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unmounts, waits for the child to end and returns its exit code; leaves nothing mounted. */
    int unmountAndWait() throws Exception {
        if (exitCode != null) {
            return exitCode;
        }
        try {
            if (stdinControlled) {
                try (OutputStream in = child.getOutputStream()) {
                    // closing stdin asks ServeMain to unmount
                }
            } else if (ServeMain.mounted(mountpoint)) {
                Commands.run("umount", mountpoint.toString());
            }
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                exitCode = -1;
            } else {
                exitCode = child.exitValue();
            }
        } finally {
            if (ServeMain.mounted(mountpoint)) {
                Commands.runQuietly("umount", "-l", mountpoint.toString());
            }
            if (sharedBind) {
                Commands.runQuietly("umount", mountpoint.toString());
            }
        }
        assertTrue(Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .noneMatch(l -> l.split(" ")[1].equals(mountpoint.toString())), "something left mounted at " + mountpoint);
        return exitCode;
    }

    @Override
    public void close() throws Exception {
        unmountAndWait();
    }

    /** Unmounts and checks the child ended cleanly. */
    void closeCleanly() throws Exception {
        assertEquals(0, unmountAndWait(), description + " did not exit cleanly:\n" + log());
    }
}
