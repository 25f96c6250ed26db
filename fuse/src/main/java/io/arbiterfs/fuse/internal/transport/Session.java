package io.arbiterfs.fuse.internal.transport;

import io.arbiterfs.fuse.Connection;
import io.arbiterfs.fuse.Feature;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.internal.abi.InitIn;
import io.arbiterfs.fuse.internal.abi.InitOut;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.internal.dispatch.Exchange;
import io.arbiterfs.fuse.internal.dispatch.InitNegotiation;
import io.arbiterfs.fuse.internal.dispatch.OpTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FUSE connection: its workers, the INIT negotiation, interrupts, and the end of it all.
 * The session fd comes from a mount; the session clones one descriptor per extra worker.
 */
public final class Session implements OpTable.Control {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final FileSystem<?, ?> fs;
    private final SessionOptions options;
    private final OpTable<?, ?> table;
    private final List<Worker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Integer> fds = new ArrayList<>();
    private final CountDownLatch initDone = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile SessionConnection connection;
    private Notifier notifier;
    private Thread notifierThread;
    private volatile boolean destroyed;
    private int running;

    public Session(FileSystem<?, ?> fs, SessionOptions options) {
        this.fs = fs;
        this.options = options;
        this.table = new OpTable<>(fs, this);
    }

    /** The settled connection, once INIT is done. */
    public final class SessionConnection implements Connection {
        private final int minor;
        private final long flags;

        private final java.util.Set<Feature> granted;

        SessionConnection(int minor, long flags) {
            this.minor = minor;
            this.flags = flags;
            this.granted = java.util.Set.copyOf(Feature.of(flags));
        }

        @Override
        public int minor() {
            return minor;
        }

        /** The granted INIT flag word (flags | flags2 << 32). */
        public long flags() {
            return flags;
        }

        @Override
        public java.util.Set<Feature> granted() {
            return granted;
        }

        @Override
        public boolean has(Feature feature) {
            return (flags & feature.bit()) != 0;
        }

        @Override
        public String transport() {
            return "/dev/fuse (" + options.workers() + " threads)";
        }

        @Override
        public void invalidateAttributes(long node) {
            notifier.invalidate(node, -1, 0);
        }

        @Override
        public int maxWrite() {
            return options.maxWrite();
        }

        @Override
        public void invalidateData(long node, long offset, long length) {
            notifier.invalidate(node, offset, length);
        }

        @Override
        public int requestThreads() {
            return options.workers();
        }

        @Override
        public boolean invalidateDataNow(long node, long offset, long length) {
            return notifier.invalidateNow(node, offset, length);
        }

        @Override
        public int openBacking(int fd) {
            return BackingFiles.open(fds.get(0), fd);
        }

        @Override
        public int closeBacking(int backingId) {
            return BackingFiles.close(fds.get(0), backingId);
        }
    }

    /** Starts the workers on {@code sessionFd} (which the session now owns) and its clones. */
    public synchronized void start(int sessionFd, String name) throws IOException {
        fds.add(sessionFd);
        for (int i = 1; i < options.workers(); i++) {
            fds.add(FuseDevice.cloneOf(sessionFd));
        }
        running = fds.size();
        notifier = new Notifier(sessionFd);
        notifierThread = new Thread(notifier, "fuse-" + name + "-notify");
        notifierThread.setDaemon(true);
        notifierThread.start();
        for (int i = 0; i < fds.size(); i++) {
            Worker w = new Worker(fds.get(i), table, options.maxWrite(), this::workerExited);
            workers.add(w);
            Thread t = new Thread(w, "fuse-" + name + "-" + i);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    private synchronized void workerExited() {
        if (--running == 0) {
            notifier.stop();
            try {
                notifierThread.join(2000); // it writes to the session fd, which is closed next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fds.forEach(FuseDevice::close);
            endFileSystem();
            finished.countDown();
        }
    }

    public boolean awaitInit(long timeout, TimeUnit unit) throws InterruptedException {
        return initDone.await(timeout, unit);
    }

    /** Waits until every worker has stopped (the connection is gone). */
    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    public boolean isFinished() {
        return finished.getCount() == 0;
    }

    public SessionConnection connection() {
        return connection;
    }

    public int workerCount() {
        return workers.size();
    }

    @Override
    public int init(Exchange x, InitIn in, int bodyLength) {
        long offered = InitNegotiation.offeredFlags(in, bodyLength);
        InitOut out = x.initReply();
        InitNegotiation.Result r = InitNegotiation.negotiate(in.major(), in.minor(), in.maxReadahead(), offered,
                options.wantedFlags(), options.maxWrite(), options.maxStackDepth(), out);
        if (r == null) {
            log.error("kernel speaks FUSE {}.{}; arbiterfs needs 7.{} or newer", in.major(), in.minor(), InitNegotiation.MIN_MINOR);
            return -71; // EPROTO
        }
        if (r.minor() < 0) {
            return r.replySize();
        }
        SessionConnection c = new SessionConnection(r.minor(), r.flags());
        connection = c;
        log.info("FUSE {}.{} negotiated (kernel offers 7.{}), flags {}", 7, r.minor(), in.minor(), Long.toHexString(r.flags()));
        fs.init(c);
        initDone.countDown();
        return r.replySize();
    }

    @Override
    public int interrupt(long unique) {
        for (Worker w : workers) {
            if (w.exchange().request().interrupt(unique)) {
                log.debug("request {} interrupted", unique);
                return 0;
            }
        }
        // not running yet (or already answered): the kernel re-sends the interrupt on EAGAIN
        return -Errno.EAGAIN;
    }

    @Override
    public void destroy() {
        endFileSystem();
    }

    /** Once: releases what the kernel left open, then destroys the file system. */
    private synchronized void endFileSystem() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        try {
            table.releaseRemaining();
            fs.destroy();
        } catch (RuntimeException e) {
            log.warn("file system destroy failed", e);
        }
    }
}
