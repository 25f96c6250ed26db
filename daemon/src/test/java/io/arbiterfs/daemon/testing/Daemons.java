package io.arbiterfs.daemon.testing;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.cli.Main;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.testkit.faults.FaultOptions;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.process.ChildProcess;
import io.arbiterfs.testkit.sys.Commands;
import io.arbiterfs.testkit.sys.KernelRing;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon under the testkit's fixtures: its whole stack (status, IO-mode arbitration, passthrough) mounted in this
 * JVM or as {@code mount -f} in a child process, with the test options ({@code fault_*}, {@code backend_latency_us})
 * as the layer below the arbitration. With {@code -Darbiterfs.test.uring=true} every fixture mounts with the kernel
 * offering FUSE over io_uring ({@link KernelRing}), so the same tests run over the ring.
 */
public final class Daemons {
    private Daemons() {}

    /**
     * The stack {@code ./arbiterfs mount -o options} serves, mounted in this JVM. Quick to start; never map a file of
     * such a mount from this JVM (see {@link ChildProcess} for why), use {@link #inChildProcess} for that.
     */
    public static MountFixture<ArbiterDaemon.Running> inJvm(String... options) {
        return inJvm(KernelRing.wantedByTests(), options);
    }

    /** {@link #inJvm(String...)} with the kernel offering FUSE over io_uring while it mounts. */
    public static MountFixture<ArbiterDaemon.Running> inJvmOverIoUring(String... options) {
        return inJvm(true, options);
    }

    /** {@link #inJvm(String...)} over io_uring or not, whatever the JVM's default. */
    public static MountFixture<ArbiterDaemon.Running> inJvm(boolean ring, String... options) {
        return MountFixture.of((source, mountpoint) -> KernelRing.offeredIf(ring, () -> {
            FaultOptions faults = FaultOptions.parse(List.of(options));
            MountOptions parsed = MountOptions.parse(faults.remaining());
            return ArbiterDaemon.mountSource(source, "arbiterfs-test:" + source, mountpoint, parsed,
                    ArbiterDaemon.validate(parsed), DaemonWithFaults.layer(faults));
        })).named("arbiterfs-it");
    }

    /** {@code mount -f SOURCE MOUNTPOINT -o options} as a child process; its log is {@code daemon.log} beside them. */
    public static MountFixture<ChildProcess> inChildProcess(String... options) {
        return MountFixture.of((source, mountpoint) ->
                start(source, mountpoint, mountpoint.getParent().resolve("daemon.log"), String.join(",", options)))
                .named("arbiterfs-child");
    }

    /**
     * {@code mount -f --notify-ready SRC MNT -o options}, returning once the mount answers; over io_uring with
     * {@code -Darbiterfs.test.uring=true}.
     */
    public static ChildProcess start(Path src, Path mnt, Path log, String options) throws IOException {
        return start(KernelRing.wantedByTests(), src, mnt, log, options);
    }

    /** {@link #start(Path, Path, Path, String)} with the kernel offering FUSE over io_uring, or not, as asked. */
    public static ChildProcess start(boolean ring, Path src, Path mnt, Path log, String options) throws IOException {
        try {
            return KernelRing.offeredIf(ring, () -> launch(src, mnt, log, options));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static ChildProcess launch(Path src, Path mnt, Path log, String options) throws IOException {
        List<String> args = new ArrayList<>(List.of("mount", "-f", "--notify-ready", src.toString(), mnt.toString()));
        if (!options.isEmpty()) {
            args.addAll(List.of("-o", options));
        }
        return ChildProcess.java(DaemonWithFaults.class.getName(), args).mountpoint(mnt).log(log).start();
    }

    /** The product's command line in a JVM of its own (no test options). */
    public static List<String> cli(String... args) {
        return Commands.java(List.of(), Main.class.getName(), args);
    }

    /** Runs a command of the product's command line to completion (unmount, a mount expected to fail, ...). */
    public static Commands.Result run(String... args) {
        return Commands.run(Duration.ofSeconds(90), cli(args));
    }
}
