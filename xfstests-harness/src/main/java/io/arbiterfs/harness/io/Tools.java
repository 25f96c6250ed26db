package io.arbiterfs.harness.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** External programs the harness runs (fio, apt-get), with timeouts and captured output. */
public final class Tools {
    private static final Logger log = LoggerFactory.getLogger(Tools.class);

    private Tools() {}

    /** Exit status and output of a finished program; status -1 means it was killed at the timeout. */
    public record Result(int status, String stdout, String stderr) {
        public boolean timedOut() {
            return status == -1;
        }
    }

    public static Result run(List<String> command, Path cwd, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        var out = new java.util.concurrent.CompletableFuture<String>();
        var err = new java.util.concurrent.CompletableFuture<String>();
        drain(p.getInputStream(), out);
        drain(p.getErrorStream(), err);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, out.getNow(""), err.getNow(""));
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } catch (Exception e) {
            throw new IOException("cannot collect the output of " + command.get(0), e);
        }
    }

    private static void drain(java.io.InputStream in, java.util.concurrent.CompletableFuture<String> sink) {
        Thread t = new Thread(() -> {
            try (in) {
                sink.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                sink.complete("(output lost: " + e.getMessage() + ")");
            }
        }, "drain");
        t.setDaemon(true);
        t.start();
    }

    /** True when {@code name} is an executable on PATH. */
    public static boolean onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String d : path.split(":")) {
            if (!d.isEmpty() && java.nio.file.Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes sure fio is installed: as root with apt-get, installs it. Returns null when fio is
     * there, else the reason tests needing it are not run.
     */
    public static synchronized String ensureFio() {
        if (onPath("fio")) {
            return null;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && onPath("apt-get")) {
            log.info("fio missing: trying apt-get install -y fio");
            try {
                Result r = run(List.of("apt-get", "install", "-y", "-q", "fio"), null, Duration.ofMinutes(5));
                if (r.status() != 0) {
                    log.warn("apt-get install fio failed ({}): {}", r.status(), r.stderr().strip());
                }
            } catch (IOException e) {
                log.warn("apt-get install fio failed: {}", e.getMessage());
            }
            if (onPath("fio")) {
                return null;
            }
        }
        return "fio not installed (apt-get install fio)";
    }
}
