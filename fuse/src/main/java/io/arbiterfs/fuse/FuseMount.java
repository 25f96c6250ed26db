package io.arbiterfs.fuse;

import io.arbiterfs.fuse.internal.mount.MountSpec;
import io.arbiterfs.fuse.internal.mount.MountTable;
import io.arbiterfs.fuse.internal.mount.Mounter;
import io.arbiterfs.fuse.internal.nativeio.Sys;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.NativeString;
import io.arbiterfs.fuse.platform.StatBuffer;
import io.arbiterfs.fuse.internal.transport.Session;
import io.arbiterfs.fuse.internal.transport.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live mount: the kernel attachment plus the session serving it. {@link #mount} returns only once
 * the mount answers a stat; {@link #close} unmounts and waits for the workers to end.
 */
public final class FuseMount implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FuseMount.class);
    private static final Sys libc = Sys.get();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Path mountpoint;
    private final String type;
    private final Session session;
    private volatile long connectionId = -1;

    private FuseMount(Path mountpoint, String type, Session session) {
        this.mountpoint = mountpoint;
        this.type = type;
        this.session = session;
    }

    public static FuseMount mount(FuseFileSystem fs, MountSpec spec, SessionOptions sessionOptions) throws IOException {
        Path mp = spec.mountpoint().toAbsolutePath().normalize();
        String fsname = spec.fsname();
        if (MountTable.at(mp).map(e -> e.type().startsWith("fuse")).orElse(false)) {
            throw new IOException("mountpoint " + mp + " is busy: a FUSE file system is already mounted there");
        }
        int fd = Mounter.mount(spec);
        Session session = new Session(fs, sessionOptions);
        FuseMount m = new FuseMount(mp, spec.type(), session);
        try {
            session.start(fd, mp.getFileName() == null ? "root" : mp.getFileName().toString());
            m.awaitAnswer();
        } catch (IOException | RuntimeException e) {
            m.abortQuietly();
            throw e;
        }
        log.info("mounted {} on {}", fsname, mp);
        return m;
    }

    /** Stat the mountpoint from another thread: it returns once INIT and a GETATTR went through. */
    private void awaitAnswer() throws IOException {
        CompletableFuture<Long> stat = CompletableFuture.supplyAsync(() -> {
            StatBuffer st = new StatBuffer();
            NativeString path = NativeString.of(mountpoint.toString());
            int r = libc.fstatat(-100, path.address(), st.address(), 0);
            long result = r == 0 ? st.dev() : -Native.errno();
            java.lang.ref.Reference.reachabilityFence(path);
            return result;
        });
        try {
            long dev = stat.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (dev < 0) {
                throw new IOException("mount at " + mountpoint + " does not answer: stat failed with errno " + -dev);
            }
            connectionId = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        } catch (TimeoutException e) {
            throw new IOException("mount at " + mountpoint + " did not answer within " + READY_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException("mount at " + mountpoint + " does not answer", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the mount to answer", e);
        }
    }

    public Path mountpoint() {
        return mountpoint;
    }

    public Session session() {
        return session;
    }

    /** Blocks until the mount is gone (unmounted from outside or by {@link #close}). */
    public void awaitUnmounted() throws InterruptedException {
        while (!session.awaitFinished(1, TimeUnit.DAYS)) {
            // keep waiting
        }
    }

    /**
     * Unmounts; a busy mount is detached lazily, and if its files stay open longer than
     * {@code grace} the connection is aborted so the daemon can exit (open files then fail with
     * ENOTCONN, as after a crash).
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

    @Override
    public void close() throws IOException {
        unmount(Duration.ofSeconds(5));
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
