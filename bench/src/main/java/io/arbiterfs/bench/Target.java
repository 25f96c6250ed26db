package io.arbiterfs.bench;

import static org.awaitility.Awaitility.await;

import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.mount.Mountpoints;
import io.arbiterfs.testkit.process.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
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
    private static KernelUring.Rings awaitRings(long pid) {
        try {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> KernelUring.Rings.of(pid).count() > 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // none: the caller reports it
        }
        return KernelUring.Rings.of(pid);
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
            case ARBITERFS -> forked(parent, logDir.resolve("daemon.log"), BenchDaemon.class.getName(), List.of(), (src, mnt) -> {
                List<String> args = new ArrayList<>(List.of("mount", "-f", "--notify-ready", src.toString(), mnt.toString()));
                if (!options.isEmpty()) {
                    args.addAll(List.of("-o", String.join(",", options)));
                }
                return args;
            });
            case JNR_FUSE -> forked(parent, logDir.resolve("jnr-fuse.log"), JnrFuseBaseline.class.getName(), List.of(),
                    (src, mnt) -> jnrFuseArguments(src, mnt));
            case JNR_FUSE_BRIDGE -> forked(parent, logDir.resolve("jnr-fuse-bridge.log"), JnrFuseBaseline.class.getName(),
                    List.of("-javaagent:" + bridgeAgent()), (src, mnt) -> jnrFuseArguments(src, mnt));
            case PASSTHROUGH_HP -> PassthroughHpProcess.start(libfuse.passthroughHp(), options, parent, logDir);
        };
    }

    /** The command line of a forked server for a SOURCE and a MOUNTPOINT. */
    private interface Arguments {
        List<String> of(Path source, Path mountpoint);
    }

    /** {@code SOURCE MOUNTPOINT [OPTIONS]}: the jnr-fuse baseline's command line. */
    private List<String> jnrFuseArguments(Path source, Path mountpoint) {
        List<String> args = new ArrayList<>(List.of(source.toString(), mountpoint.toString()));
        if (!options.isEmpty()) {
            args.add(String.join(",", options));
        }
        return args;
    }

    /**
     * The arbiterfs-jnrfuse jar: its manifest makes it a java agent (the provider that serves jnr-fuse's libfuse
     * binding from Java) and names the engine's jars beside it. Built by ./arbiterfs and mvn package.
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

    /**
     * A Java server in its own JVM (the daemon, the jnr-fuse baseline), on fresh directories under {@code parent}, with
     * the testkit's readiness handshake: ready once it printed its mountpoint, stopped with SIGTERM.
     */
    private Mounted forked(Path parent, Path log, String mainClass, List<String> jvmArgs, Arguments args) throws Exception {
        Files.createDirectories(log.getParent());
        MountFixture<ChildProcess> m = MountFixture.of((src, mnt) -> ChildProcess.java(mainClass, args.of(src, mnt))
                .jvmArgs("-Darbiterfs.log.level=WARN").jvmArgs(jvmArgs.toArray(String[]::new)).mountpoint(mnt).log(log).start())
                .under(parent).named("bench-" + name).open();
        return new Mounted() {
            public Path dir() { return m.mnt(); }
            public Path backing() { return m.source(); }
            public OptionalLong pid() { return OptionalLong.of(m.mounted().pid()); }
            public String describe() { return m.mounted().toString(); }
            public void close() throws IOException { m.close(); }
        };
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

    static void deleteTree(Path root) throws IOException {
        Mountpoints.deleteTree(root);
    }
}
