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
 * @param name      short key ({@code native}, {@code parallel}, ...)
 * @param label     what the report calls it
 * @param kind      which server
 * @param transport how the kernel hands it requests; {@link Transport#IO_URING} makes the kernel
 *                  offer the ring around its mount and checks that the server holds rings
 * @param options   the server's {@code -o} options (arbiterfs, passthrough_hp; empty for the others)
 * @param jobs      which jobs of the suite it runs
 */
public record Target(String name, String label, Kind kind, Transport transport, List<String> options, Predicate<FioJob> jobs) {
    /** {@code JNR_FUSE_BRIDGE}: the jnr-fuse baseline, unmodified, on the arbiterfs engine (jnrfuse/ agent jar). */
    public enum Kind { NATIVE, ARBITERFS, JNR_FUSE, JNR_FUSE_BRIDGE, PASSTHROUGH_HP }

    public enum Transport { DEV_FUSE, IO_URING }

    /** A target served over /dev/fuse (or not FUSE at all). */
    public Target(String name, String label, Kind kind, List<String> options, Predicate<FioJob> jobs) {
        this(name, label, kind, Transport.DEV_FUSE, options, jobs);
    }

    /** The same target running only {@code these} jobs. */
    public Target withJobs(Predicate<FioJob> these) {
        return new Target(name, label, kind, transport, options, these);
    }

    public boolean ring() {
        return transport == Transport.IO_URING;
    }

    /** A started target: fio's directory, the daemon's pid (none for native) and the backing directory. */
    public interface Mounted extends AutoCloseable {
        Path dir();

        Path backing();

        OptionalLong pid();

        String describe();

        @Override
        void close() throws IOException;
    }

    /**
     * Starts it under {@code parent}; {@code libfuse} builds passthrough_hp when a target needs it.
     * A ring target is mounted with the ring offered ({@link KernelUring#withRingOffered}) and must
     * hold io_uring instances afterwards; a /dev/fuse server must hold none (the parameter is global,
     * so another user of the machine may have it set). Either way a target on the wrong transport
     * fails to start rather than be measured under the other's name.
     */
    public Mounted start(Path parent, Path logDir, LibfuseBuild libfuse) throws Exception {
        if (!ring()) {
            Mounted m = startServer(parent, logDir, libfuse);
            int rings = m.pid().isPresent() ? KernelUring.Rings.of(m.pid().getAsLong()).count() : 0;
            if (rings > 0) {
                String served = m.describe();
                m.close();
                throw new IOException(label + " is a /dev/fuse target but its server holds " + rings
                        + " io_uring instances (was " + KernelUring.ENABLE + " Y?): " + served);
            }
            return m;
        }
        Mounted m = KernelUring.withRingOffered(KernelUring.ENABLE, () -> {
            Mounted started = startServer(parent, logDir, libfuse);
            // the kernel decides on the ring when it reads the INIT reply: keep the offer until then
            if (!initAnswered(started.dir())) {
                started.close();
                throw new IOException(label + " mounted but did not answer statfs within 30 s");
            }
            return started;
        });
        KernelUring.Rings rings = awaitRings(m.pid().orElse(-1));
        String verdict = m instanceof PassthroughHpProcess hp ? hp.ringVerdict() : "";
        if (rings.count() == 0 || !(verdict.isEmpty() || verdict.equals("io_uring=on"))) {
            String served = m.describe();
            m.close();
            throw new IOException(label + " is not on io_uring after its mount (" + rings.count() + " io_uring instances in /proc/PID/fd"
                    + (verdict.isEmpty() ? "" : ", libfuse says " + verdict) + "): " + served);
        }
        return new Mounted() {
            public Path dir() { return m.dir(); }
            public Path backing() { return m.backing(); }
            public OptionalLong pid() { return m.pid(); }
            public String describe() { return m.describe() + "; kernel: " + rings.count() + " io_uring instances"; }
            public void close() throws IOException { m.close(); }
        };
    }

    /** The server's rings, giving it up to 5 s to set them up after INIT (libfuse does so before its reply). */
    private static KernelUring.Rings awaitRings(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        KernelUring.Rings r = KernelUring.Rings.of(pid);
        while (r.count() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            r = KernelUring.Rings.of(pid);
        }
        return r;
    }

    private Mounted startServer(Path parent, Path logDir, LibfuseBuild libfuse) throws Exception {
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
            case JNR_FUSE -> JnrFuseProcess.start(parent, logDir, List.of(), options, "jnr-fuse.log");
            case JNR_FUSE_BRIDGE -> JnrFuseProcess.start(parent, logDir, List.of("-javaagent:" + JnrFuseProcess.bridgeAgent()),
                    options, "jnr-fuse-bridge.log");
            case PASSTHROUGH_HP -> PassthroughHpProcess.start(libfuse.passthroughHp(), options, parent, logDir);
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

        /**
         * The arbiterfs-jnrfuse jar: its manifest makes it a java agent (the provider that serves jnr-fuse's
         * libfuse binding from Java) and names the engine's jars beside it. Built by ./arbiterfs and mvn package.
         */
        static Path bridgeAgent() throws IOException {
            String launcher = System.getProperty("arbiterfs.launcher");
            Path root = launcher != null ? Path.of(launcher).toAbsolutePath().getParent() : Path.of("").toAbsolutePath();
            Path target = root.resolve("jnrfuse/target");
            try (var jars = Files.list(target)) {
                return jars.filter(j -> j.getFileName().toString().matches("arbiterfs-jnrfuse-[^-]+(-SNAPSHOT)?\\.jar"))
                        .findFirst().orElseThrow(() -> new IOException("no arbiterfs-jnrfuse jar in " + target));
            } catch (IOException e) {
                throw new IOException("the jnr-fuse-bridge target needs jnrfuse/target/arbiterfs-jnrfuse-*.jar and its lib/ "
                        + "(built by ./arbiterfs or mvn package): " + e.getMessage(), e);
            }
        }

        static JnrFuseProcess start(Path parent, Path logDir, List<String> jvmArguments, List<String> options, String log)
                throws Exception {
            Path base = Files.createTempDirectory(parent, "jnr-fuse-");
            Files.createDirectory(base.resolve("source"));
            Files.createDirectory(base.resolve("mnt"));
            Files.createDirectories(logDir);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(jvmArguments);
            cmd.addAll(List.of("-cp", classPath(), JnrFuseBaseline.class.getName(),
                    base.resolve("source").toString(), base.resolve("mnt").toString()));
            if (!options.isEmpty()) {
                cmd.add(String.join(",", options));
            }
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(logDir.resolve(log).toFile())).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Path logFile = logDir.resolve(log);
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    // the answer line; anything before it (a logging library's status on stdout) goes to the log
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("MOUNTED") || line.startsWith("FAILED")) {
                            return line;
                        }
                        Files.writeString(logFile, "[stdout] " + line + "\n", java.nio.file.StandardOpenOption.APPEND);
                    }
                    return null;
                } catch (IOException e) {
                    return null;
                }
            }).completeOnTimeout(null, 60, TimeUnit.SECONDS).get();
            JnrFuseProcess j = new JnrFuseProcess(base, p, first == null ? "" : first);
            if (first == null || !first.startsWith("MOUNTED")) {
                j.close();
                throw new IOException("jnr-fuse baseline did not mount: " + (first == null ? "no answer (see " + log + ")" : first));
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

    /**
     * Whether a statfs of {@code mnt} returns within 30 s: the kernel holds every request of a FUSE
     * mount until the server answered FUSE_INIT, so when it returns, INIT was answered.
     */
    static boolean initAnswered(Path mnt) throws IOException, InterruptedException {
        Process statfs = new ProcessBuilder("stat", "-f", "-c", "%T", mnt.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!statfs.waitFor(30, TimeUnit.SECONDS)) {
            statfs.destroyForcibly();
            return false;
        }
        return statfs.exitValue() == 0;
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
