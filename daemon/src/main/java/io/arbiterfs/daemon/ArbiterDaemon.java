package io.arbiterfs.daemon;

import io.arbiterfs.daemon.arbitration.ArbitratedOpen;
import io.arbiterfs.daemon.arbitration.ArbitrationFacts;
import io.arbiterfs.daemon.arbitration.IoModeArbiter;
import io.arbiterfs.daemon.arbitration.OpenPolicy;
import io.arbiterfs.daemon.arbitration.PageCacheWatch;
import io.arbiterfs.daemon.arbitration.PathPolicy;
import io.arbiterfs.daemon.mount.MountOptionException;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.daemon.passthrough.DirHandle;
import io.arbiterfs.daemon.passthrough.OpenFile;
import io.arbiterfs.daemon.passthrough.PassthroughFs;
import io.arbiterfs.daemon.status.StatusXattrs;
import io.arbiterfs.daemon.watch.SourceWatcher;
import io.arbiterfs.fuse.Connection;
import io.arbiterfs.fuse.Feature;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.FuseMount;
import io.arbiterfs.fuse.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The composition root of the product: which decorators a mount stacks, in which order, from which options.
 *
 * <pre>
 *   StatusXattrs            user.arbiterfs.* status attributes
 *     IoModeArbiter         IO modes, open replies, the direct-write lock, post-write invalidation, SOURCE watch
 *       (BackendLayer)      none in the product; tests put fault injection or a slow device here
 *         PassthroughFs     the host directory, or any other file system with its ArbitrationFacts
 * </pre>
 */
public final class ArbiterDaemon {
    /** The mount type suffix: arbiterfs mounts show as {@value #FS_TYPE}. */
    public static final String SUBTYPE = "arbiterfs";
    public static final String FS_TYPE = "fuse." + SUBTYPE;
    private static final Path DEV_FUSE = Path.of("/dev/fuse");

    private ArbiterDaemon() {}

    /**
     * A decorator of the backend, between the arbitration and the file system that does the IO: below the IO-mode
     * state and the write lock, so a call that fails in it still releases everything the arbitration granted. The
     * product has none ({@link #NONE}); tests and the bench put fault injection or a slow device here.
     */
    public interface BackendLayer {
        /** No layer: the arbitration talks to the backend directly. */
        BackendLayer NONE = new BackendLayer() {
            @Override
            public <F, D> FileSystem<F, D> wrap(FileSystem<F, D> backend) {
                return backend;
            }
        };

        /** {@code backend} as the arbitration should see it. */
        <F, D> FileSystem<F, D> wrap(FileSystem<F, D> backend);
    }

    /**
     * The decorators over one file system: what a mount serves ({@link #top}), the layers to ask for status, and the
     * passthrough at the bottom when the stack serves a SOURCE directory (null otherwise).
     */
    public record Stack(FileSystem<?, ?> top, StatusXattrs<?, ?> status, IoModeArbiter<?, ?> arbiter, PassthroughFs passthrough) {}

    /** A mount served by a stack. */
    public record Running(FuseMount mount, Stack stack) implements AutoCloseable {
        public StatusXattrs<?, ?> status() {
            return stack.status();
        }

        public IoModeArbiter<?, ?> arbiter() {
            return stack.arbiter();
        }

        /** The passthrough of a SOURCE mount, or null. */
        public PassthroughFs passthrough() {
            return stack.passthrough();
        }

        /** Unmounts within a bounded time (see {@link FuseMount#close()}). */
        @Override
        public void close() throws IOException {
            mount.close();
        }
    }

    /** Checks what the options need before anything is mounted; the message says what is wrong. */
    public static PathPolicy validate(MountOptions o) throws MountOptionException {
        if (!Mounts.isRoot() && !(Files.isReadable(DEV_FUSE) && Files.isWritable(DEV_FUSE))) {
            // fusermount3 opens /dev/fuse with the caller's rights; say so before it fails less clearly
            throw new MountOptionException("no permission to open " + DEV_FUSE + " (" + describe(DEV_FUSE)
                    + "): add the user to its group or make it rw for others");
        }
        if (o.passthrough && !Mounts.isRoot()) {
            throw new MountOptionException("option passthrough needs root (FUSE_DEV_IOC_BACKING_OPEN requires CAP_SYS_ADMIN)");
        }
        if (o.policy == null) {
            return PathPolicy.empty();
        }
        try {
            return PathPolicy.load(Path.of(o.policy));
        } catch (IOException e) {
            throw new MountOptionException(e.getMessage());
        }
    }

    /** The passthrough of {@code backing} the options describe. */
    public static PassthroughFs passthrough(Path backing, MountOptions o) throws IOException {
        return new PassthroughFs(backing, new PassthroughFs.Options(seconds(o.entryTimeout), seconds(o.attrTimeout)));
    }

    /** Mounts the passthrough of {@code backing} on {@code mountpoint} under the whole stack. */
    public static Running mountSource(Path backing, String fsname, Path mountpoint, MountOptions o, PathPolicy policy)
            throws IOException {
        return mountSource(backing, fsname, mountpoint, o, policy, BackendLayer.NONE);
    }

    /** As {@link #mountSource(Path, String, Path, MountOptions, PathPolicy)}, with {@code layer} over the passthrough. */
    public static Running mountSource(Path backing, String fsname, Path mountpoint, MountOptions o, PathPolicy policy,
                                     BackendLayer layer) throws IOException {
        return mount(sourceStack(backing, o, policy, layer), fsname, mountpoint, o);
    }

    /** The whole stack over the passthrough of {@code backing}, not yet mounted. */
    public static Stack sourceStack(Path backing, MountOptions o, PathPolicy policy) throws IOException {
        return sourceStack(backing, o, policy, BackendLayer.NONE);
    }

    /** The whole stack over the passthrough of {@code backing} with {@code layer} between them, not yet mounted. */
    public static Stack sourceStack(Path backing, MountOptions o, PathPolicy policy, BackendLayer layer) throws IOException {
        PassthroughFs passthrough = passthrough(backing, o);
        FileSystem<OpenFile, DirHandle> backend = layer.wrap(passthrough);
        Stack s = stack(backend, passthrough, o, policy, c -> o.watchSource
                ? SourceWatcher.start(c, "arbiterfs-source-watch") : Optional.empty());
        return new Stack(s.top(), s.status(), s.arbiter(), passthrough);
    }

    /**
     * Mounts any file system under the arbitration and the status attributes, with the daemon's options: the way the
     * examples and bridged file systems run.
     */
    public static <F, D> Running mount(FileSystem<F, D> fs, ArbitrationFacts<F> facts, String fsname, Path mountpoint,
                                       MountOptions o, PathPolicy policy,
                                       Function<Connection, Optional<PageCacheWatch>> watch) throws IOException {
        return mount(stack(fs, facts, o, policy, watch), fsname, mountpoint, o);
    }

    /** Mounts a stack with the options' engine settings. */
    public static Running mount(Stack stack, String fsname, Path mountpoint, MountOptions o) throws IOException {
        FuseMount m = builder(stack.top(), fsname, mountpoint, o).mount();
        return new Running(m, stack);
    }

    /** The arbitration and the status attributes over {@code fs}. */
    public static <F, D> Stack stack(FileSystem<F, D> fs, ArbitrationFacts<F> facts, MountOptions o, PathPolicy policy,
                                     Function<Connection, Optional<PageCacheWatch>> watch) {
        IoModeArbiter<F, D> arbiter = new IoModeArbiter<>(fs, facts, openPolicy(o, policy), watch);
        StatusXattrs<ArbitratedOpen<F>, D> status = new StatusXattrs<>(arbiter, arbiter);
        return new Stack(status, status, arbiter, null);
    }

    /** How the options map onto the arbitration's open policy. */
    public static OpenPolicy openPolicy(MountOptions o, PathPolicy policy) {
        return new OpenPolicy(o.dio, o.parallelDio, o.passthrough, policy);
    }

    /** The engine mount the options ask for. */
    public static FuseMount.Builder builder(FileSystem<?, ?> fs, String fsname, Path mountpoint, MountOptions o) {
        FuseMount.Builder b = FuseMount.builder(fs).mountpoint(mountpoint).fsname(fsname).subtype(SUBTYPE)
                .threads(o.maxThreads)
                .features(Feature.ATOMIC_O_TRUNC, Feature.EXPORT_SUPPORT, Feature.FLOCK_LOCKS, Feature.HANDLE_KILLPRIV_V2);
        if (o.allowMmap) {
            b.features(Feature.DIRECT_IO_ALLOW_MMAP);
        }
        if (o.passthrough) {
            b.features(Feature.PASSTHROUGH);
        }
        if (o.allowOther) b.allowOther();
        if (o.defaultPermissions) b.defaultPermissions();
        if (o.readOnly) b.readOnly();
        if (o.suid) b.suid();
        if (o.dev) b.dev();
        if (o.noexec) b.noexec();
        if (o.noatime) b.noatime();
        if (o.useFusermount) b.useFusermount();
        b.ioUring(o.ioUring).ringThreadsPerQueue(o.uringThreads).ringDepth(o.uringDepth).pinRingThreads(o.uringPin);
        return b;
    }

    private static String describe(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + " "
                    + Files.getOwner(p).getName() + ":" + Files.readAttributes(p, PosixFileAttributes.class).group().getName();
        } catch (IOException | UnsupportedOperationException e) {
            return Files.exists(p) ? "not accessible" : "missing";
        }
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }
}
