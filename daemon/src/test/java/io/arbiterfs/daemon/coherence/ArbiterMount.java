package io.arbiterfs.daemon.coherence;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.status.StatusXattrs;
import io.arbiterfs.fuse.FuseMount;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.fuse.Mounts;
import io.arbiterfs.daemon.testing.DaemonProcess;
import io.arbiterfs.daemon.testing.Status;
import io.arbiterfs.daemon.testing.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The whole daemon stack (options → ArbitratedFs → session) mounted on temp directories, in this JVM
 * or, for tests that map files of the mount ({@link #inChildJvm}), in a JVM of its own.
 */
final class ArbiterMount implements AutoCloseable {
    final Path base;
    final Path source;
    final Path mnt;
    private final FuseMount mount;
    private final DaemonProcess daemon;

    /** The daemon in this JVM: quick to start; never map a file of such a mount (see {@link #inChildJvm}). */
    ArbiterMount(String... options) throws Exception {
        this(false, options);
    }

    /**
     * The daemon as a child process ({@code Main mount -f}). Needed wherever the test touches a
     * mapping of the mount: a page fault on it holds this process's mmap lock until the daemon
     * answers the READ, and if the daemon is this JVM, its VM thread may be waiting for that lock
     * (mprotect) in the middle of a safepoint that has already stopped the worker holding the READ.
     */
    static ArbiterMount inChildJvm(String... options) throws Exception {
        return new ArbiterMount(true, options);
    }

    private ArbiterMount(boolean child, String... options) throws Exception {
        base = Files.createTempDirectory("arbiterfs-coherence-");
        source = Files.createDirectory(base.resolve("source"));
        mnt = Files.createDirectory(base.resolve("mnt"));
        MountOptions o = MountOptions.parse(List.of(options));
        if (!child) {
            if (Boolean.getBoolean("arbiterfs.test.uring")) {
                mount = io.arbiterfs.daemon.testing.KernelRing.offered(() -> ArbiterDaemon.mountSource(source,
                        "arbiterfs-coherence", mnt, o, ArbiterDaemon.validate(o)).mount());
            } else {
                mount = ArbiterDaemon.mountSource(source, "arbiterfs-coherence", mnt, o, ArbiterDaemon.validate(o)).mount();
            }
            daemon = null;
            return;
        }
        mount = null;
        daemon = DaemonProcess.start(source, mnt, base.resolve("daemon.log"), o.render());
    }

    Path file(String name) {
        return mnt.resolve(name);
    }

    /** A status xattr of {@code p} as the daemon renders it. */
    static String xattr(Path p, String name) {
        return Syscalls.xattr(p, name);
    }

    /** The most WRITEs the daemon ran at once since the last {@link #resetWritePeak()}. */
    int writePeak() {
        return Status.mount(mnt).get("writePeak").asInt();
    }

    void resetWritePeak() {
        int rc = Syscalls.setxattr(mnt, StatusXattrs.RESET_XATTR);
        if (rc != 0) {
            throw new AssertionError("reset_peak: errno " + -rc);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (mount != null) {
                mount.unmount(Duration.ofSeconds(5));
            } else {
                daemon.close(); // SIGTERM: the daemon unmounts and exits
            }
        } finally {
            if (Mounts.at(mnt).isPresent()) {
                Mounts.unmount(mnt, true);
            }
            try (Stream<Path> s = Files.walk(base)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
