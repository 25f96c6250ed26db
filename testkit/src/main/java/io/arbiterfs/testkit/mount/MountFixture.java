package io.arbiterfs.testkit.mount;

import io.arbiterfs.fuse.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A file system mounted on a fresh temp MOUNTPOINT over a fresh temp SOURCE, by whatever {@link Mounter} it is given:
 * a stack mounted in this JVM, or a server in a {@link io.arbiterfs.testkit.process.ChildProcess}.
 *
 * <p>As a JUnit 5 extension: register it with {@code @RegisterExtension} as a {@code static} field to mount once per
 * test class (each test then works in its own {@link #dir(String)}), or as an instance field to mount once per test.
 * Without JUnit (a test that needs different options per method, the harness, the bench): {@link #open()} it in a
 * try-with-resources. Either way the mount must be in the mount table once the mounter returns, it is taken down
 * afterwards even when the test failed, the fixture fails if the mount table still shows it then, and the temp
 * directories are removed without crossing into a mount ({@link Mountpoints}).
 *
 * @param <M> what the mounter returns; closing it unmounts within a bounded time
 */
public final class MountFixture<M extends AutoCloseable>
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** Mounts something on {@code mountpoint} serving {@code source}; returns once the mount answers. */
    @FunctionalInterface
    public interface Mounter<M extends AutoCloseable> {
        M mount(Path source, Path mountpoint) throws Exception;
    }

    private final Mounter<M> mounter;
    private String mountpointPath = "mnt";
    private Path parent;
    private String prefix = "arbiterfs-";
    private boolean perClass;
    private Path base;
    private Path source;
    private Path mountpoint;
    private M mounted;

    private MountFixture(Mounter<M> mounter) {
        this.mounter = mounter;
    }

    /** A fixture mounting with {@code mounter}; nothing is mounted yet. */
    public static <M extends AutoCloseable> MountFixture<M> of(Mounter<M> mounter) {
        return new MountFixture<>(mounter);
    }

    /**
     * Puts the mountpoint at {@code <base>/<relative>} instead of {@code <base>/mnt} (SOURCE stays {@code
     * <base>/source}), e.g. deeper than SOURCE so relative symlinks resolve differently on either side.
     */
    public MountFixture<M> mountpointAt(String relative) {
        this.mountpointPath = relative;
        return this;
    }

    /** Makes the temp directory under {@code dir} (the system's temp directory by default), e.g. a tmpfs. */
    public MountFixture<M> under(Path dir) {
        this.parent = dir;
        return this;
    }

    /** Names the temp directory {@code name-...}, for people looking at /tmp or a results tree. */
    public MountFixture<M> named(String name) {
        this.prefix = name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-";
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext ctx) throws Exception {
        perClass = true;
        mount(ctx.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext ctx) throws Exception {
        close();
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
            close();
        }
    }

    /** Mounts now, outside JUnit's lifecycle; {@link #close()} takes it down. */
    public MountFixture<M> open() throws Exception {
        mount("");
        return this;
    }

    private void mount(String name) throws Exception {
        if (mounted != null) {
            throw new IllegalStateException("already mounted on " + mountpoint);
        }
        String dirName = prefix + (name.isEmpty() ? "" : name + "-") + SEQ.incrementAndGet() + "-";
        base = parent == null ? Files.createTempDirectory(dirName) : Files.createTempDirectory(parent, dirName);
        // traversable by other users, for tests that run tools under another uid (allow_other mounts)
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        source = Files.createDirectory(base.resolve("source"));
        mountpoint = Files.createDirectories(base.resolve(mountpointPath)).toAbsolutePath().normalize();
        Mountpoints.register(mountpoint); // before mounting: the JVM-exit hook covers a failure from here on
        try {
            mounted = mounter.mount(source, mountpoint);
            if (Mounts.at(mountpoint).isEmpty()) {
                throw new IllegalStateException("the mounter returned but nothing is mounted on " + mountpoint);
            }
        } catch (Exception | Error e) {
            try {
                close();
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Unmounts (closes what the mounter returned), checks the mount table and removes the temp directories.
     *
     * @throws IOException if the mount was still in the table afterwards (it is detached then) or closing failed
     */
    @Override
    public void close() throws IOException {
        Exception failure = null;
        try {
            if (mounted != null) {
                mounted.close();
            }
        } catch (Exception e) {
            failure = e;
        } finally {
            mounted = null;
        }
        if (mountpoint != null) {
            boolean left = Mountpoints.isMounted(mountpoint);
            if (left) {
                Mountpoints.detach(mountpoint);
            }
            Mountpoints.unregister(mountpoint);
            if (base != null) {
                Mountpoints.deleteTree(base);
            }
            Path mp = mountpoint;
            mountpoint = null;
            base = null;
            if (left) {
                IOException e = new IOException("the mount on " + mp + " was still in the mount table after unmount");
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                throw e;
            }
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException rt) {
            throw rt;
        }
        if (failure != null) {
            throw new IOException("unmount failed: " + failure, failure);
        }
    }

    /** What the mounter returned (a running stack, a child process, ...). */
    public M mounted() {
        requireMounted();
        return mounted;
    }

    /** The temp directory holding SOURCE and the mountpoint. */
    public Path base() {
        requireMounted();
        return base;
    }

    /** The backing directory. */
    public Path source() {
        requireMounted();
        return source;
    }

    /** The mountpoint. */
    public Path mnt() {
        requireMounted();
        return mountpoint;
    }

    /** {@code name} under the mountpoint (nothing is created). */
    public Path file(String name) {
        return mnt().resolve(name);
    }

    /** A fresh directory {@code name} created through the mount; returns its path under the mountpoint. */
    public Path dir(String name) throws IOException {
        return Files.createDirectory(mnt().resolve(name));
    }

    /** The SOURCE-side path of a path under the mountpoint. */
    public Path backing(Path underMount) {
        return source().resolve(mnt().relativize(underMount));
    }

    private void requireMounted() {
        if (mounted == null) {
            throw new IllegalStateException("not mounted: register the fixture with @RegisterExtension or open() it");
        }
    }
}
