package io.arbiterfs.harness.core;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.FuseMount;
import io.arbiterfs.harness.selftest.BrokenFs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The daemon side of a {@link DaemonProcess}: runs in its own JVM, mounts, prints {@code MOUNTED},
 * serves until its stdin closes (the harness closed it, or died), then unmounts and exits.
 *
 * <p>Args: {@code SOURCE MOUNTPOINT OPTIONS [FAULT]}, FAULT being a {@link BrokenFs} spec for the
 * self-test. A separate JVM is not a convenience: a test thread touching a shared mapping of a
 * FUSE file blocks in a page fault while still "in Java", so the first GC safepoint would stop the
 * daemon's own workers and nothing could ever answer that fault.
 */
public final class MountServer {
    private MountServer() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("arbiterfs.log.level") == null) {
            System.setProperty("arbiterfs.log.level", "WARN");
        }
        Path source = Path.of(args[0]);
        Path mountpoint = Path.of(args[1]);
        MountOptions options = MountOptions.parse(args[2].isEmpty() ? List.of() : List.of(args[2]));
        String fault = args.length > 3 ? args[3] : "";
        // the stack ./arbiterfs mount serves, with the self-test's broken layer on top when asked
        FileSystem<?, ?> fs = ArbiterDaemon.sourceStack(source, options, ArbiterDaemon.validate(options)).top();
        if (!fault.isEmpty()) {
            fs = BrokenFs.wrap(fs, fault);
        }
        FuseMount mount;
        try {
            mount = ArbiterDaemon.builder(fs, "arbiterfs-harness:" + source, mountpoint, options).mount();
        } catch (IOException e) {
            System.out.println("FAILED " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> unmount(mount), "unmount"));
        System.out.println("MOUNTED the ./arbiterfs mount stack, " + fs.getClass().getSimpleName()
                + (fault.isEmpty() ? "" : " fault=" + fault));
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the harness closes our stdin
        }
        unmount(mount);
        System.exit(0);
    }

    private static synchronized void unmount(FuseMount mount) {
        try {
            mount.unmount(Duration.ofSeconds(5));
        } catch (IOException e) {
            System.err.println("unmount failed: " + e.getMessage());
        }
    }
}
