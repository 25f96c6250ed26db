package io.arbiterfs.fuse;

import io.arbiterfs.fuse.internal.mount.MountSpec;
import io.arbiterfs.fuse.internal.mount.MountTable;
import io.arbiterfs.fuse.internal.mount.Mounter;
import io.arbiterfs.fuse.internal.transport.Session;
import io.arbiterfs.fuse.internal.transport.SessionOptions;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.NativeString;
import io.arbiterfs.fuse.platform.Platform;
import io.arbiterfs.fuse.platform.StatBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live mount: the kernel attachment plus the engine serving it. Made by a {@link Builder}:
 *
 * <pre>{@code
 * try (FuseMount m = FuseMount.builder(new MyFs()).mountpoint(Path.of("/mnt/x")).threads(8).allowOther().mount()) {
 *     m.awaitUnmounted();          // until someone runs umount /mnt/x
 * }
 * }</pre>
 *
 * {@link Builder#mount()} returns only once the mount answers (INIT and a first GETATTR went through);
 * {@link #close()} unmounts and returns within a bounded time.
 */
public final class FuseMount implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FuseMount.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final Path mountpoint;
    private final String type;
    private final Session session;
    private volatile long connectionId = -1;

    private FuseMount(Path mountpoint, String type, Session session) {
        this.mountpoint = mountpoint;
        this.type = type;
        this.session = session;
    }

    /** A builder for a mount of {@code fileSystem}. */
    public static Builder builder(FileSystem<?, ?> fileSystem) {
        return new Builder(fileSystem);
    }

    /** How a mount is set up; every setter returns the builder. Not thread-safe; use it from one thread. */
    public static final class Builder {
        private final FileSystem<?, ?> fs;
        private Path mountpoint;
        private String fsname;
        private String subtype = "arbiterfs";
        private int threads = 8;
        private int maxWrite = SessionOptions.DEFAULT_MAX_WRITE;
        private final Set<Feature> features = EnumSet.copyOf(Feature.DEFAULTS);
        private boolean allowOther;
        private boolean defaultPermissions;
        private boolean readOnly;
        private boolean suid;
        private boolean dev;
        private boolean noexec;
        private boolean noatime;
        private boolean useFusermount;
        private boolean ioUring = true;
        private int ringThreadsPerQueue = 4;
        private int ringDepth = 1;
        private boolean pinRingThreads = true;
        private Duration readyTimeout = Duration.ofSeconds(30);

        private Builder(FileSystem<?, ?> fs) {
            this.fs = Objects.requireNonNull(fs, "file system");
        }

        /** Where to mount: an existing directory (required). */
        public Builder mountpoint(Path mountpoint) {
            this.mountpoint = mountpoint;
            return this;
        }

        /** The source shown in /proc/mounts and df (default: the subtype). */
        public Builder fsname(String fsname) {
            this.fsname = fsname;
            return this;
        }

        /** The type suffix: the mount shows as {@code fuse.SUBTYPE} (default {@code arbiterfs}). */
        public Builder subtype(String subtype) {
            this.subtype = Objects.requireNonNull(subtype, "subtype");
            return this;
        }

        /**
         * Serve over io_uring when the kernel offers it (Linux 6.14+ with /sys/module/fuse/parameters/enable_uring
         * set), /dev/fuse otherwise (default: on). Without the offer one line is logged and the mount runs on /dev/fuse;
         * {@link Connection#transport()} tells which.
         */
        public Builder ioUring(boolean wanted) {
            this.ioUring = wanted;
            return this;
        }

        /**
         * Ring threads per io_uring queue (one queue per possible CPU; default 4). Each serves one request at a time
         * inline, so this many requests of one CPU can be in the file system at once (a slow backend ties up one).
         */
        public Builder ringThreadsPerQueue(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("ring threads per queue must be 1..64, not " + threads);
            }
            this.ringThreadsPerQueue = threads;
            return this;
        }

        /**
         * Entries each ring thread owns (default 1). More let the kernel queue requests at a busy thread, which saves
         * a wake-up when requests come in bursts but makes them wait behind a slow one.
         */
        public Builder ringDepth(int entries) {
            if (entries < 1 || entries > 64) {
                throw new IllegalArgumentException("ring depth must be 1..64, not " + entries);
            }
            this.ringDepth = entries;
            return this;
        }

        /** Pin each ring thread to its queue's CPU (default on), where that queue's requests come from. */
        public Builder pinRingThreads(boolean pin) {
            this.pinRingThreads = pin;
            return this;
        }

        /** Request threads on /dev/fuse, each on its own cloned descriptor (default 8, at least 1). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, not " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Largest WRITE (and READ) the kernel may send, a multiple of 4096 (default 1 MiB). */
        public Builder maxWrite(int bytes) {
            if (bytes < 4096 || bytes % 4096 != 0) {
                throw new IllegalArgumentException("maxWrite must be a multiple of 4096 ≥ 4096, not " + bytes);
            }
            this.maxWrite = bytes;
            return this;
        }

        /** Also asks for these features (added to {@link Feature#DEFAULTS}). */
        public Builder features(Feature... more) {
            features.addAll(Set.of(more));
            return this;
        }

        /** Does not ask for these features, even if they are defaults. */
        public Builder withoutFeatures(Feature... fewer) {
            features.removeAll(Set.of(fewer));
            return this;
        }

        /** Lets other users than the mounting one use the mount (needs root, or user_allow_other in /etc/fuse.conf). */
        public Builder allowOther() {
            this.allowOther = true;
            return this;
        }

        /** The kernel checks permissions from the file modes, instead of leaving it to the file system. */
        public Builder defaultPermissions() {
            this.defaultPermissions = true;
            return this;
        }

        /** A read-only mount. */
        public Builder readOnly() {
            this.readOnly = true;
            return this;
        }

        /** Honours set-user-id and set-group-id bits (default: nosuid). */
        public Builder suid() {
            this.suid = true;
            return this;
        }

        /** Honours device files (default: nodev). */
        public Builder dev() {
            this.dev = true;
            return this;
        }

        /** No program may be executed from the mount. */
        public Builder noexec() {
            this.noexec = true;
            return this;
        }

        /** Access times are not updated. */
        public Builder noatime() {
            this.noatime = true;
            return this;
        }

        /** Mounts through fusermount3 even as root (as an unprivileged user it is always used). */
        public Builder useFusermount() {
            this.useFusermount = true;
            return this;
        }

        /** How long {@link #mount()} waits for the mount to answer (default 30 s). */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Mounts, starts the request threads and returns once the mount answers a stat.
         *
         * @throws IOException naming the problem (no such mountpoint, busy, no permission, no answer); nothing is
         *     left mounted then
         * @throws UnsupportedOperationException on a platform whose ABI layouts the engine has not verified
         */
        public FuseMount mount() throws IOException {
            Platform.requireSupported();
            if (mountpoint == null) {
                throw new IllegalStateException("no mountpoint given");
            }
            Path mp = mountpoint.toAbsolutePath().normalize();
            MountSpec spec = new MountSpec(fsname != null ? fsname : subtype, subtype, mp, allowOther, defaultPermissions,
                    readOnly, suid, dev, noexec, noatime, useFusermount);
            long wanted = Feature.bits(features);
            SessionOptions options = new SessionOptions(threads, maxWrite, wanted,
                    features.contains(Feature.PASSTHROUGH) ? 1 : 0,
                    ioUring ? new SessionOptions.Ring(true, ringThreadsPerQueue, ringDepth, pinRingThreads)
                            : SessionOptions.Ring.OFF);
            return FuseMount.mount(fs, spec, options, readyTimeout);
        }
    }

    private static FuseMount mount(FileSystem<?, ?> fs, MountSpec spec, SessionOptions sessionOptions, Duration readyTimeout)
            throws IOException {
        Path mp = spec.mountpoint();
        if (MountTable.at(mp).map(e -> e.type().startsWith("fuse")).orElse(false)) {
            throw new IOException("mountpoint " + mp + " is busy: a FUSE file system is already mounted there");
        }
        int fd = Mounter.mount(spec);
        Session session = new Session(fs, sessionOptions);
        FuseMount m = new FuseMount(mp, spec.type(), session);
        try {
            session.start(fd, mp.getFileName() == null ? "root" : mp.getFileName().toString());
            m.awaitAnswer(readyTimeout);
        } catch (IOException | RuntimeException e) {
            m.abortQuietly();
            throw e;
        }
        log.info("mounted {} on {}", spec.fsname(), mp);
        return m;
    }

    /** Stats the mountpoint from another thread: it returns once INIT and a GETATTR went through. */
    private void awaitAnswer(Duration timeout) throws IOException {
        CompletableFuture<Long> stat = CompletableFuture.supplyAsync(() -> {
            StatBuffer st = new StatBuffer();
            NativeString path = NativeString.of(mountpoint.toString());
            int r = io.arbiterfs.fuse.internal.nativeio.Sys.get().fstatat(-100, path.address(), st.address(), 0);
            long result = r == 0 ? st.dev() : -Native.errno();
            java.lang.ref.Reference.reachabilityFence(path);
            return result;
        });
        try {
            long dev = stat.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (dev < 0) {
                throw new IOException("mount at " + mountpoint + " does not answer: stat failed with errno " + -dev);
            }
            connectionId = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        } catch (TimeoutException e) {
            throw new IOException("mount at " + mountpoint + " did not answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException("mount at " + mountpoint + " does not answer", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the mount to answer", e);
        }
    }

    /** Where the file system is mounted. */
    public Path mountpoint() {
        return mountpoint;
    }

    /** What INIT settled; present once the mount answered (always, after {@link Builder#mount()}). */
    public Optional<Connection> connection() {
        return Optional.ofNullable(session.connection());
    }

    /** The FUSE connection's number under /sys/fs/fuse/connections (the mount's device minor), -1 if unknown. */
    public long connectionId() {
        return connectionId;
    }

    /** Request threads serving the mount. */
    public int requestThreads() {
        return session.workerCount();
    }

    /** Whether the mount is still served (not unmounted, aborted or closed). */
    public boolean isServing() {
        return !session.isFinished();
    }

    /** Blocks until the mount is gone (unmounted from outside, aborted, or by {@link #close}). */
    public void awaitUnmounted() throws InterruptedException {
        while (!session.awaitFinished(1, TimeUnit.DAYS)) {
            // keep waiting
        }
    }

    /** Blocks until the mount is gone or {@code timeout} passed; returns whether it is gone. */
    public boolean awaitUnmounted(Duration timeout) throws InterruptedException {
        return session.awaitFinished(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Unmounts. A busy mount (files still open) is detached at once and its connection aborted after
     * {@code grace} if the files stay open (they then fail with ENOTCONN, as after a crash), so this returns within
     * about {@code grace} plus a few seconds.
     */
    public void unmount(Duration grace) throws IOException {
        if (!session.isFinished()) {
            try {
                Mounter.unmount(mountpoint, true);
            } catch (IOException e) {
                if (MountTable.at(mountpoint).map(x -> x.type().equals(type)).orElse(false)) {
                    throw e;
                }
            }
        }
        try {
            if (!session.awaitFinished(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("files on {} still open after {} ms: aborting the connection", mountpoint, grace.toMillis());
                abortConnection();
                session.awaitFinished(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Unmounts, waiting at most 5 s for open files before aborting the connection. */
    @Override
    public void close() throws IOException {
        unmount(CLOSE_GRACE);
    }

    private void abortQuietly() {
        try {
            Mounter.unmount(mountpoint, true);
        } catch (IOException ignored) {
            // the mount may never have happened
        }
        abortConnection();
    }

    /** Writes to /sys/fs/fuse/connections/N/abort: every pending and future request fails. */
    private void abortConnection() {
        if (connectionId < 0) {
            return;
        }
        Path abort = Path.of("/sys/fs/fuse/connections", Long.toString(connectionId), "abort");
        try {
            if (!Files.exists(abort.getParent()) && Mounter.isRoot()) {
                new ProcessBuilder("mount", "-t", "fusectl", "fusectl", "/sys/fs/fuse/connections").start().waitFor();
            }
            Files.writeString(abort, "1");
        } catch (IOException e) {
            log.warn("cannot abort FUSE connection {}: {}", connectionId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
