package io.arbiterfs.fuse.internal.transport;

import io.arbiterfs.fuse.Connection;
import io.arbiterfs.fuse.Feature;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.TransportStatus;
import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.fuse.internal.abi.InitIn;
import io.arbiterfs.fuse.internal.abi.InitOut;
import io.arbiterfs.fuse.internal.dispatch.Exchange;
import io.arbiterfs.fuse.internal.dispatch.InitNegotiation;
import io.arbiterfs.fuse.internal.dispatch.OpTable;
import io.arbiterfs.fuse.internal.dispatch.RequestContext;
import io.arbiterfs.fuse.internal.uring.UringTransport;
import io.arbiterfs.fuse.platform.Errno;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FUSE connection: its /dev/fuse workers, the io_uring rings when the kernel offers them and the mount wants
 * them, the INIT negotiation, interrupts, and the end of it all. The session fd comes from a mount; the session
 * clones one descriptor per extra worker. The /dev/fuse workers run for the whole connection: on io_uring they serve
 * FUSE_INTERRUPT, FORGET and BATCH_FORGET (which the kernel never puts on the ring) and whatever arrives before the
 * rings are ready.
 */
public final class Session implements OpTable.Control {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final String URING_PARAMETER = "/sys/module/fuse/parameters/enable_uring";
    /** Interrupts for requests not (yet) seen: a ring request may be interrupted before its thread picks it up. */
    private static final int PENDING_INTERRUPTS = 1024;

    private final FileSystem<?, ?> fs;
    private final SessionOptions options;
    private final OpTable<?, ?> table;
    private final List<Worker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Integer> fds = new ArrayList<>();
    private final CountDownLatch initDone = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Map<Long, Boolean> pendingInterrupts = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > PENDING_INTERRUPTS;
        }
    };
    /** Size of {@link #pendingInterrupts}, read without its lock: almost always 0, so ring requests skip the lock. */
    private volatile int pendingInterruptCount;
    private volatile SessionConnection connection;
    private volatile UringTransport uring;
    private volatile String uringNote;
    private Notifier notifier;
    private Thread notifierThread;
    private String name;
    private boolean destroyed;
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
        private final Set<Feature> granted;
        private final Semaphore devWaiters;
        private final Semaphore[] queueWaiters;

        SessionConnection(int minor, long flags, UringTransport ring) {
            this.minor = minor;
            this.flags = flags;
            this.granted = Set.copyOf(Feature.of(flags));
            // a thread waiting inside a data invalidation needs others to answer the READs and writeback it waits
            // for: leave two /dev/fuse workers free, and one ring thread per queue (a request only reaches its queue)
            this.devWaiters = new Semaphore(Math.max(0, (options.workers() - 2) / 2));
            int perQueue = ring == null ? 0 : Math.max(0, ring.threadsPerQueue() - 1);
            this.queueWaiters = new Semaphore[ring == null ? 0 : ring.queues()];
            for (int q = 0; q < queueWaiters.length; q++) {
                queueWaiters[q] = new Semaphore(perQueue);
            }
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
        public Set<Feature> granted() {
            return granted;
        }

        @Override
        public boolean has(Feature feature) {
            return (flags & feature.bit()) != 0;
        }

        @Override
        public int maxWrite() {
            return options.maxWrite();
        }

        @Override
        public int requestThreads() {
            UringTransport u = uring;
            return u != null ? u.threadCount() : options.workers();
        }

        @Override
        public TransportStatus transport() {
            UringTransport u = uring;
            if (u == null) {
                return new TransportStatus("/dev/fuse", 0, 0, 0, List.of(), options.workers(), uringNote);
            }
            List<Long> served = new ArrayList<>();
            for (long n : u.servedPerQueue()) {
                served.add(n);
            }
            return new TransportStatus("io_uring", u.queues(), u.threadsPerQueue(), u.depth(), served, options.workers(),
                    null);
        }

        @Override
        public void invalidateData(long node, long offset, long length) {
            notifier.invalidate(node, offset, length);
        }

        @Override
        public void invalidateAttributes(long node) {
            notifier.invalidate(node, -1, 0);
        }

        @Override
        public boolean invalidateDataNow(long node, long offset, long length) {
            int q = UringTransport.currentQueue();
            Semaphore s = q >= 0 && q < queueWaiters.length ? queueWaiters[q] : devWaiters;
            if (!s.tryAcquire()) {
                notifier.invalidate(node, offset, length);
                return false;
            }
            try {
                return notifier.invalidateNow(node, offset, length);
            } finally {
                s.release();
            }
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
        this.name = name;
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
            Worker w = new Worker(fds.get(i), table, options.maxWrite(), this::workerExited, this::initReplied);
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

    /** Waits until every worker and ring thread has stopped (the connection is gone). */
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
        UringTransport u = uring;
        return workers.size() + (u == null ? 0 : u.threadCount());
    }

    @Override
    public int init(Exchange x, InitIn in, int bodyLength) {
        long offered = InitNegotiation.offeredFlags(in, bodyLength);
        InitOut out = x.initReply();
        long wanted = options.wantedFlags() | (options.ring().wanted() ? FuseConst.OVER_IO_URING : 0);
        InitNegotiation.Result r = InitNegotiation.negotiate(in.major(), in.minor(), in.maxReadahead(), offered,
                wanted, options.maxWrite(), options.maxStackDepth(), out);
        if (r == null) {
            log.error("kernel speaks FUSE {}.{}; arbiterfs needs 7.{} or newer", in.major(), in.minor(), InitNegotiation.MIN_MINOR);
            return -71; // EPROTO
        }
        if (r.minor() < 0) {
            return r.replySize();
        }
        long granted = r.flags();
        if (options.ring().wanted()) {
            granted = prepareRing(offered, granted, out);
        }
        SessionConnection c = new SessionConnection(r.minor(), granted, uring);
        connection = c;
        log.info("FUSE {}.{} negotiated (kernel offers 7.{}), flags {}, {}", 7, r.minor(), in.minor(),
                Long.toHexString(granted), c.transport());
        fs.init(c);
        initDone.countDown();
        return r.replySize();
    }

    /**
     * The rings are made before the INIT reply, so that the reply only asks for io_uring when every queue can be
     * registered (a connection promised io_uring whose queues never all register hangs every request).
     */
    private long prepareRing(long offered, long granted, InitOut out) {
        if ((offered & FuseConst.OVER_IO_URING) == 0) {
            uringNote = "the kernel does not offer FUSE over io_uring; " + URING_PARAMETER + " is " + parameter();
            log.warn("io_uring wanted but the kernel does not offer it ({} is {}: echo Y > {} to enable it); serving on /dev/fuse",
                    URING_PARAMETER, parameter(), URING_PARAMETER);
            return granted;
        }
        try {
            uring = UringTransport.prepare(name, fds.get(0), options.ring().threadsPerQueue(), options.ring().depth(),
                    options.maxWrite(), options.maxWrite() / 4096, options.ring().pin(), table, this::ringThreadExited);
            synchronized (this) {
                running += uring.threadCount();
            }
            return granted;
        } catch (IOException e) {
            uringNote = "io_uring setup failed: " + e.getMessage();
            log.warn("io_uring wanted and offered, but setting it up failed ({}); serving on /dev/fuse", e.getMessage());
            out.flags2((int) ((granted & ~FuseConst.OVER_IO_URING) >>> 32));
            return granted & ~FuseConst.OVER_IO_URING;
        }
    }

    private static String parameter() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(URING_PARAMETER)).strip();
        } catch (IOException e) {
            return "missing (no CONFIG_FUSE_IO_URING)";
        }
    }

    /** The INIT reply was written: the kernel has processed it, so the rings may register now. */
    private void initReplied() {
        UringTransport u = uring;
        if (u != null) {
            u.start();
        }
    }

    private void ringThreadExited() {
        workerExited();
    }

    @Override
    public int interrupt(long unique) {
        for (Worker w : workers) {
            if (w.exchange().request().interrupt(unique)) {
                log.debug("request {} interrupted", unique);
                return 0;
            }
        }
        UringTransport u = uring;
        if (u != null) {
            for (RequestContext r : u.requests()) {
                if (r.interrupt(unique)) {
                    log.debug("ring request {} interrupted", unique);
                    return 0;
                }
            }
            // maybe still in its entry, not picked up yet: the kernel will not send this interrupt again
            synchronized (pendingInterrupts) {
                pendingInterrupts.put(unique, Boolean.TRUE);
                pendingInterruptCount = pendingInterrupts.size();
            }
        }
        // not running yet (or already answered): on /dev/fuse the kernel re-sends the interrupt on EAGAIN
        return -Errno.EAGAIN;
    }

    @Override
    public boolean interruptedBeforeStart(long unique) {
        if (pendingInterruptCount == 0) {
            return false;
        }
        synchronized (pendingInterrupts) {
            boolean pending = pendingInterrupts.remove(unique) != null;
            pendingInterruptCount = pendingInterrupts.size();
            return pending;
        }
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
