package io.arbiterfs.jnrfuse.bridge;

import static io.arbiterfs.jnrfuse.LibFuse2Abi.*;

import io.arbiterfs.daemon.arbitration.ArbitrationFacts;
import io.arbiterfs.fuse.AttributeReply;
import io.arbiterfs.fuse.Attributes;
import io.arbiterfs.fuse.Connection;
import io.arbiterfs.fuse.CreateArgs;
import io.arbiterfs.fuse.DataView;
import io.arbiterfs.fuse.DirectoryListing;
import io.arbiterfs.fuse.Entry;
import io.arbiterfs.fuse.Feature;
import io.arbiterfs.fuse.FileSystem;
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
import io.arbiterfs.jnrfuse.CapturedMount;
import io.arbiterfs.jnrfuse.JavaLibFuse;
import io.arbiterfs.jnrfuse.JnrFuseContext;
import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.AbstractFuseFS;
import ru.serce.jnrfuse.FuseCallbacks;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseBufvec;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * A jnr-fuse file system (jnr-fuse's 42 path-based {@code FuseFS} methods) served as the engine's node-based
 * {@link FileSystem}, the way libfuse 2's high-level {@code lib/fuse.c} serves a {@code struct fuse_operations}:
 * <ul>
 *   <li>node ids ↔ paths in a {@link NodeTable} with lookup counts, renames and path locking;</li>
 *   <li>unlink (and rename over) an open file <b>hides</b> it, unless {@code hard_remove}: it is renamed to
 *       {@code .fuse_hidden…} and unlinked at its last release, so IO on it keeps working (jnr-fuse file systems
 *       only know paths);</li>
 *   <li>readdir in both filler modes ({@link DirFiller});</li>
 *   <li>jnr-fuse's own struct classes over per-request-thread native memory ({@link Scratch});</li>
 *   <li>{@code getContext()} answered from the request ({@link JnrFuseContext});</li>
 *   <li>READ and WRITE through a jnr {@link Pointer} onto the engine's reply and request buffers: no copy, and
 *       nothing allocated per request;</li>
 *   <li>results clamped as libfuse does: a status above 0, or any errno ≤ −512 (which the kernel would refuse,
 *       stranding the request), is answered ERANGE;</li>
 *   <li>missing operations answered as libfuse's {@code fuse_fs_*} do: open, opendir, release, releasedir succeed,
 *       statfs reports an empty file system, fgetattr/ftruncate fall back to getattr/truncate; missing xattr
 *       operations answer EOPNOTSUPP rather than ENOSYS, so the kernel keeps asking (for the status
 *       attributes).</li>
 * </ul>
 * Everything the file system's methods are called with is theirs only during the call, as under libfuse.
 */
public final class JnrFuseBridge implements FileSystem<OpenFile, OpenDir> {
    private static final Logger log = LoggerFactory.getLogger(JnrFuseBridge.class);
    private static final int ERRNO_LIMIT = -512;
    private static final long UNSET_ID = 0xffffffffL; // (uid_t) -1: chown leaves this id as it is
    private static final int F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7;

    private final AbstractFuseFS fs;
    private final CapturedMount mount;
    private final BridgeOptions options;
    private final NodeTable table;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final DirFiller.NameResolver resolver;
    private volatile Pointer privateData;
    private volatile Pointer connInfo;

    private final boolean hasGetattr, hasFgetattr, hasReadlink, hasMknod, hasMkdir, hasUnlink, hasRmdir, hasSymlink,
            hasRename, hasLink, hasChmod, hasChown, hasTruncate, hasFtruncate, hasOpen, hasRead, hasReadBuf, hasWrite,
            hasWriteBuf, hasStatfs, hasFlush, hasRelease, hasFsync, hasSetxattr, hasGetxattr, hasListxattr,
            hasRemovexattr, hasOpendir, hasReaddir, hasReleasedir, hasFsyncdir, hasDestroy, hasAccess, hasCreate,
            hasLock, hasUtimens, hasFlock, hasFallocate;

    public JnrFuseBridge(CapturedMount mount, BridgeOptions options) {
        this.mount = mount;
        this.fs = mount.fileSystem();
        this.options = options;
        this.table = new NodeTable(options.forget());
        this.resolver = options.readdirIno() && !options.useIno() ? this::listedNodeId : null;
        Set<String> ops = mount.implemented();
        hasGetattr = ops.contains("getattr");
        hasFgetattr = ops.contains("fgetattr");
        hasReadlink = ops.contains("readlink");
        hasMknod = ops.contains("mknod");
        hasMkdir = ops.contains("mkdir");
        hasUnlink = ops.contains("unlink");
        hasRmdir = ops.contains("rmdir");
        hasSymlink = ops.contains("symlink");
        hasRename = ops.contains("rename");
        hasLink = ops.contains("link");
        hasChmod = ops.contains("chmod");
        hasChown = ops.contains("chown");
        hasTruncate = ops.contains("truncate");
        hasFtruncate = ops.contains("ftruncate");
        hasOpen = ops.contains("open");
        hasRead = ops.contains("read");
        hasReadBuf = ops.contains("read_buf");
        hasWrite = ops.contains("write");
        hasWriteBuf = ops.contains("write_buf");
        hasStatfs = ops.contains("statfs");
        hasFlush = ops.contains("flush");
        hasRelease = ops.contains("release");
        hasFsync = ops.contains("fsync");
        hasSetxattr = ops.contains("setxattr");
        hasGetxattr = ops.contains("getxattr");
        hasListxattr = ops.contains("listxattr");
        hasRemovexattr = ops.contains("removexattr");
        hasOpendir = ops.contains("opendir");
        hasReaddir = ops.contains("readdir");
        hasReleasedir = ops.contains("releasedir");
        hasFsyncdir = ops.contains("fsyncdir");
        hasDestroy = ops.contains("destroy");
        hasAccess = ops.contains("access");
        hasCreate = ops.contains("create");
        hasLock = ops.contains("lock");
        hasUtimens = ops.contains("utimens");
        hasFlock = ops.contains("flock");
        hasFallocate = ops.contains("fallocate");
    }

    /** Whether the file system implements POSIX record locks ({@code lock}): only then are they negotiated. */
    public boolean implementsPosixLocks() {
        return hasLock;
    }

    /** Whether it implements {@code flock}: only then are flock(2) locks negotiated. */
    public boolean implementsFlock() {
        return hasFlock;
    }

    /** Nodes the kernel knows right now (root included). */
    public int knownNodes() {
        return table.size();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** Fills the calling thread's {@code fuse_context} for one request, as libfuse's {@code req_fuse_prepare}. */
    private void enter(Request req, int umask) {
        JnrFuseContext.enter(mount.fuseHandle(), privateData, req.uid(), req.gid(), req.pid(), umask);
    }

    /** A status result: 0 or -errno; anything else is ERANGE (libfuse: "bad error value"). */
    private int status(int rc, String op) {
        if (rc > 0 || rc <= ERRNO_LIMIT) {
            warnOnce(op, op + " returned " + rc + ", not 0 or -errno: answering ERANGE");
            return -Errno.ERANGE;
        }
        return rc;
    }

    private void warnOnce(String key, String message) {
        if (warned.add(key)) {
            log.warn("{}: {} (logged once per operation)", fs.getClass().getName(), message);
        }
    }

    private Node node(long id, OpenFile file) {
        return file != null ? file.node : table.get(id);
    }

    /** getattr or, with an open file and fgetattr implemented, fgetattr, into the thread's stat. */
    private int stat(String path, OpenFile file, Scratch s) {
        FileStat st = s.stat();
        if (file != null && hasFgetattr) {
            return status(fs.fgetattr(path, st, s.fileInfo(file.flags, file.fh, 0, 0)), "fgetattr");
        }
        return hasGetattr ? status(fs.getattr(path, st), "getattr") : ENOSYS;
    }

    /** The thread's stat as attributes of {@code n} ({@code set_stat}: node id as st_ino, the umask/uid/gid options). */
    private void attributes(Node n, Scratch s, Attributes a, boolean hidden) {
        Pointer st = s.statMemory;
        int mode = st.getInt(STAT_MODE);
        long nlink = st.getLong(STAT_NLINK);
        if (hidden && nlink > 0) {
            nlink--;
        }
        if (options.umask() >= 0) {
            mode = (mode & Linux.S_IFMT) | (0777 & ~options.umask());
        }
        long size = st.getLong(STAT_SIZE_FIELD);
        n.mode = mode;
        n.size = size;
        a.ino(options.useIno() ? st.getLong(STAT_INO) : n.id)
                .size(size)
                .blocks(st.getLong(STAT_BLOCKS))
                .atime(st.getLong(STAT_ATIM + TIMESPEC_SEC), (int) st.getLong(STAT_ATIM + TIMESPEC_NSEC))
                .mtime(st.getLong(STAT_MTIM + TIMESPEC_SEC), (int) st.getLong(STAT_MTIM + TIMESPEC_NSEC))
                .ctime(st.getLong(STAT_CTIM + TIMESPEC_SEC), (int) st.getLong(STAT_CTIM + TIMESPEC_NSEC))
                .mode(mode)
                .nlink((int) Math.min(nlink, Integer.MAX_VALUE))
                .uid(options.uid() >= 0 ? (int) options.uid() : st.getInt(STAT_UID))
                .gid(options.gid() >= 0 ? (int) options.gid() : st.getInt(STAT_GID))
                .rdev((int) st.getLong(STAT_RDEV))
                .blksize((int) st.getLong(STAT_BLKSIZE));
    }

    /**
     * After a call that made {@code parent/name}: stat it and answer with its node (libfuse's {@code lookup_path}),
     * counting one lookup.
     *
     * @return the node, or null with {@code rc[0]} the error
     */
    private Node lookupPath(Node parent, String name, String path, OpenFile file, Scratch s, Entry out, int[] rc) {
        rc[0] = stat(path, file, s);
        if (rc[0] < 0) {
            return null;
        }
        Node n = table.lookedUp(parent, name);
        entry(n, s, out);
        return n;
    }

    private void entry(Node n, Scratch s, Entry out) {
        out.node(n.id).generation(n.generation).entryValidFor(options.entryTimeout())
                .attributesValidFor(options.attrTimeout());
        attributes(n, s, out.attributes(), false);
    }

    private static long unsigned(int v) {
        return Integer.toUnsignedLong(v);
    }

    // ---- life cycle ------------------------------------------------------------------------------------------

    /**
     * FUSE_INIT: calls the file system's {@code init} (through jnr-fuse's own init callback, which also records the
     * {@code struct fuse *} for {@code fuse_exit}) with a libfuse 2 {@code fuse_conn_info} describing what was
     * granted, and keeps what it returns as {@code private_data} (libfuse 2.9 {@code fuse_lib_init}).
     */
    @Override
    public void init(Connection connection) {
        Pointer conn = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(CONN_INFO_SIZE, true);
        int capable = capabilities(connection.granted());
        int want = capable & (CAP_ASYNC_READ | CAP_POSIX_LOCKS | CAP_FLOCK_LOCKS | CAP_BIG_WRITES | CAP_ATOMIC_O_TRUNC);
        conn.putInt(CONN_PROTO_MAJOR, 7);
        conn.putInt(CONN_PROTO_MINOR, connection.minor());
        conn.putInt(CONN_ASYNC_READ, connection.has(Feature.ASYNC_READ) ? 1 : 0);
        conn.putInt(CONN_MAX_WRITE, connection.maxWrite());
        conn.putInt(CONN_MAX_READAHEAD, connection.maxWrite());
        conn.putInt(CONN_CAPABLE, capable);
        conn.putInt(CONN_WANT, want);
        this.connInfo = conn;
        JnrFuseContext.clear();
        JnrFuseContext.enter(mount.fuseHandle(), null, 0, 0, 0, 0);
        FuseCallbacks.InitCallback init = mount.callback(mount.operations().init);
        Pointer result = init.init(conn);
        this.privateData = result != null ? result : mount.userData();
        int wantedAfter = conn.getInt(CONN_WANT);
        if ((want & ~wantedAfter) != 0) {
            log.info("{}: init() withdrew capabilities 0x{} that were already granted (arbiterfs cannot renegotiate)",
                    fs.getClass().getName(), Integer.toHexString(want & ~wantedAfter));
        }
        if (conn.getInt(CONN_MAX_WRITE) < connection.maxWrite()) {
            log.info("{}: init() lowered max_write to {}; the kernel was already promised {}", fs.getClass().getName(),
                    conn.getInt(CONN_MAX_WRITE), connection.maxWrite());
        }
        JnrFuseContext.clear();
    }

    /** libfuse 2's FUSE_CAP_* bits for what the kernel granted. */
    static int capabilities(Set<Feature> granted) {
        int c = 0;
        if (granted.contains(Feature.ASYNC_READ)) c |= CAP_ASYNC_READ;
        if (granted.contains(Feature.POSIX_LOCKS)) c |= CAP_POSIX_LOCKS;
        if (granted.contains(Feature.ATOMIC_O_TRUNC)) c |= CAP_ATOMIC_O_TRUNC;
        if (granted.contains(Feature.EXPORT_SUPPORT)) c |= CAP_EXPORT_SUPPORT;
        if (granted.contains(Feature.BIG_WRITES)) c |= CAP_BIG_WRITES;
        if (granted.contains(Feature.DONT_MASK)) c |= CAP_DONT_MASK;
        if (granted.contains(Feature.FLOCK_LOCKS)) c |= CAP_FLOCK_LOCKS;
        return c;
    }

    /** The {@code fuse_conn_info} given to {@code init}, null before INIT. */
    public Pointer connectionInfo() {
        return connInfo;
    }

    /** What the file system's {@code init} returned: {@code fuse_get_context()->private_data} of every request. */
    public Pointer privateData() {
        return privateData;
    }

    @Override
    public void destroy() {
        if (!hasDestroy) {
            return;
        }
        JnrFuseContext.clear();
        JnrFuseContext.enter(mount.fuseHandle(), null, 0, 0, 0, 0);
        try {
            fs.destroy(privateData);
        } finally {
            JnrFuseContext.clear();
        }
    }

    // ---- names -----------------------------------------------------------------------------------------------

    @Override
    public int lookup(Request req, long parent, Name name, Entry out) {
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            Node p = table.get(parent);
            if (p == null) {
                return -Errno.ENOENT;
            }
            if (name.isDotOrDotDot()) {
                return lookupDot(p, name.isDotDot(), s, out);
            }
            String n = name.string();
            String path = table.childPath(p, n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int rc = stat(path, null, s);
            if (rc == -Errno.ENOENT && !options.negativeTimeout().isZero()) {
                out.node(0).entryValidFor(options.negativeTimeout());
                return 0;
            }
            if (rc < 0) {
                return rc;
            }
            entry(table.lookedUp(p, n), s, out);
            return 0;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    /** "." and ".." from the node table (libfuse 2 {@code fuse_lib_lookup}; sent only with EXPORT_SUPPORT). */
    private int lookupDot(Node dir, boolean dotDot, Scratch s, Entry out) {
        Node target = dotDot ? (dir.parent != null ? dir.parent : table.root) : dir;
        String path = table.path(target);
        if (path == null) {
            return -Errno.ENOENT;
        }
        int rc = stat(path, null, s);
        if (rc < 0) {
            return rc;
        }
        Node n = target == table.root ? target : table.lookedUp(target.parent, target.name);
        entry(n, s, out);
        return 0;
    }

    @Override
    public void forget(long node, long lookups) {
        table.forget(node, lookups);
    }

    @Override
    public int getattr(Request req, long node, OpenFile file, AttributeReply out) {
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            Node n = node(node, file);
            String path = n == null ? null : table.path(n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int rc = stat(path, file, s);
            if (rc < 0) {
                return rc;
            }
            attributes(n, s, out.attributes(), table.isHidden(n));
            out.validFor(options.attrTimeout());
            return 0;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    /**
     * SETATTR as libfuse 2.9's {@code fuse_lib_setattr}: chmod, chown (−1 for the id not given), (f)truncate, then
     * utimens, each only if the one before succeeded, then a fresh (f)getattr. jnr-fuse never sets
     * {@code flag_utime_omit_ok}, so utimens is called only when both times change (libfuse drops a lone one).
     */
    @Override
    public int setattr(Request req, long node, OpenFile file, SetAttributes changes, AttributeReply out) {
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            Node n = node(node, file);
            String path = n == null ? null : table.path(n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int rc = 0;
            if (changes.setsMode()) {
                rc = hasChmod ? status(fs.chmod(path, unsigned(changes.mode())), "chmod") : ENOSYS;
            }
            if (rc == 0 && (changes.setsUid() || changes.setsGid())) {
                rc = hasChown ? status(fs.chown(path, changes.setsUid() ? unsigned(changes.uid()) : UNSET_ID,
                        changes.setsGid() ? unsigned(changes.gid()) : UNSET_ID), "chown") : ENOSYS;
            }
            if (rc == 0 && changes.setsSize()) {
                if (file != null && hasFtruncate) {
                    rc = status(fs.ftruncate(path, changes.size(), s.fileInfo(file.flags, file.fh, 0, 0)), "ftruncate");
                } else {
                    rc = hasTruncate ? status(fs.truncate(path, changes.size()), "truncate") : ENOSYS;
                }
            }
            if (rc == 0 && changes.setsAtime() && changes.setsMtime()) {
                Timespec[] tv = s.times;
                set(tv[0], changes.atimeNow(), changes.atimeSeconds(), changes.atimeNanos());
                set(tv[1], changes.mtimeNow(), changes.mtimeSeconds(), changes.mtimeNanos());
                rc = hasUtimens ? status(fs.utimens(path, tv), "utimens") : ENOSYS;
            }
            if (rc == 0) {
                rc = stat(path, file, s);
            }
            if (rc < 0) {
                return rc;
            }
            attributes(n, s, out.attributes(), table.isHidden(n));
            out.validFor(options.attrTimeout());
            return 0;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    private static void set(Timespec t, boolean now, long seconds, int nanos) {
        t.tv_sec.set(now ? 0 : seconds);
        t.tv_nsec.set(now ? Linux.UTIME_NOW : nanos);
    }

    @Override
    public int readlink(Request req, long node, ReplyBuffer out) {
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            Node n = table.get(node);
            String path = n == null ? null : table.path(n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            if (!hasReadlink) {
                return ENOSYS;
            }
            int room = out.capacity();
            Pointer buf = s.at(out.address());
            buf.setMemory(0, room, (byte) 0);
            int rc = status(fs.readlink(path, buf, room), "readlink");
            if (rc < 0) {
                return rc;
            }
            int length = 0;
            while (length < room - 1 && buf.getByte(length) != 0) { // a NUL-terminated target, truncated to fit
                length++;
            }
            return length;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    @Override
    public int symlink(Request req, long parent, Name name, Name target, Entry out) {
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            Node p = table.get(parent);
            String n = name.string();
            String path = p == null ? null : table.childPath(p, n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int rc = hasSymlink ? status(fs.symlink(target.string(), path), "symlink") : ENOSYS;
            if (rc < 0) {
                return rc;
            }
            int[] err = {0};
            return lookupPath(p, n, path, null, s, out, err) == null ? err[0] : 0;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    /**
     * MKNOD as libfuse 2.9's {@code fuse_lib_mknod}: a regular file goes through {@code create} (then released) when
     * the file system has it, anything else (or without create) through {@code mknod}.
     */
    @Override
    public int mknod(Request req, long parent, Name name, int mode, int umask, int rdev, Entry out) {
        enter(req, umask);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            Node p = table.get(parent);
            String n = name.string();
            String path = p == null ? null : table.childPath(p, n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int[] err = {ENOSYS};
            if ((mode & Linux.S_IFMT) == Linux.S_IFREG && hasCreate) {
                int flags = Linux.O_CREAT | Linux.O_EXCL | Linux.O_WRONLY;
                err[0] = status(fs.create(path, unsigned(mode), s.fileInfo(flags, 0, 0, 0)), "create");
                if (err[0] == 0) {
                    OpenFile made = new OpenFile(null, s.fileInfoFh(), flags, false);
                    Node created = lookupPath(p, n, path, made, s, out, err);
                    if (hasRelease) {
                        fs.release(path, s.fileInfo(flags, made.fh, 0, 0));
                    }
                    return created == null ? err[0] : 0;
                }
            }
            if (err[0] == ENOSYS) {
                err[0] = hasMknod ? status(fs.mknod(path, unsigned(mode), unsigned(rdev)), "mknod") : ENOSYS;
                if (err[0] == 0) {
                    return lookupPath(p, n, path, null, s, out, err) == null ? err[0] : 0;
                }
            }
            return err[0];
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    @Override
    public int mkdir(Request req, long parent, Name name, int mode, int umask, Entry out) {
        enter(req, umask);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            Node p = table.get(parent);
            String n = name.string();
            String path = p == null ? null : table.childPath(p, n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int rc = hasMkdir ? status(fs.mkdir(path, unsigned(mode)), "mkdir") : ENOSYS;
            if (rc < 0) {
                return rc;
            }
            int[] err = {0};
            return lookupPath(p, n, path, null, s, out, err) == null ? err[0] : 0;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    @Override
    public int unlink(Request req, long parent, Name name) {
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.writeLock();
        try {
            Node p = table.get(parent);
            String n = name.string();
            String path = p == null ? null : table.childPath(p, n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            if (!options.hardRemove() && table.isOpen(p, n)) {
                return hide(p, n, path, s);
            }
            int rc = hasUnlink ? status(fs.unlink(path), "unlink") : ENOSYS;
            if (rc == 0) {
                Node gone = table.child(p, n);
                if (gone != null) {
                    table.removeName(gone);
                }
            }
            return rc;
        } finally {
            table.names.unlockWrite(stamp);
        }
    }

    /**
     * Hides the open file {@code dir/name} instead of removing it (libfuse 2's {@code hide_node}): renames it to an
     * unused {@code .fuse_hidden<node><counter>} name, found by asking getattr (ENOENT: free; a few tries). Names lock
     * held exclusively.
     */
    private int hide(Node dir, String name, String path, Scratch s) {
        Node n = table.child(dir, name);
        if (n == null) {
            return -Errno.ENOENT;
        }
        for (int tries = 0; tries < 10; tries++) {
            String hidden = table.hiddenCandidate(dir, n);
            String hiddenPath = table.childPath(dir, hidden);
            int probe = stat(hiddenPath, null, s);
            if (probe == 0) {
                continue; // taken in the file system
            }
            if (probe != -Errno.ENOENT) {
                return -Errno.EBUSY;
            }
            int rc = hasRename ? status(fs.rename(path, hiddenPath), "rename") : ENOSYS;
            if (rc == 0 && !table.move(n, dir, hidden, true)) {
                rc = -Errno.EBUSY;
            }
            return rc;
        }
        return -Errno.EBUSY;
    }

    @Override
    public int rmdir(Request req, long parent, Name name) {
        enter(req, 0);
        long stamp = table.names.writeLock();
        try {
            Node p = table.get(parent);
            String n = name.string();
            String path = p == null ? null : table.childPath(p, n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int rc = hasRmdir ? status(fs.rmdir(path), "rmdir") : ENOSYS;
            if (rc == 0) {
                Node gone = table.child(p, n);
                if (gone != null) {
                    table.removeName(gone);
                }
            }
            return rc;
        } finally {
            table.names.unlockWrite(stamp);
        }
    }

    /**
     * RENAME as libfuse 2.9's {@code fuse_lib_rename}: an open target is hidden first (unless {@code hard_remove}),
     * then renamed over. renameat2 flags have no libfuse 2 equivalent: EINVAL.
     */
    @Override
    public int rename(Request req, long parent, Name name, long newParent, Name newName, int flags) {
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.writeLock();
        try {
            Node p = table.get(parent);
            Node np = table.get(newParent);
            String n = name.string();
            String nn = newName.string();
            String path = p == null ? null : table.childPath(p, n);
            String newPath = np == null ? null : table.childPath(np, nn);
            if (path == null || newPath == null) {
                return -Errno.ENOENT;
            }
            Node moving = table.child(p, n);
            if (!options.hardRemove() && table.isOpen(np, nn) && table.child(np, nn) != moving) {
                int rc = hide(np, nn, newPath, s);
                if (rc < 0) {
                    return rc;
                }
            }
            int rc = hasRename ? status(fs.rename(path, newPath), "rename") : ENOSYS;
            if (rc == 0) {
                if (moving != null) {
                    table.move(moving, np, nn, false);
                } else {
                    Node replaced = table.child(np, nn);
                    if (replaced != null) {
                        table.removeName(replaced);
                    }
                }
            }
            return rc;
        } finally {
            table.names.unlockWrite(stamp);
        }
    }

    /** A hard link: a new name, so a new node (libfuse 2 keeps one node per name). */
    @Override
    public int link(Request req, long node, long newParent, Name newName, Entry out) {
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            Node old = table.get(node);
            Node np = table.get(newParent);
            String nn = newName.string();
            String oldPath = old == null ? null : table.path(old);
            String newPath = np == null ? null : table.childPath(np, nn);
            if (oldPath == null || newPath == null) {
                return -Errno.ENOENT;
            }
            int rc = hasLink ? status(fs.link(oldPath, newPath), "link") : ENOSYS;
            if (rc < 0) {
                return rc;
            }
            int[] err = {0};
            return lookupPath(np, nn, newPath, null, s, out, err) == null ? err[0] : 0;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    // ---- files -----------------------------------------------------------------------------------------------

    /** Fills an open reply from what open/create left in the thread's {@code fuse_file_info}. */
    private void openReply(OpenReply<OpenFile> out, OpenFile f, int bits) {
        table.opened(f.node);
        out.handle(f).directIo(f.fsDirectIo)
                .keepCache(options.keepCache() || (bits & FILE_INFO_KEEP_CACHE) != 0)
                .nonSeekable((bits & FILE_INFO_NONSEEKABLE) != 0);
    }

    @Override
    public int open(Request req, long node, OpenArgs args, OpenReply<OpenFile> out) {
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            Node n = table.get(node);
            String path = n == null ? null : table.path(n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int flags = args.flags();
            FuseFileInfo fi = s.fileInfo(flags, 0, 0, 0);
            int rc = hasOpen ? status(fs.open(path, fi), "open") : 0;
            if (rc < 0) {
                return rc;
            }
            int bits = s.fileInfoBits();
            openReply(out, new OpenFile(n, s.fileInfoFh(), flags, (bits & FILE_INFO_DIRECT_IO) != 0), bits);
            return 0;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    /** CREATE as libfuse 2.9's {@code fuse_lib_create}; without {@code create}, ENOSYS makes the kernel use MKNOD + OPEN. */
    @Override
    public int create(Request req, long parent, Name name, CreateArgs args, Entry entry, OpenReply<OpenFile> out) {
        if (!hasCreate) {
            return ENOSYS;
        }
        enter(req, args.umask());
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            Node p = table.get(parent);
            String n = name.string();
            String path = p == null ? null : table.childPath(p, n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int flags = args.flags();
            int rc = status(fs.create(path, unsigned(args.mode()), s.fileInfo(flags, 0, 0, 0)), "create");
            if (rc < 0) {
                return rc;
            }
            int bits = s.fileInfoBits();
            long fh = s.fileInfoFh();
            int[] err = {0};
            Node made = lookupPath(p, n, path, new OpenFile(null, fh, flags, false), s, entry, err);
            if (made == null) {
                if (hasRelease) {
                    fs.release(path, s.fileInfo(flags, fh, 0, 0));
                }
                return err[0];
            }
            openReply(out, new OpenFile(made, fh, flags, (bits & FILE_INFO_DIRECT_IO) != 0), bits);
            return 0;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    /**
     * READ into the reply buffer through the thread's pointer onto it (zero copy); {@code read_buf} file systems get
     * their buffer vector copied in ({@code fuse_buf_copy}) and freed, as libfuse does.
     */
    @Override
    public int read(Request req, long node, OpenFile file, long offset, int size, ReplyBuffer out) {
        if (file == null) {
            return -Errno.EBADF;
        }
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            String path = table.path(file.node);
            if (path == null) {
                return -Errno.ENOENT;
            }
            FuseFileInfo fi = s.fileInfo(file.flags, file.fh, 0, 0);
            int room = Math.min(size, out.capacity());
            if (hasReadBuf) {
                return readBuf(path, offset, room, fi, s, out);
            }
            if (!hasRead) {
                return ENOSYS;
            }
            int rc = fs.read(path, s.at(out.address()), room, offset, fi);
            if (rc <= ERRNO_LIMIT) {
                return status(rc, "read");
            }
            if (rc > room) {
                warnOnce("read.size", "read returned " + rc + " bytes for " + room + " asked: answering " + room);
                return room;
            }
            return rc;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    private int readBuf(String path, long offset, int room, FuseFileInfo fi, Scratch s, ReplyBuffer out) {
        s.bufp.putAddress(0, 0);
        int rc = status(fs.read_buf(path, s.bufp, room, offset, fi), "read_buf");
        long vector = s.bufp.getAddress(0);
        try {
            if (rc < 0) {
                return rc;
            }
            if (vector == 0) {
                return -Errno.EIO;
            }
            FuseBufvec src = FuseBufvec.of(Pointer.wrap(Runtime.getSystemRuntime(), vector));
            long copied = JavaLibFuse.instance().fuse_buf_copy(s.memoryBufvec(out.address(), room), src, 0);
            return (int) Math.max(Math.min(copied, room), Integer.MIN_VALUE + 1);
        } finally {
            freeBufvec(vector);
        }
    }

    /** libfuse's {@code fuse_free_buf}: the memory buffers, then the vector (the file system malloc'ed them). */
    private static void freeBufvec(long vector) {
        if (vector == 0) {
            return;
        }
        MemoryIO io = MemoryIO.getInstance();
        long count = io.getLong(vector + BUFVEC_COUNT);
        for (long i = 0; i < count && i < 1024; i++) {
            long buf = vector + BUFVEC_BUF + i * BUF_SIZE;
            long mem = io.getAddress(buf + BUF_MEM);
            if ((io.getInt(buf + BUF_FLAGS) & BUF_IS_FD) == 0 && mem != 0) {
                io.freeMemory(mem);
            }
        }
        io.freeMemory(vector);
    }

    /**
     * WRITE from the request buffer through the thread's pointer onto it (zero copy); {@code write_buf} file systems
     * get a one-buffer vector over the same memory.
     */
    @Override
    public int write(Request req, long node, OpenFile file, WriteArgs args, DataView data) {
        if (file == null) {
            return -Errno.EBADF;
        }
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            String path = table.path(file.node);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int size = args.size();
            long offset = args.offset();
            FuseFileInfo fi = s.fileInfo(file.flags, file.fh, args.isWriteback() ? 1 : 0, args.lockOwner());
            int rc;
            if (hasWriteBuf) {
                rc = fs.write_buf(path, s.memoryBufvec(data.address(), size), offset, fi);
            } else if (hasWrite) {
                rc = fs.write(path, s.at(data.address()), size, offset, fi);
            } else {
                return ENOSYS;
            }
            if (rc <= ERRNO_LIMIT) {
                return status(rc, "write");
            }
            if (rc > size) {
                warnOnce("write.size", "write returned " + rc + " for " + size + " bytes: answering EIO");
                return -Errno.EIO;
            }
            if (rc > 0) {
                file.node.grewTo(offset + rc);
            }
            return rc;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    /**
     * FLUSH (libfuse 2.9 {@code fuse_flush_common}): the file system's flush, and with {@code lock} implemented an
     * F_UNLCK of the closing owner's POSIX locks; then a missing flush is no error.
     */
    @Override
    public int flush(Request req, long node, OpenFile file, long lockOwner) {
        if (file == null) {
            return -Errno.EBADF;
        }
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            String path = table.path(file.node);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int rc = hasFlush ? status(fs.flush(path, s.fileInfo(file.flags, file.fh, 0, lockOwner)), "flush") : ENOSYS;
            if (hasLock) {
                int unlock = status(fs.lock(path, s.fileInfo(file.flags, file.fh, 0, lockOwner), F_SETLK,
                        s.flock(Linux.F_UNLCK, 0, 0, 0)), "lock");
                if (unlock != ENOSYS && rc == ENOSYS) {
                    rc = 0;
                }
            }
            return rc;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    /**
     * RELEASE (libfuse 2.9 {@code fuse_do_release}): the file system's release (a file whose name is gone gets
     * {@code "-"}, as libfuse passes), flock locks taken through the open let go, and the last release of a hidden
     * file unlinks it.
     */
    @Override
    public int release(Request req, long node, OpenFile file, int flags) {
        if (file == null) {
            return 0;
        }
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            String path = table.path(file.node);
            String given = path != null ? path : "-";
            if (hasFlock && file.flockOwner != 0) {
                fs.flock(given, s.fileInfo(file.flags, file.fh, 0, file.flockOwner), Linux.LOCK_UN);
            }
            if (hasRelease) {
                fs.release(given, s.fileInfo(file.flags, file.fh, 0, 0));
            }
        } finally {
            table.names.unlockRead(stamp);
        }
        if (table.released(file.node)) {
            unlinkHidden(file.node);
        }
        return 0;
    }

    private void unlinkHidden(Node n) {
        long stamp = table.names.writeLock();
        try {
            String path = table.path(n);
            if (path != null && hasUnlink) {
                int rc = fs.unlink(path);
                if (rc < 0) {
                    log.warn("{}: unlinking the hidden file {} after its last release failed: errno {}",
                            fs.getClass().getName(), path, -rc);
                }
            }
            table.removeName(n);
        } finally {
            table.names.unlockWrite(stamp);
        }
    }

    @Override
    public int fsync(Request req, long node, OpenFile file, boolean dataOnly) {
        if (file == null) {
            return -Errno.EBADF;
        }
        if (!hasFsync) {
            return ENOSYS;
        }
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            String path = table.path(file.node);
            if (path == null) {
                return -Errno.ENOENT;
            }
            return status(fs.fsync(path, dataOnly ? 1 : 0, s.fileInfo(file.flags, file.fh, 0, 0)), "fsync");
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    @Override
    public int fallocate(Request req, long node, OpenFile file, int mode, long offset, long length) {
        if (file == null) {
            return -Errno.EBADF;
        }
        if (!hasFallocate) {
            return ENOSYS;
        }
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            String path = table.path(file.node);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int rc = status(fs.fallocate(path, mode, offset, length, s.fileInfo(file.flags, file.fh, 0, 0)), "fallocate");
            if (rc == 0 && (mode & Linux.FALLOC_FL_KEEP_SIZE) == 0) {
                file.node.grewTo(offset + length);
            }
            return rc;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    /** GETLK through {@code lock(F_GETLK)} (libfuse 2's own lock list, consulted first there, is not kept). */
    @Override
    public int getlk(Request req, long node, OpenFile file, LockArgs lock, LockReply out) {
        if (file == null) {
            return -Errno.EBADF;
        }
        if (!hasLock) {
            return ENOSYS;
        }
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            String path = table.path(file.node);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int rc = status(fs.lock(path, s.fileInfo(file.flags, file.fh, 0, lock.owner()), F_GETLK,
                    s.flock(lock.type(), lock.start(), length(lock), lock.pid())), "lock");
            if (rc < 0) {
                return rc;
            }
            Pointer f = s.flockMemory;
            long start = f.getLong(FLOCK_START);
            long len = f.getLong(FLOCK_LEN);
            out.set(start, len == 0 ? Long.MAX_VALUE : start + len - 1, f.getShort(FLOCK_TYPE), f.getInt(FLOCK_PID));
            return 0;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    private static long length(LockArgs lock) {
        return lock.end() == Long.MAX_VALUE ? 0 : lock.end() - lock.start() + 1;
    }

    /** SETLK/SETLKW: POSIX locks through {@code lock}, flock(2) locks through {@code flock}. */
    @Override
    public int setlk(Request req, long node, OpenFile file, LockArgs lock, boolean wait) {
        if (file == null) {
            return -Errno.EBADF;
        }
        if (lock.isFlock() ? !hasFlock : !hasLock) {
            return ENOSYS;
        }
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            String path = table.path(file.node);
            if (path == null) {
                return -Errno.ENOENT;
            }
            FuseFileInfo fi = s.fileInfo(file.flags, file.fh, 0, lock.owner());
            if (lock.isFlock()) {
                int op = switch (lock.type()) {
                    case Linux.F_RDLCK -> Linux.LOCK_SH;
                    case Linux.F_WRLCK -> Linux.LOCK_EX;
                    default -> Linux.LOCK_UN;
                };
                int rc = status(fs.flock(path, fi, op | (wait ? 0 : Linux.LOCK_NB)), "flock");
                if (rc == 0 && op != Linux.LOCK_UN) {
                    file.flockOwner = lock.owner();
                }
                return rc;
            }
            return status(fs.lock(path, fi, wait ? F_SETLKW : F_SETLK,
                    s.flock(lock.type(), lock.start(), length(lock), lock.pid())), "lock");
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    // ---- directories -----------------------------------------------------------------------------------------

    @Override
    public int opendir(Request req, long node, OpenArgs args, OpenReply<OpenDir> out) {
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            Node n = table.get(node);
            String path = n == null ? null : table.path(n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int flags = args.flags();
            int rc = hasOpendir ? status(fs.opendir(path, s.fileInfo(flags, 0, 0, 0)), "opendir") : 0;
            if (rc < 0) {
                return rc;
            }
            out.handle(new OpenDir(n, s.fileInfoFh(), flags));
            return 0;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    /**
     * READDIR (libfuse 2.9 {@code fuse_lib_readdir}): at offset 0 (or on a handle not yet filled) the file system
     * lists; entries it gave with offsets are in the reply already, entries without are kept and served by position
     * (cookie = position + 1) until the next offset-0 request refills them (rewinddir).
     */
    @Override
    public int readdir(Request req, long node, OpenDir dir, long offset, DirectoryListing out) {
        if (dir == null) {
            return -Errno.EBADF;
        }
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            synchronized (dir) {
                if (offset == 0) {
                    dir.filled = false;
                }
                if (!dir.filled) {
                    String path = table.path(dir.node);
                    if (path == null) {
                        return -Errno.ENOENT;
                    }
                    if (!hasReaddir) {
                        return ENOSYS;
                    }
                    dir.entries.clear();
                    DirFiller filler = s.filler;
                    filler.start(out, dir, options.useIno(), resolver);
                    int rc;
                    try {
                        rc = status(fs.readdir(path, s.memory, filler, offset, s.fileInfo(dir.flags, dir.fh, 0, 0)),
                                "readdir");
                    } finally {
                        filler.finish();
                    }
                    if (filler.mixed()) {
                        warnOnce("readdir.mixed", "readdir gave entries with and without offsets in one call: EIO");
                        rc = -Errno.EIO;
                    }
                    if (rc < 0 || filler.direct()) {
                        dir.entries.clear();
                        return Math.min(rc, 0);
                    }
                    dir.filled = true;
                }
                for (long i = offset; i < dir.entries.size(); i++) {
                    OpenDir.Listed e = dir.entries.get((int) i);
                    if (!out.add(e.ino(), i + 1, e.type(), ByteBuffer.wrap(e.name()), 0, e.name().length)) {
                        break;
                    }
                }
                return 0;
            }
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    /** {@code readdir_ino}: the node id of a listed name the kernel already knows, 0 if none. */
    private long listedNodeId(OpenDir dir, String name) {
        Node n;
        if (name.equals(".")) {
            n = dir.node;
        } else if (name.equals("..")) {
            n = dir.node.parent != null ? dir.node.parent : table.root;
        } else {
            n = table.child(dir.node, name);
        }
        return n == null ? 0 : n.id;
    }

    @Override
    public int releasedir(Request req, long node, OpenDir dir) {
        if (dir == null || !hasReleasedir) {
            return 0;
        }
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            String path = table.path(dir.node);
            fs.releasedir(path != null ? path : "-", s.fileInfo(dir.flags, dir.fh, 0, 0));
            return 0;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    @Override
    public int fsyncdir(Request req, long node, OpenDir dir, boolean dataOnly) {
        if (dir == null) {
            return -Errno.EBADF;
        }
        if (!hasFsyncdir) {
            return ENOSYS;
        }
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            String path = table.path(dir.node);
            if (path == null) {
                return -Errno.ENOENT;
            }
            return status(fs.fsyncdir(path, s.fileInfo(dir.flags, dir.fh, 0, 0)), "fsyncdir");
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    // ---- the rest --------------------------------------------------------------------------------------------

    /** STATFS; without {@code statfs}, libfuse 2's answer: nothing but {@code f_bsize} 512 and {@code f_namemax} 255. */
    @Override
    public int statfs(Request req, long node, FsStats out) {
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            Node n = table.get(node);
            String path = n == null ? "/" : table.path(n);
            Pointer v = s.statvfsMemory;
            s.statvfs();
            if (hasStatfs) {
                int rc = status(fs.statfs(path != null ? path : "/", s.statvfs), "statfs");
                if (rc < 0) {
                    return rc;
                }
            } else {
                v.putLong(STATVFS_BSIZE, 512);
                v.putLong(STATVFS_NAMEMAX, 255);
            }
            out.blocks(v.getLong(STATVFS_BLOCKS)).freeBlocks(v.getLong(STATVFS_BFREE))
                    .availableBlocks(v.getLong(STATVFS_BAVAIL)).files(v.getLong(STATVFS_FILES))
                    .freeFiles(v.getLong(STATVFS_FFREE)).blockSize((int) v.getLong(STATVFS_BSIZE))
                    .maxNameLength((int) v.getLong(STATVFS_NAMEMAX)).fragmentSize((int) v.getLong(STATVFS_FRSIZE));
            return 0;
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    @Override
    public int access(Request req, long node, int mask) {
        if (!hasAccess) {
            return ENOSYS;
        }
        enter(req, 0);
        long stamp = table.names.readLock();
        try {
            Node n = table.get(node);
            String path = n == null ? null : table.path(n);
            return path == null ? -Errno.ENOENT : status(fs.access(path, mask), "access");
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    @Override
    public int setxattr(Request req, long node, Name name, DataView value, int flags) {
        if (!hasSetxattr) {
            return -Errno.EOPNOTSUPP;
        }
        enter(req, 0);
        long stamp = table.names.readLock();
        try {
            Node n = table.get(node);
            String path = n == null ? null : table.path(n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            Pointer v = Pointer.wrap(Runtime.getSystemRuntime(), value.address());
            return status(fs.setxattr(path, name.string(), v, value.size(), flags), "setxattr");
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    @Override
    public int getxattr(Request req, long node, Name name, int size, ReplyBuffer out) {
        if (!hasGetxattr) {
            return -Errno.EOPNOTSUPP;
        }
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            Node n = table.get(node);
            String path = n == null ? null : table.path(n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            int rc = fs.getxattr(path, name.string(), size == 0 ? null : s.at(out.address()), size);
            return sized(rc, size, "getxattr");
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    @Override
    public int listxattr(Request req, long node, int size, ReplyBuffer out) {
        if (!hasListxattr) {
            return -Errno.EOPNOTSUPP;
        }
        enter(req, 0);
        Scratch s = scratch.get();
        long stamp = table.names.readLock();
        try {
            Node n = table.get(node);
            String path = n == null ? null : table.path(n);
            if (path == null) {
                return -Errno.ENOENT;
            }
            return sized(fs.listxattr(path, size == 0 ? null : s.at(out.address()), size), size, "listxattr");
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    /** A getxattr/listxattr result: a length (at most {@code size} unless only the length was asked) or -errno. */
    private int sized(int rc, int size, String op) {
        if (rc <= ERRNO_LIMIT) {
            return status(rc, op);
        }
        if (size != 0 && rc > size) {
            return -Errno.ERANGE;
        }
        return rc;
    }

    @Override
    public int removexattr(Request req, long node, Name name) {
        if (!hasRemovexattr) {
            return -Errno.EOPNOTSUPP;
        }
        enter(req, 0);
        long stamp = table.names.readLock();
        try {
            Node n = table.get(node);
            String path = n == null ? null : table.path(n);
            return path == null ? -Errno.ENOENT : status(fs.removexattr(path, name.string()), "removexattr");
        } finally {
            table.names.unlockRead(stamp);
        }
    }

    // ---- what the IO-mode arbitration asks -------------------------------------------------------------------

    /**
     * The facts for {@link io.arbiterfs.daemon.arbitration.IoModeArbiter}: regular files from the last attributes;
     * sizes as the last attributes and the writes since left them (the file system is not asked per write); no
     * backing descriptors; paths from the node table. An open whose {@code direct_io} the file system set itself
     * counts as not regular, so it keeps libfuse 2's meaning (direct IO, writes serialized by the kernel).
     */
    public ArbitrationFacts<OpenFile> facts() {
        return new ArbitrationFacts<>() {
            @Override
            public boolean isRegularFile(long node, OpenFile file) {
                if (file != null) {
                    return file.node.isRegularFile() && !file.fsDirectIo;
                }
                Node n = table.get(node);
                return n != null && n.isRegularFile();
            }

            @Override
            public long size(long node, OpenFile file) {
                Node n = file != null ? file.node : table.get(node);
                return n == null ? 0 : n.size;
            }

            @Override
            public int backingFd(long node, OpenFile file) {
                return -1;
            }

            @Override
            public boolean known(long node) {
                return table.known(node);
            }

            @Override
            public Optional<String> path(long node) {
                Node n = table.get(node);
                if (n == null || table.isHidden(n)) {
                    return Optional.empty();
                }
                String p = table.pathUnlocked(n);
                return p == null ? Optional.empty() : Optional.of(p.substring(1));
            }
        };
    }
}
