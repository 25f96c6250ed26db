package io.arbiterfs.daemon.arbitration;

import io.arbiterfs.daemon.arbitration.ArbitratedOpen.Kind;
import io.arbiterfs.daemon.arbitration.PathPolicy.Mode;
import io.arbiterfs.fuse.AttributeReply;
import io.arbiterfs.fuse.Connection;
import io.arbiterfs.fuse.CreateArgs;
import io.arbiterfs.fuse.DataView;
import io.arbiterfs.fuse.DirectoryListing;
import io.arbiterfs.fuse.Entry;
import io.arbiterfs.fuse.Feature;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.HandleWrappingFileSystem;
import io.arbiterfs.fuse.FsStats;
import io.arbiterfs.fuse.LockArgs;
import io.arbiterfs.fuse.LockReply;
import io.arbiterfs.fuse.Name;
import io.arbiterfs.fuse.OpenArgs;
import io.arbiterfs.fuse.OpenReply;
import io.arbiterfs.fuse.ReplyBuffer;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.SetAttributes;
import io.arbiterfs.fuse.WriteArgs;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.locking.Caller;
import io.arbiterfs.locking.ExclusiveReason;
import io.arbiterfs.locking.InodeSnapshot;
import io.arbiterfs.locking.IoModeTable;
import io.arbiterfs.locking.OpenDecision;
import io.arbiterfs.locking.WriteGrant;
import io.arbiterfs.locking.WriteIntent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IO-mode arbitration as a decorator of any file system: every data path of the wrapped file system is judged by
 * one model per inode ({@link io.arbiterfs.locking.InodeIoMode}, the server's mirror of the kernel's fs/fuse/iomode.c).
 * OPEN/CREATE replies carry only flags the kernel accepts for the inode's IO mode (so an open never fails with EIO);
 * direct WRITEs run shared (in parallel) or exclusive by the lock decision against the file system's own size; size
 * changes run exclusive; writeback WRITEs mark the inode as page-cache backed; and after an exclusive direct write on a
 * file that page-cache readers also hold, the written range is dropped from their cache before the write is answered.
 *
 * <p>The wrapped file system is asked only {@link ArbitrationFacts}. Handles become {@link ArbitratedOpen}s around the
 * wrapped ones, each pointing at its inode's {@link ArbitratedInode}: a WRITE looks nothing up.
 *
 * @param <F> the wrapped file system's open-file handle type
 * @param <D> its open-directory handle type (passed through)
 */
public final class IoModeArbiter<F, D> extends HandleWrappingFileSystem<ArbitratedOpen<F>, F, D> {
    private static final Logger log = LoggerFactory.getLogger(IoModeArbiter.class);
    private static final Duration CACHED_OPEN_WAIT = Duration.ofSeconds(5);
    private static final Duration LOCK_WAIT = Duration.ofSeconds(60);
    private static final int RECENTLY_CLOSED = 64;

    private final ArbitrationFacts<F> facts;
    private final OpenPolicy policy;
    private final Function<Connection, Optional<PageCacheWatch>> watchFactory;
    private final ConcurrentHashMap<Long, ArbitratedInode> inodes = new ConcurrentHashMap<>();
    private final Map<Long, InodeSnapshot> recentlyClosed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, InodeSnapshot> eldest) {
            return size() > RECENTLY_CLOSED;
        }
    };
    private final ThreadLocal<WriteScratch> writeScratch = ThreadLocal.withInitial(WriteScratch::new);
    private volatile Connection conn;
    private volatile PageCacheWatch watch;

    /**
     * @param watchFactory makes the watch of page-cache opens once the connection is up (empty: none), e.g. the
     *                     SOURCE watcher
     */
    public IoModeArbiter(FileSystem<F, D> inner, ArbitrationFacts<F> facts, OpenPolicy policy,
                         Function<Connection, Optional<PageCacheWatch>> watchFactory) {
        super(inner);
        this.facts = facts;
        this.policy = policy;
        this.watchFactory = watchFactory;
    }

    /** A decorator without a page-cache watch. */
    public IoModeArbiter(FileSystem<F, D> inner, ArbitrationFacts<F> facts, OpenPolicy policy) {
        this(inner, facts, policy, c -> Optional.empty());
    }

    /** Per request thread, reused by every direct WRITE: the write path allocates nothing. */
    private final class WriteScratch implements LongSupplier {
        final WriteGrant grant = WriteGrant.reusable();
        long node;
        F file;
        ArbitratedInode inode;
        /** Where the write ends: within the inode's known size, the file system need not be asked. */
        long end;

        /** The size for the lock decision, asked with the shared side held (no size change of the mount can run). */
        @Override
        public long getAsLong() {
            long known = inode.knownSize;
            if (known >= end) {
                return known;
            }
            long size = facts.size(node, file);
            inode.knownSize = size; // concurrent shared writers store the same size, or a smaller one: never too high
            return size;
        }
    }

    // ---- life cycle --------------------------------------------------------------------------------------

    @Override
    public void init(Connection connection) {
        this.conn = connection;
        this.watch = watchFactory.apply(connection).orElse(null);
        delegate.init(connection);
    }

    @Override
    public void destroy() {
        PageCacheWatch w = watch;
        if (w != null) {
            w.close();
            watch = null;
        }
        Connection c = conn;
        for (ArbitratedInode a : inodes.values()) {
            if (a.backingId > 0 && c != null) {
                c.closeBacking(a.backingId);
            }
        }
        inodes.clear();
        delegate.destroy();
    }

    // ---- status ------------------------------------------------------------------------------------------

    /** The state of {@code node}: live, or its final picture if it recently lost its last user. */
    public Optional<InodeSnapshot> snapshot(long node) {
        ArbitratedInode a = inodes.get(node);
        if (a != null) {
            return Optional.of(a.snapshot(true));
        }
        synchronized (recentlyClosed) {
            return Optional.ofNullable(recentlyClosed.get(node));
        }
    }

    /** Pictures of all inodes in use. */
    public List<InodeSnapshot> snapshots() {
        List<InodeSnapshot> out = new ArrayList<>();
        for (ArbitratedInode a : inodes.values()) {
            out.add(a.snapshot(true));
        }
        return out;
    }

    /** Final pictures of recently closed inodes, least recently looked at first. */
    public List<InodeSnapshot> recentlyClosed() {
        synchronized (recentlyClosed) {
            return List.copyOf(recentlyClosed.values());
        }
    }

    /** Inodes the arbitration holds state for right now. */
    public int liveInodes() {
        return inodes.size();
    }

    /** Starts a new measurement of write concurrency on every inode. */
    public void resetPeaks() {
        inodes.values().forEach(a -> a.mode.resetPeak());
        synchronized (recentlyClosed) {
            recentlyClosed.clear();
        }
    }

    /** Invalidations pushed for changes made behind the mount; -1 if nothing watches. */
    public long sourceChangesPushed() {
        PageCacheWatch w = watch;
        return w == null ? -1 : w.pushed();
    }

    /** The path of {@code node}, from the wrapped file system. */
    public Optional<String> path(long node) {
        return facts.path(node);
    }

    // ---- inode lifetime ----------------------------------------------------------------------------------

    /** The inode's state, created if needed, with one more user. */
    private ArbitratedInode hold(long node) {
        return inodes.compute(node, (n, a) -> {
            ArbitratedInode held = a != null ? a : new ArbitratedInode(n);
            held.users++;
            return held;
        });
    }

    /** One user fewer; the last one retires the state unless a backing id keeps it until FORGET. */
    private void letGo(ArbitratedInode held) {
        inodes.computeIfPresent(held.node, (n, a) -> {
            if (a != held) {
                return a;
            }
            if (--a.users > 0 || a.backingId > 0) {
                return a;
            }
            retired(a);
            return null;
        });
    }

    private void retired(ArbitratedInode a) {
        InodeSnapshot last = a.snapshot(false);
        synchronized (recentlyClosed) {
            recentlyClosed.put(a.node, last);
        }
    }

    @Override
    public void forget(long node, long lookups) {
        delegate.forget(node, lookups);
        if (facts.known(node)) {
            return;
        }
        int[] closing = {0};
        inodes.computeIfPresent(node, (n, a) -> {
            closing[0] = a.backingId;
            a.backingId = 0;
            if (a.users > 0) {
                return a; // opens outlive the lookups (the kernel still sends their RELEASE)
            }
            retired(a);
            return null;
        });
        Connection c = conn;
        if (closing[0] > 0 && c != null) {
            c.closeBacking(closing[0]);
        }
    }

    // ---- opens -------------------------------------------------------------------------------------------

    @Override
    public int open(Request req, long node, OpenArgs args, OpenReply<ArbitratedOpen<F>> out) {
        Capture<F> inner = new Capture<>();
        int rc = delegate.open(req, node, args, inner);
        return rc < 0 ? rc : arbitrate(req, node, args.flags(), inner, out);
    }

    @Override
    public int create(Request req, long parent, Name name, CreateArgs args, Entry entry,
                      OpenReply<ArbitratedOpen<F>> out) {
        Capture<F> inner = new Capture<>();
        int rc = delegate.create(req, parent, name, args, entry, inner);
        return rc < 0 ? rc : arbitrate(req, entry.node(), args.flags(), inner, out);
    }

    @Override
    public int tmpfile(Request req, long parent, CreateArgs args, Entry entry, OpenReply<ArbitratedOpen<F>> out) {
        Capture<F> inner = new Capture<>();
        int rc = delegate.tmpfile(req, parent, args, entry, inner);
        return rc < 0 ? rc : arbitrate(req, entry.node(), args.flags(), inner, out);
    }

    /** Decides the reply flags of a fresh open and counts it in the inode's IO-mode state; never fails the open. */
    private int arbitrate(Request req, long node, int userFlags, Capture<F> innerReply, OpenReply<ArbitratedOpen<F>> out) {
        F handle = innerReply.handle();
        boolean append = (userFlags & Linux.O_APPEND) != 0;
        if (!facts.isRegularFile(node, handle)) {
            // IO modes concern regular files only: pass the wrapped file system's answer on
            innerReply.copyTo(out).handle(new ArbitratedOpen<>(handle, null, Kind.NONE, innerReply.parallelDirectWrites(),
                    innerReply.directIo(), append, false));
            return 0;
        }
        out.keepCache(innerReply.keepCache()).nonSeekable(innerReply.nonSeekable());
        Caller who = new Caller(req.pid(), ProcessNames.of(req.pid()));
        Mode wanted = policy.wanted(policy.needsPath() ? facts.path(node).orElse(null) : null, userFlags);
        ArbitratedInode a = hold(node);
        a.knownSize = ArbitratedInode.SIZE_UNKNOWN; // the open may have truncated (O_TRUNC), or the file changed behind us
        Answer answer = switch (wanted) {
            case PASSTHROUGH -> passthroughOpen(a, node, handle, who, false, false);
            case CACHED -> cachedOpenOrDirect(a, who);
            // on a passthrough mount direct opens are passthrough opens too (with DIRECT_IO beside): the kernel keeps
            // an inode's backing file while any such open or parallel write lives, and refuses every open without
            // FOPEN_PASSTHROUGH meanwhile
            case DIRECT, PARALLEL -> policy.passthrough()
                    ? passthroughOpen(a, node, handle, who, true, wanted == Mode.PARALLEL)
                    : directOpen(a, who, wanted == Mode.PARALLEL);
        };
        boolean watched = false;
        PageCacheWatch w = watch;
        if (w != null && answer.kind == Kind.CACHED) {
            int fd = facts.backingFd(node, handle);
            if (fd >= 0) {
                w.watch(node, fd);
                watched = true;
            }
        }
        out.directIo(answer.direct).parallelDirectWrites(answer.parallel).passthrough(answer.backingId)
                .handle(new ArbitratedOpen<>(handle, a, answer.kind, answer.parallel, answer.direct, append, watched));
        return 0;
    }

    /** How an open is answered and counted. */
    private record Answer(Kind kind, boolean parallel, boolean direct, int backingId) {}

    private Answer passthroughOpen(ArbitratedInode a, long node, F handle, Caller who, boolean direct, boolean parallel) {
        int id = backingFor(a, node, handle);
        if (id <= 0) {
            log.debug("no backing file for node {} (errno {}): not a passthrough open", node, -id);
            return direct ? directOpen(a, who, parallel) : cachedOpenOrDirect(a, who);
        }
        OpenDecision d = a.mode.passthroughOpen(id, who);
        if (d.passthrough()) {
            return new Answer(Kind.PASSTHROUGH, parallel, direct, d.backingId());
        }
        // page-cache users (row 11): this open joins them instead
        return direct ? directOpen(a, who, parallel) : cachedOpenOrDirect(a, who);
    }

    /**
     * The inode's one backing id, registered on first use and kept until the kernel forgets the inode. Not closed at
     * the last release: the kernel may keep the inode's backing file a little longer (until parallel writes in flight
     * end), and an open answered with a *new* id meanwhile would fail with EIO; reusing the id is always accepted.
     */
    private int backingFor(ArbitratedInode a, long node, F handle) {
        Connection c = conn;
        if (c == null || !c.has(Feature.PASSTHROUGH)) {
            return -Errno.ENOSYS;
        }
        synchronized (a) {
            if (a.backingId == 0) {
                int fd = facts.backingFd(node, handle);
                int registered = fd < 0 ? -Errno.EBADF : c.openBacking(fd);
                if (registered <= 0) {
                    return registered < 0 ? registered : -Errno.EPERM;
                }
                a.backingId = registered;
            }
            return a.backingId;
        }
    }

    /**
     * A page-cache open. If the inode is passthrough the kernel insists on the same backing id; if draining the
     * parallel writes takes too long, answer with direct IO (always acceptable to the kernel outside passthrough)
     * rather than fail the open, which may be a CREATE whose entry the kernel has already been promised.
     */
    private Answer cachedOpenOrDirect(ArbitratedInode a, Caller who) {
        OpenDecision d = a.mode.cachedOpen(who, IoModeTable.deadlineIn(CACHED_OPEN_WAIT));
        switch (d.outcome()) {
            case GRANTED:
                return new Answer(Kind.CACHED, false, false, 0);
            case MUST_USE_PASSTHROUGH:
                return new Answer(Kind.PASSTHROUGH, false, false, d.backingId());
            default:
                Thread.interrupted(); // INTERRUPTED sets the flag again; request threads are never Thread-interrupted
                log.warn("node {}: {} waited {} s for parallel writes to drain; answering with direct IO",
                        a.node, who, CACHED_OPEN_WAIT.toSeconds());
                return directOpen(a, who, false);
        }
    }

    private Answer directOpen(ArbitratedInode a, Caller who, boolean parallel) {
        OpenDecision d = a.mode.directOpen(who);
        if (d.passthrough()) {
            // a passthrough inode: every open must name its backing id; DIRECT_IO may ride along
            return new Answer(Kind.PASSTHROUGH, parallel, true, d.backingId());
        }
        return new Answer(Kind.DIRECT, parallel, true, 0);
    }

    @Override
    public int release(Request req, long node, ArbitratedOpen<F> open, int flags) {
        if (open == null) {
            return delegate.release(req, node, null, flags);
        }
        int rc = delegate.release(req, node, open.inner, flags);
        ArbitratedInode a = open.inode;
        if (a != null) {
            Caller who = Caller.pid(req.pid());
            switch (open.kind) {
                case CACHED -> {
                    a.mode.cachedRelease(who);
                    PageCacheWatch w = watch;
                    if (w != null && open.watched) {
                        w.unwatch(a.node, facts.backingFd(node, open.inner));
                    }
                }
                case DIRECT -> a.mode.directRelease(who);
                case PASSTHROUGH -> a.mode.passthroughRelease(who); // the id lives until FORGET
                case NONE -> { }
            }
            letGo(a);
        }
        return rc;
    }

    // ---- writes and size changes ---------------------------------------------------------------------------

    @Override
    public int write(Request req, long node, ArbitratedOpen<F> open, WriteArgs args, DataView data) {
        if (open == null) {
            return delegate.write(req, node, null, args, data);
        }
        ArbitratedInode a = open.inode;
        if (a == null) {
            return delegate.write(req, node, open.inner, args, data);
        }
        if (args.isWriteback()) {
            // page-cache writeback: a shared mapping or cached writer exists, whatever the handle says
            a.mode.notePageCacheWrite();
            return delegate.write(req, node, open.inner, args, data);
        }
        if (!open.direct) {
            return delegate.write(req, node, open.inner, args, data); // write-through from the page cache: the kernel serializes it
        }
        WriteScratch scratch = writeScratch.get();
        scratch.node = node;
        scratch.file = open.inner;
        scratch.inode = a;
        scratch.end = args.offset() + Integer.toUnsignedLong(args.size());
        int n;
        boolean exclusive;
        try (WriteGrant g = a.mode.beginWrite(new WriteIntent(open.parallel, open.append, args.offset(),
                Integer.toUnsignedLong(args.size())), scratch, IoModeTable.deadlineIn(LOCK_WAIT), scratch.grant)) {
            if (!g.acquired()) {
                log.warn("WRITE on node {} gave up waiting for the inode lock ({})", node, g.outcome());
                return -Errno.EINTR;
            }
            n = delegate.write(req, node, open.inner, args, data);
            exclusive = !g.shared();
        } finally {
            scratch.file = null;
            scratch.inode = null;
        }
        if (n > 0 && exclusive) {
            dropStalePages(a, node, args.offset(), n); // after the lock is released: other writers go on
        }
        return n;
    }

    /**
     * A direct write on an inode that page-cache readers also use: the kernel dropped the range's pages when it sent
     * the WRITE, but with async direct IO a buffered reader can read the old data back in before the write lands
     * (xfstests generic/451). Dropping the range again once the data is in the file, before the WRITE is answered,
     * leaves no stale page behind. Only exclusive writes can meet page-cache users (a shared grant is never given
     * beside them).
     */
    private void dropStalePages(ArbitratedInode a, long node, long offset, int length) {
        Connection c = conn;
        if (c == null || !a.mode.hasCachedOpens()) {
            return;
        }
        // Waiting here ties up this request thread until pages being read in are filled and dirty pages written back,
        // which other request threads must answer: the engine lets only some wait at once and queues the rest (a
        // smaller window for a stale page, never a deadlock).
        c.invalidateDataNow(node, offset, length);
    }

    @Override
    public int setattr(Request req, long node, ArbitratedOpen<F> open, SetAttributes changes, AttributeReply out) {
        F file = open == null ? null : open.inner;
        if (!changes.setsSize()) {
            return delegate.setattr(req, node, file, changes, out);
        }
        ArbitratedInode a = hold(node);
        try (WriteGrant g = a.mode.beginExclusive(ExclusiveReason.TRUNCATE, IoModeTable.deadlineIn(LOCK_WAIT), null)) {
            if (!g.acquired()) {
                return -Errno.EINTR;
            }
            try {
                return delegate.setattr(req, node, file, changes, out);
            } finally {
                a.knownSize = ArbitratedInode.SIZE_UNKNOWN;
            }
        } finally {
            letGo(a);
        }
    }

    @Override
    public int fallocate(Request req, long node, ArbitratedOpen<F> open, int mode, long offset, long length) {
        F file = open == null ? null : open.inner;
        ArbitratedInode a = hold(node);
        try (WriteGrant g = a.mode.beginExclusive(ExclusiveReason.FALLOCATE, IoModeTable.deadlineIn(LOCK_WAIT), null)) {
            if (!g.acquired()) {
                return -Errno.EINTR;
            }
            try {
                return delegate.fallocate(req, node, file, mode, offset, length);
            } finally {
                a.knownSize = ArbitratedInode.SIZE_UNKNOWN;
            }
        } finally {
            letGo(a);
        }
    }

    @Override
    public long copyFileRange(Request req, long nodeIn, ArbitratedOpen<F> in, long offsetIn, long nodeOut,
                              ArbitratedOpen<F> out, long offsetOut, long length, int flags) {
        F src = in == null ? null : in.inner;
        F dst = out == null ? null : out.inner;
        ArbitratedInode a = hold(nodeOut);
        try (WriteGrant g = a.mode.beginExclusive(ExclusiveReason.COPY_FILE_RANGE_DST, IoModeTable.deadlineIn(LOCK_WAIT),
                null)) {
            if (!g.acquired()) {
                return -Errno.EINTR;
            }
            try {
                return delegate.copyFileRange(req, nodeIn, src, offsetIn, nodeOut, dst, offsetOut, length, flags);
            } finally {
                a.knownSize = ArbitratedInode.SIZE_UNKNOWN;
            }
        } finally {
            letGo(a);
        }
    }

    @Override
    protected F unwrap(ArbitratedOpen<F> open) {
        return open == null ? null : open.inner;
    }
}
