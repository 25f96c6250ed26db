package io.arbiterfs.daemon.cli;

import io.arbiterfs.daemon.ArbiterDaemon;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * How a mounting command runs: in the foreground (serve until unmounted; SIGTERM/INT/HUP unmount), or in the
 * background (the same command re-run with {@code -f --notify-ready} in a new session, returning once it printed
 * {@value #READY}, i.e. once the mount answers).
 */
final class DaemonRun {
    private static final Logger log = LoggerFactory.getLogger(DaemonRun.class);
    static final String READY = "ARBITERFS-READY";

    private DaemonRun() {}

    /** Mounts something; the exception's message is shown to the user. */
    interface Mounting {
        ArbiterDaemon.Running mount() throws IOException;
    }

    /** Serves the mount until it is gone; returns the exit code. */
    static int foreground(Mounting mounting, Path mp, String what, boolean notifyReady) {
        ArbiterDaemon.Running running;
        try {
            running = mounting.mount();
        } catch (IOException e) {
            System.err.println("arbiterfs: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        Runnable stop = () -> {
            try {
                running.mount().unmount(Duration.ofSeconds(5));
            } catch (IOException e) {
                log.error("unmount failed: {}", e.getMessage());
            }
        };
        for (String sig : List.of("TERM", "INT", "HUP")) {
            Signal.handle(new Signal(sig), s -> {
                log.info("SIG{}: unmounting {}", sig, mp);
                new Thread(stop, "unmount-on-signal").start();
            });
        }
        if (notifyReady) {
            // the launcher (and the tests' child-process fixture) return here. stdout stays open: closing it would free
            // fd 1 for the next open(2), and the JVM's own writes to fd 1 (a SIGQUIT thread dump) would land there
            System.out.println(READY + " " + mp);
            System.out.flush();
        } else {
            System.err.println("arbiterfs: " + what + " mounted on " + mp + " (foreground; Ctrl-C unmounts)");
        }
        try {
            running.mount().awaitUnmounted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("{} unmounted; exiting", mp);
        return 0;
    }

    /** One log directory per user, so a user's mount never needs to write into root's (or another user's). */
    static Path defaultLogDir() {
        int uid = io.arbiterfs.daemon.nativeio.LibC.get().getuid();
        return Path.of(uid == 0 ? "/tmp/arbiterfs" : "/tmp/arbiterfs-" + uid);
    }

    /** The log file of a background daemon for {@code mp}, unless one was given. */
    static Path logFor(Path mp, Path given) {
        return given != null ? given : defaultLogDir().resolve(mp.toString().replace('/', '_') + ".log");
    }

    /**
     * Re-runs the command {@code args} (which must include {@code -f --notify-ready}) in a new session, its stderr to
     * {@code logPath}, and waits for its readiness line.
     */
    static int background(List<String> args, Path mp, String what, Path logPath) {
        return background(args, mp, what, logPath, true);
    }

    /** As above; {@code announce} false prints nothing on success (mount(8)'s helper). */
    static int background(List<String> args, Path mp, String what, Path logPath, boolean announce) {
        try {
            Files.createDirectories(logPath.toAbsolutePath().getParent());
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of("setsid", java, "-cp", System.getProperty("java.class.path")));
            for (String p : List.of("arbiterfs.launcher", "jnr.ffi.x86asm.enabled")) {
                if (System.getProperty(p) != null) {
                    cmd.add("-D" + p + "=" + System.getProperty(p));
                }
            }
            cmd.add(Main.class.getName());
            cmd.addAll(args);
            Process child = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.appendTo(logPath.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith(READY)) {
                        if (announce) {
                            System.out.println("arbiterfs: " + what + " mounted on " + mp + " (log: " + logPath + ")");
                        }
                        return 0;
                    }
                }
            }
            int code = child.waitFor();
            List<String> tail = Files.readAllLines(logPath);
            tail.subList(Math.max(0, tail.size() - 5), tail.size()).forEach(l -> System.err.println("  " + l));
            System.err.println("arbiterfs: mount failed (log: " + logPath + ")");
            return code == 0 ? 1 : code;
        } catch (IOException e) {
            System.err.println("arbiterfs: cannot start the daemon: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
