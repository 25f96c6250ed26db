package io.arbiterfs.harness.bench;

import io.arbiterfs.harness.core.DaemonProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Something fio runs against: the backing directory itself, or a FUSE server over it.
 *
 * @param name    short key ({@code native}, {@code parallel}, ...)
 * @param label   what the report calls it
 * @param kind    how it is mounted
 * @param options arbiterfs {@code -o} options (empty for the others)
 * @param jobs    which jobs of the suite it runs
 */
public record Target(String name, String label, Kind kind, List<String> options, Predicate<FioJob> jobs) {
    public enum Kind { NATIVE, ARBITERFS, JNR_FUSE }

    /** A started target: fio's directory, the daemon's pid (none for native) and the backing directory. */
    public interface Mounted extends AutoCloseable {
        Path dir();

        Path backing();

        OptionalLong pid();

        String describe();

        @Override
        void close() throws IOException;
    }

    public Mounted start(Path parent, Path logDir) throws Exception {
        return switch (kind) {
            case NATIVE -> {
                Path dir = Files.createTempDirectory(parent, "native-");
                yield new Mounted() {
                    public Path dir() { return dir; }
                    public Path backing() { return dir; }
                    public OptionalLong pid() { return OptionalLong.empty(); }
                    public String describe() { return "the backing directory " + dir + " (no FUSE)"; }
                    public void close() throws IOException { deleteTree(dir); }
                };
            }
            case ARBITERFS -> {
                DaemonProcess d = DaemonProcess.start("bench-" + name, options, "", logDir, parent);
                yield new Mounted() {
                    public Path dir() { return d.root(); }
                    public Path backing() { return d.source().orElseThrow(); }
                    public OptionalLong pid() { return OptionalLong.of(d.pid()); }
                    public String describe() { return d.describe(); }
                    public void close() throws IOException { d.close(); }
                };
            }
            case JNR_FUSE -> JnrFuseProcess.start(parent, logDir);
        };
    }

    /** The jnr-fuse baseline in its own JVM (stdin-EOF protocol, as the harness's MountServer). */
    static final class JnrFuseProcess implements Mounted {
        private final Path base;
        private final Process process;
        private final String served;

        private JnrFuseProcess(Path base, Process process, String served) {
            this.base = base;
            this.process = process;
            this.served = served;
        }

        static JnrFuseProcess start(Path parent, Path logDir) throws Exception {
            Path base = Files.createTempDirectory(parent, "jnr-fuse-");
            Files.createDirectory(base.resolve("source"));
            Files.createDirectory(base.resolve("mnt"));
            Files.createDirectories(logDir);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classPath(), JnrFuseBaseline.class.getName(),
                    base.resolve("source").toString(), base.resolve("mnt").toString()));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(logDir.resolve("jnr-fuse.log").toFile())).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).completeOnTimeout(null, 60, TimeUnit.SECONDS).get();
            JnrFuseProcess j = new JnrFuseProcess(base, p, first == null ? "" : first);
            if (first == null || !first.startsWith("MOUNTED")) {
                j.close();
                throw new IOException("jnr-fuse baseline did not mount: " + (first == null ? "no answer (see jnr-fuse.log)" : first));
            }
            return j;
        }

        public Path dir() { return base.resolve("mnt"); }

        public Path backing() { return base.resolve("source"); }

        public OptionalLong pid() { return OptionalLong.of(process.pid()); }

        public String describe() { return "pid " + process.pid() + ": " + served.replaceFirst("^MOUNTED ", ""); }

        @Override
        public void close() throws IOException {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Path mnt = dir();
            boolean left = JnrFuseBaseline.mounted(mnt);
            if (left) {
                try {
                    new ProcessBuilder("umount", "-l", mnt.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (!JnrFuseBaseline.mounted(mnt)) {
                deleteTree(base);
            }
        }
    }

    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
