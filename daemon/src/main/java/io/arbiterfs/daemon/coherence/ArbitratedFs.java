package io.arbiterfs.daemon.coherence;

import io.arbiterfs.daemon.coherence.OpenRecord.Kind;
import io.arbiterfs.daemon.coherence.PathPolicy.Mode;
import io.arbiterfs.fuse.FuseConnection;
import io.arbiterfs.fuse.Name;
import io.arbiterfs.fuse.Payload;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.internal.abi.AttrOut;
import io.arbiterfs.fuse.internal.abi.CopyFileRangeIn;
import io.arbiterfs.fuse.internal.abi.CreateIn;
import io.arbiterfs.fuse.internal.abi.EntryOut;
import io.arbiterfs.fuse.internal.abi.FallocateIn;
import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.fuse.internal.abi.OpenIn;
import io.arbiterfs.fuse.internal.abi.OpenOut;
import io.arbiterfs.fuse.internal.abi.ReleaseIn;
import io.arbiterfs.fuse.internal.abi.SetattrIn;
import io.arbiterfs.fuse.internal.abi.WriteIn;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.daemon.passthrough.Inode;
import io.arbiterfs.daemon.passthrough.PassthroughFs;
import io.arbiterfs.locking.Caller;
import io.arbiterfs.locking.ExclusiveReason;
import io.arbiterfs.locking.IoModeTable;
import io.arbiterfs.locking.OpenDecision;
import io.arbiterfs.locking.WriteGrant;
import io.arbiterfs.locking.WriteIntent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The passthrough file system with every data path arbitrated by one model, the {@link IoModeTable}:
 * OPEN/CREATE replies carry only flags the kernel will accept for the inode's IO mode, direct WRITEs
 * run shared (in parallel) or exclusive by the §3.2 decision against our own file size, size changes
 * run exclusive, and writeback WRITEs mark the inode as page-cache backed. The state is readable
 * as the xattrs {@value #IOMODE_XATTR} (any file) and {@value #STATUS_XATTR} (the root).
 */
public class ArbitratedFs extends PassthroughFs {
    private static final Logger log = LoggerFactory.getLogger(ArbitratedFs.class);

    public static final String IOMODE_XATTR = "user.arbiterfs.iomode";
    public static final String STATUS_XATTR = "user.arbiterfs.status";
    /** Suffix of the same status as text for people. */
    public static final String TEXT = ".text";
    /** Setting this on the root starts a new measurement of WRITE concurrency. */
    public static final String RESET_XATTR = "user.arbiterfs.reset_peak";

    private static final Duration CACHED_OPEN_WAIT = Duration.ofSeconds(5);
    private static final Duration LOCK_WAIT = Duration.ofSeconds(60);
    private static final String PREFIX = "user.arbiterfs.";

    private final IoModeTable table = new IoModeTable();
    private final OpenPolicy policy;
    private final ConcurrentHashMap<Long, OpenRecord> opens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Integer> backingIds = new ConcurrentHashMap<>();
    private final WriteConcurrency writes = new WriteConcurrency();
    /** Per worker, reused by every direct WRITE: the write path allocates nothing. */
    private record WriteScratch(SizeProbe size, WriteGrant grant) {}

    private final ThreadLocal<WriteScratch> writeScratch =
            ThreadLocal.withInitial(() -> new WriteScratch(new SizeProbe(), WriteGrant.reusable()));
    private volatile FuseConnection conn;
    private volatile java.util.concurrent.Semaphore invalidationWaiters = new java.util.concurrent.Semaphore(0);
    private final boolean watchSource;
    private volatile SourceWatcher watcher;

    /**
     * @param watchSource whether changes other programs make in SOURCE are pushed to page-cache
     *                    readers as they happen (see {@link SourceWatcher}) rather than at attribute expiry
     */
    public ArbitratedFs(Path source, Options options, OpenPolicy policy, boolean watchSource) throws IOException {
        super(source, options);
        this.policy = policy;
        this.watchSource = watchSource;
    }

    public IoModeTable ioModes() {
        return table;
    }

    @Override
    public void init(FuseConnection conn) {
        super.init(conn);
        this.conn = conn;
        // leave at least two workers free for the READs and writeback an invalidation may wait on
        this.invalidationWaiters = new java.util.concurrent.Semaphore(Math.max(0, (conn.workers() - 2) / 2));
        if (watchSource) {
            this.watcher = SourceWatcher.start(conn, "arbiterfs-source-watch").orElse(null);
        }
    }

    // ---- opens ---------------------------------------------------------------------------

    @Override
    public int open(Request req, long node, OpenIn in, OpenOut out) {
        int rc = super.open(req, node, in, out);
        return rc < 0 ? rc : arbitrate(req, node, in.flags(), out);
    }

    @Override
    public int create(Request req, long parent, Name name, CreateIn in, EntryOut entry, OpenOut open) {
        int rc = super.create(req, parent, name, in, entry, open);
        return rc < 0 ? rc : arbitrate(req, entry.nodeId(), in.flags(), open);
    }

    /** Decides the reply flags of a fresh open and counts it in the IO-mode table; never fails the open. */
    private int arbitrate(Request req, long node, int userFlags, OpenOut out) {
        Inode inode = inode(node).orElse(null);
        if (inode == null || !inode.isRegular()) {
            return 0; // IO modes concern regular files only
        }
        Caller who = new Caller(req.pid(), ProcessNames.of(req.pid()));
        Mode wanted = policy.wanted(policy.needsPath() ? pathOf(node).orElse(null) : null, userFlags);
        OpenRecord rec = switch (wanted) {
            case PASSTHROUGH -> passthroughOpen(node, inode, who, false, false);
            case CACHED -> cachedOpenOrDirect(node, who);
            // on a passthrough mount direct opens are passthrough opens too (with DIRECT_IO beside):
            // the kernel keeps an inode's backing file while any such open or parallel write lives,
            // and refuses every open without FOPEN_PASSTHROUGH meanwhile
            case DIRECT, PARALLEL -> policy.passthrough()
                    ? passthroughOpen(node, inode, who, true, wanted == Mode.PARALLEL)
                    : directOpen(node, who, wanted == Mode.PARALLEL);
        };
        int flags = (rec.direct() ? FuseConst.FOPEN_DIRECT_IO : 0)
                | (rec.parallel() ? FuseConst.FOPEN_PARALLEL_DIRECT_WRITES : 0)
                | (rec.backingId() > 0 ? FuseConst.FOPEN_PASSTHROUGH : 0);
        out.openFlags(flags).backingId(rec.backingId());
        opens.put(out.fh(), rec);
        SourceWatcher w = watcher;
        if (w != null && rec.kind() == Kind.CACHED) {
            w.watch(node, inode.fd());
        }
        return 0;
    }

    private OpenRecord passthroughOpen(long node, Inode inode, Caller who, boolean direct, boolean parallel) {
        int id = backingFor(node, inode);
        if (id <= 0) {
            log.debug("no backing file for node {} (errno {}): not a passthrough open", node, -id);
            return direct ? directOpen(node, who, parallel) : cachedOpenOrDirect(node, who);
        }
        OpenDecision d = table.passthroughOpen(node, id, who);
        if (d.passthrough()) {
            return new OpenRecord(node, Kind.PASSTHROUGH, parallel, direct, d.backingId());
        }
        // page-cache users (row 11): this open joins them instead
        return direct ? directOpen(node, who, parallel) : cachedOpenOrDirect(node, who);
    }

    /**
     * The inode's one backing id, registered on first use and kept until the kernel forgets the
     * inode. Not closed at the last release: the kernel may keep the inode's backing file a little
     * longer (until parallel writes in flight end), and an open answered with a *new* id meanwhile
     * would fail with EIO (contract §2.4 row 10); reusing the id is always accepted.
     */
    private int backingFor(long node, Inode inode) {
        FuseConnection c = conn;
        if (c == null || !c.has(FuseConst.PASSTHROUGH)) {
            return -Errno.ENOSYS;
        }
        Integer id = backingIds.computeIfAbsent(node, n -> {
            int registered = c.openBacking(inode.fd());
            return registered > 0 ? registered : null;
        });
        return id != null ? id : -Errno.EPERM;
    }

    @Override
    public void forget(long node, long nlookup) {
        super.forget(node, nlookup);
        if (inode(node).isEmpty()) {
            Integer id = backingIds.remove(node);
            FuseConnection c = conn;
            if (id != null && c != null) {
                c.closeBacking(id);
            }
        }
    }

    @Override
    public void destroy() {
        SourceWatcher w = watcher;
        if (w != null) {
            w.close();
            watcher = null;
        }
        FuseConnection c = conn;
        if (c != null) {
            backingIds.values().forEach(c::closeBacking);
        }
        backingIds.clear();
        super.destroy();
    }

    /**
     * A page-cache open. If the inode is passthrough the kernel insists on the same backing id; if
     * draining the parallel writes takes too long, answer with direct IO (always acceptable to the
     * kernel outside passthrough) rather than fail the open, which may be a CREATE whose entry the
     * kernel has already been promised.
     */
    private OpenRecord cachedOpenOrDirect(long node, Caller who) {
        OpenDecision d = table.cachedOpen(node, who, IoModeTable.deadlineIn(CACHED_OPEN_WAIT));
        switch (d.outcome()) {
            case GRANTED:
                return new OpenRecord(node, Kind.CACHED, false, false, 0);
            case MUST_USE_PASSTHROUGH:
                return new OpenRecord(node, Kind.PASSTHROUGH, false, false, d.backingId());
            default:
                Thread.interrupted(); // INTERRUPTED sets the flag again; workers are never Thread-interrupted

                log.warn("node {}: {} waited {} s for parallel writes to drain; answering with direct IO",
                        node, who, CACHED_OPEN_WAIT.toSeconds());
                return directOpen(node, who, false);
        }
    }

    private OpenRecord directOpen(long node, Caller who, boolean parallel) {
        OpenDecision d = table.directOpen(node, who);
        if (d.passthrough()) {
            // a passthrough inode: every open must name its backing id; DIRECT_IO may ride along
            return new OpenRecord(node, Kind.PASSTHROUGH, parallel, true, d.backingId());
        }
        return new OpenRecord(node, Kind.DIRECT, parallel, true, 0);
    }

    @Override
    public int release(Request req, long node, ReleaseIn in) {
        OpenRecord rec = opens.remove(in.fh());
        int rc = super.release(req, node, in);
        if (rec != null) {
            Caller who = Caller.pid(req.pid());
            switch (rec.kind()) {
                case CACHED -> {
                    table.cachedRelease(rec.node(), who);
                    SourceWatcher w = watcher;
                    if (w != null) {
                        inode(rec.node()).ifPresent(i -> w.unwatch(rec.node(), i.fd()));
                    }
                }
                case DIRECT -> table.directRelease(rec.node(), who);
                case PASSTHROUGH -> table.passthroughRelease(rec.node(), who); // the id lives until FORGET
            }
        }
        return rc;
    }

    // ---- writes and size changes -----------------------------------------------------------

    @Override
    public int write(Request req, long node, WriteIn in, long data) {
        if ((in.writeFlags() & FuseConst.WRITE_CACHE) != 0) {
            // page-cache writeback: a shared mapping or cached writer exists, whatever the fh says
            table.notePageCacheWrite(node);
            return timedWrite(req, node, in, data);
        }
        OpenRecord rec = opens.get(in.fh());
        if (rec == null || !rec.direct()) {
            return timedWrite(req, node, in, data); // write-through from the page cache: the kernel serializes it
        }
        boolean append = (in.flags() & Linux.O_APPEND) != 0;
        WriteScratch scratch = writeScratch.get();
        SizeProbe size = scratch.size().of(fdOf(in.fh()));
        int n;
        boolean exclusive;
        try (WriteGrant g = table.beginWrite(node, new WriteIntent(rec.parallel(), append, in.offset(),
                Integer.toUnsignedLong(in.size())), size, IoModeTable.deadlineIn(LOCK_WAIT), scratch.grant())) {
            if (!g.acquired()) {
                log.warn("WRITE on node {} gave up waiting for the inode lock ({})", node, g.outcome());
                return -Errno.EINTR;
            }
            n = timedWrite(req, node, in, data);
            exclusive = !g.shared();
        }
        if (n > 0 && exclusive) {
            dropStalePages(node, in.offset(), n); // after the lock is released: other writers go on
        }
        return n;
    }

    /**
     * A direct write on an inode that page-cache readers also use: the kernel dropped the range's
     * pages when it sent the WRITE, but with async direct IO a buffered reader can read the old data
     * back in before the write lands (xfstests generic/451). Dropping the range again once the data
     * is in the backing file, before the WRITE is answered, leaves no stale page behind. Only
     * exclusive writes can meet page-cache users (a shared grant is never given beside them).
     */
    private void dropStalePages(long node, long offset, int length) {
        FuseConnection c = conn;
        if (c == null || !table.hasCachedOpens(node)) {
            return;
        }
        // Invalidating ties up this worker until pages being read in are filled and dirty pages
        // written back, which needs other workers to answer those READs and WRITEs: only some
        // workers may do it at once, each sending the notification itself (no hand-off to the
        // notifier thread); the rest leave it to the notifier without waiting (a smaller window,
        // not a deadlock).
        if (!invalidationWaiters.tryAcquire()) {
            c.invalidateData(node, offset, length);
            return;
        }
        try {
            c.invalidateDataNow(node, offset, length);
        } finally {
            invalidationWaiters.release();
        }
    }

    private int timedWrite(Request req, long node, WriteIn in, long data) {
        writes.enter();
        try {
            return super.write(req, node, in, data);
        } finally {
            writes.leave();
        }
    }

    @Override
    public int setattr(Request req, long node, SetattrIn in, AttrOut out) {
        if ((in.valid() & FuseConst.FATTR_SIZE) == 0) {
            return super.setattr(req, node, in, out);
        }
        try (WriteGrant g = table.beginExclusive(node, ExclusiveReason.TRUNCATE, IoModeTable.deadlineIn(LOCK_WAIT))) {
            return g.acquired() ? super.setattr(req, node, in, out) : -Errno.EINTR;
        }
    }

    @Override
    public int fallocate(Request req, long node, FallocateIn in) {
        try (WriteGrant g = table.beginExclusive(node, ExclusiveReason.FALLOCATE, IoModeTable.deadlineIn(LOCK_WAIT))) {
            return g.acquired() ? super.fallocate(req, node, in) : -Errno.EINTR;
        }
    }

    @Override
    public long copyFileRange(Request req, long nodeIn, CopyFileRangeIn in) {
        try (WriteGrant g = table.beginExclusive(in.nodeIdOut(), ExclusiveReason.COPY_FILE_RANGE_DST,
                IoModeTable.deadlineIn(LOCK_WAIT))) {
            return g.acquired() ? super.copyFileRange(req, nodeIn, in) : -Errno.EINTR;
        }
    }

    /** Invalidations pushed for changes other programs made in SOURCE; -1 if SOURCE is not watched. */
    public long sourceChangesPushed() {
        SourceWatcher w = watcher;
        return w == null ? -1 : w.pushed();
    }

    // ---- status as xattrs --------------------------------------------------------------------

    @Override
    public int getxattr(Request req, long node, Name name, int size, Payload out) {
        String n = name.length() > PREFIX.length() && name.byteAt(0) == 'u' ? name.toString() : null;
        if (n == null || !n.startsWith(PREFIX)) {
            return super.getxattr(req, node, name, size, out);
        }
        String json = switch (n) {
            case IOMODE_XATTR -> StatusJson.inode(node, pathOf(node).orElse(null), table.snapshot(node).orElse(null));
            case IOMODE_XATTR + TEXT -> StatusText.inode(node, pathOf(node).orElse(null), table.snapshot(node).orElse(null));
            case STATUS_XATTR -> StatusJson.mount(table.snapshots(), this::pathOf, writes.inFlight(), writes.peak(),
                    sourceChangesPushed());
            case STATUS_XATTR + TEXT -> StatusText.mount(table.snapshots(), this::pathOf, writes.inFlight(), writes.peak(),
                    sourceChangesPushed());
            default -> null;
        };
        if (json == null) {
            return -Errno.ENODATA;
        }
        return out.xattrReply(json.getBytes(StandardCharsets.UTF_8), size);
    }

    @Override
    public int setxattr(Request req, long node, Name name, long value, int size, int flags) {
        String n = name.byteAt(0) == 'u' ? name.toString() : "";
        if (n.equals(RESET_XATTR)) {
            writes.resetPeak();
            return 0;
        }
        if (n.startsWith(PREFIX)) {
            return -Errno.EPERM; // our status names are not storable attributes
        }
        return super.setxattr(req, node, name, value, size, flags);
    }
}
