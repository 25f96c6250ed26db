package io.arbiterfs.daemon.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.fuse.FuseMount;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.fuse.Mounts;
import io.arbiterfs.daemon.passthrough.PassthroughFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The daemon's stack (status, IO-mode arbitration, {@link PassthroughFs}) mounted in this JVM on a fresh temp
 * MOUNTPOINT over a fresh temp SOURCE.
 *
 * <p>Register it as a {@code static} field with {@code @RegisterExtension} to mount once per test
 * class (each test then gets its own subdirectory through {@link #dir(String)}), or as an instance
 * field to mount once per test. The mount is always taken down afterwards, even when the test
 * failed, and the fixture fails loudly if the mount table still shows it.
 */
public final class MountedFs implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final List<String> options;
    private Path base;
    private Path source;
    private Path mountpoint;
    private ArbiterDaemon.Running running;
    private boolean perClass;
    private String mountpointPath = "mnt";
    private boolean ring = Boolean.getBoolean("arbiterfs.test.uring");

    public MountedFs(String... options) {
        this.options = List.of(options);
    }

    /**
     * Puts the mountpoint at {@code <base>/<relative>} instead of {@code <base>/mnt} (SOURCE stays
     * {@code <base>/source}), e.g. deeper than SOURCE so relative symlinks resolve differently on
     * the client side and the daemon side.
     */
    public MountedFs mountpointAt(String relative) {
        this.mountpointPath = relative;
        return this;
    }

    /**
     * Mounts with the kernel offering FUSE over io_uring (enable_uring set to Y around the mount only), so the daemon
     * serves over the ring. Also the default for every MountedFs when the JVM has -Darbiterfs.test.uring=true.
     */
    public MountedFs overIoUring() {
        this.ring = true;
        return this;
    }

    /** The temp directory holding SOURCE and the mountpoint. */
    public Path base() {
        return base;
    }

    @Override
    public void beforeAll(ExtensionContext ctx) throws Exception {
        perClass = true;
        mount(ctx.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext ctx) throws Exception {
        unmountAndClean();
    }

    @Override
    public void beforeEach(ExtensionContext ctx) throws Exception {
        if (!perClass) {
            mount(ctx.getRequiredTestClass().getSimpleName() + "-" + ctx.getRequiredTestMethod().getName());
        }
    }

    @Override
    public void afterEach(ExtensionContext ctx) throws Exception {
        if (!perClass) {
            unmountAndClean();
        }
    }

    private void mount(String name) throws Exception {
        base = Files.createTempDirectory("arbiterfs-it-" + name + "-" + SEQ.incrementAndGet() + "-");
        // traversable by other users, for tests that run tools under another uid (allow_other mounts)
        Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        source = Files.createDirectory(base.resolve("source"));
        mountpoint = Files.createDirectories(base.resolve(mountpointPath));
        Cleanup.register(mountpoint); // before mounting: the JVM-exit hook covers a failure from here on
        // the same stack the CLI mounts
        MountOptions parsed = MountOptions.parse(options);
        if (ring) {
            running = io.arbiterfs.daemon.testing.KernelRing.offered(() -> ArbiterDaemon.mountSource(source,
                    "arbiterfs-it:" + source, mountpoint, parsed, ArbiterDaemon.validate(parsed)));
        } else {
            running = ArbiterDaemon.mountSource(source, "arbiterfs-it:" + source, mountpoint, parsed, ArbiterDaemon.validate(parsed));
        }
    }

    private void unmountAndClean() throws IOException {
        try {
            if (running != null) {
                running.mount().unmount(Duration.ofSeconds(5));
            }
        } finally {
            running = null;
            if (mountpoint != null && Mounts.at(mountpoint).isPresent()) {
                Cleanup.forceUnmount(mountpoint);
                fail("mount on " + mountpoint + " was still in the mount table after unmount");
            }
            if (mountpoint != null) {
                Cleanup.unregister(mountpoint);
            }
            if (base != null) {
                Cleanup.deleteTree(base);
            }
        }
    }

    /** The backing directory. */
    public Path source() {
        return source;
    }

    /** The mountpoint. */
    public Path mnt() {
        return mountpoint;
    }

    /** The live mount. */
    public FuseMount mount() {
        return running.mount();
    }

    /** The stack serving the mount. */
    public ArbiterDaemon.Running running() {
        return running;
    }

    /** The passthrough at the bottom of the stack (for its counters). */
    public PassthroughFs passthrough() {
        return running.passthrough();
    }

    /** A fresh directory {@code name} created through the mount; returns its path under the mountpoint. */
    public Path dir(String name) throws IOException {
        return Files.createDirectory(mountpoint.resolve(name));
    }

    /** The SOURCE-side path of a path under the mountpoint. */
    public Path backing(Path underMount) {
        return source.resolve(mountpoint.relativize(underMount));
    }
}
