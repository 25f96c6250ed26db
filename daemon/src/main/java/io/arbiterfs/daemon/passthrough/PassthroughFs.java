package io.arbiterfs.daemon.passthrough;

import io.arbiterfs.fuse.DirentSink;
import io.arbiterfs.fuse.FuseConnection;
import io.arbiterfs.fuse.FuseFileSystem;
import io.arbiterfs.fuse.Name;
import io.arbiterfs.fuse.Payload;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.internal.abi.AttrOut;
import io.arbiterfs.fuse.internal.abi.CopyFileRangeIn;
import io.arbiterfs.fuse.internal.abi.CreateIn;
import io.arbiterfs.fuse.internal.abi.EntryOut;
import io.arbiterfs.fuse.internal.abi.FallocateIn;
import io.arbiterfs.fuse.internal.abi.FlushIn;
import io.arbiterfs.fuse.internal.abi.FsyncIn;
import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.fuse.internal.abi.GetattrIn;
import io.arbiterfs.fuse.internal.abi.LkIn;
import io.arbiterfs.fuse.internal.abi.LkOut;
import io.arbiterfs.fuse.internal.abi.LseekIn;
import io.arbiterfs.fuse.internal.abi.MkdirIn;
import io.arbiterfs.fuse.internal.abi.MknodIn;
import io.arbiterfs.fuse.internal.abi.OpenIn;
import io.arbiterfs.fuse.internal.abi.OpenOut;
import io.arbiterfs.fuse.internal.abi.ReadIn;
import io.arbiterfs.fuse.internal.abi.ReleaseIn;
import io.arbiterfs.fuse.internal.abi.SetattrIn;
import io.arbiterfs.fuse.internal.abi.StatfsOut;
import io.arbiterfs.fuse.internal.abi.WriteIn;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.NativeString;
import io.arbiterfs.fuse.platform.StatBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An inode-based passthrough of a host directory: every node the kernel knows holds an O_PATH fd of
 * its backing file, and every operation works relative to such fds (*at() calls with the kernel's
 * NUL-terminated name, reopening through /proc/self/fd/N), so nothing resolves a path from the
 * source root and nothing outside the source is reachable: names with '/' and "."/".." entries are
 * refused, final components are opened O_NOFOLLOW, and symlink targets are only ever returned as
 * text by READLINK.
 *
 * <p>Locks: flock(2) locks (SETLK/SETLKW with FUSE_LK_FLOCK) are taken on the backing fd. POSIX
 * byte-range locks answer ENOSYS: the session does not negotiate FUSE_POSIX_LOCKS, so the kernel
 * keeps them locally and never sends them; they are not visible to host processes.
 *
 * <p>The constructor sets the process umask to 0: the kernel sends modes with the caller's umask
 * already applied (or with it separately, which we apply), and the daemon's own umask must not
 * mask them a second time.
 */
public class PassthroughFs implements FuseFileSystem {
    /** EntryOut.generation: node ids are never reused, so one generation serves every node. */
    public static final long GENERATION = 0;

    /** Cache timeouts the kernel is told for entries (name → node) and attributes. */
    public record Options(Duration entryTimeout, Duration attrTimeout) {
        public Options {
            Objects.requireNonNull(entryTimeout, "entryTimeout");
            Objects.requireNonNull(attrTimeout, "attrTimeout");
        }

        public static Options defaults() {
            return new Options(Duration.ofSeconds(1), Duration.ofSeconds(1));
        }
    }

    private static final Logger log = LoggerFactory.getLogger(PassthroughFs.class);
    private static final LibC libc = LibC.get();
    private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(libc);

    private final Path source;
    private final InodeTable inodes;
    private final HandleTable<OpenFile> files = new HandleTable<>();
    private final HandleTable<DirHandle> dirs = new HandleTable<>();
    private final Attrs.Timeout entryTimeout;
    private final Attrs.Timeout attrTimeout;
    private final AttrOps attrs;
    private final EntryOps entries;
    /** READ/WRITE/FSYNC system calls; replaceable by a test aid (see {@link #interposeBackingIo}). */
    private volatile BackingIo io = BackingIo.SYSCALLS;

    public PassthroughFs(Path source) throws IOException {
        this(source, Options.defaults());
    }

    public PassthroughFs(Path source, Options options) throws IOException {
        this.source = source.toRealPath(); // what /proc/self/fd links show, for pathOf
        this.entryTimeout = Attrs.Timeout.of(options.entryTimeout());
        this.attrTimeout = Attrs.Timeout.of(options.attrTimeout());
        this.attrs = new AttrOps(attrTimeout);
        NativeString path = NativeString.of(this.source.toString());
        int fd = libc.open(path.address(), Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("cannot open source " + this.source + ": errno " + Native.errno());
        }
        StatBuffer st = Scratch.get().stat;
        if (libc.fstatat(fd, Scratch.EMPTY_PATH, st.address(), AttrOps.STAT_NOFOLLOW) < 0) {
            int errno = Native.errno();
            libc.close(fd);
            throw new IOException("cannot stat source " + this.source + ": errno " + errno);
        }
        this.inodes = new InodeTable(fd, st);
        this.entries = new EntryOps(inodes, entryTimeout, attrTimeout);
        libc.umask(0);
    }

    /** -errno of the last failed call on this thread (EIO if errno was somehow 0). */
    static int errnoResult() {
        int errno = Native.errno();
        return errno > 0 ? -errno : -Errno.EIO;
    }

    // ---- hooks and status ----------------------------------------------------------------

    /**
     * FOPEN_* flags for an OPEN/CREATE reply; the coherence layer overrides this. By default a user
     * O_DIRECT open bypasses the page cache and may take parallel direct writes.
     */
    protected int openReplyFlags(Inode inode, int userFlags) {
        return (userFlags & Linux.O_DIRECT) != 0
                ? FuseConst.FOPEN_DIRECT_IO | FuseConst.FOPEN_PARALLEL_DIRECT_WRITES
                : 0;
    }

    /**
     * Puts {@code wrap(current)} between this file system's data path and the backing files. Only
     * before mounting: the fault-injection test aid uses it to fail backend calls below the layers
     * that extend this class.
     */
    public void interposeBackingIo(java.util.function.UnaryOperator<BackingIo> wrap) {
        io = Objects.requireNonNull(wrap.apply(io), "backing io");
    }

    public Path source() {
        return source;
    }

    /** The backing fd of an open file handle, or -1. */
    public int fdOf(long fh) {
        OpenFile f = files.get(fh);
        return f == null ? -1 : f.fd();
    }

    /** The inode behind a node id, if the kernel still knows it. */
    public Optional<Inode> inode(long node) {
        return Optional.ofNullable(inodes.get(node));
    }

    /** A node's current path relative to the source ("" for the root), if it still has one inside it. */
    public Optional<String> pathOf(long node) {
        Inode inode = inodes.get(node);
        if (inode == null) {
            return Optional.empty();
        }
        StatBuffer st = Scratch.get().stat;
        if (libc.fstatat(inode.fd(), Scratch.EMPTY_PATH, st.address(), AttrOps.STAT_NOFOLLOW) < 0
                || (st.nlink() == 0 && inode != inodes.root())) {
            return Optional.empty(); // removed: the magic link would read "... (deleted)"
        }
        try {
            Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + inode.fd()));
            return target.startsWith(source) ? Optional.of(source.relativize(target).toString()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public int openFileCount() {
        return files.size();
    }

    public int openDirCount() {
        return dirs.size();
    }

    /** Live inodes, the root included. */
    public int inodeCount() {
        return inodes.size();
    }

    /** The kernel's outstanding lookups of a node (0 if unknown); for tests and status. */
    public long lookupCount(long node) {
        Inode inode = inodes.get(node);
        return inode == null ? 0 : inode.lookups();
    }

    // ---- life cycle ------------------------------------------------------------------------

    @Override
    public void init(FuseConnection conn) {
        log.debug("init: minor {}, flags {}, max_write {}", conn.minor(), Long.toHexString(conn.flags()), conn.maxWrite());
    }

    @Override
    public void destroy() {
        files.drain().forEach(f -> libc.close(f.fd()));
        dirs.drain().forEach(DirHandle::close);
        inodes.closeAll();
    }

    // ---- names -----------------------------------------------------------------------------

    @Override
    public int lookup(Request req, long parent, Name name, EntryOut out) {
        Inode dir = inodes.get(parent);
        return dir == null ? -Errno.ESTALE : entries.lookup(dir, name, out);
    }

    @Override
    public void forget(long node, long nlookup) {
        inodes.forget(node, nlookup);
    }

    @Override
    public int mknod(Request req, long parent, Name name, MknodIn in, EntryOut out) {
        Inode dir = inodes.get(parent);
        return dir == null ? -Errno.ESTALE : entries.mknod(req, dir, name, in.mode(), in.umask(), in.rdev(), out);
    }

    @Override
    public int mkdir(Request req, long parent, Name name, MkdirIn in, EntryOut out) {
        Inode dir = inodes.get(parent);
        return dir == null ? -Errno.ESTALE : entries.mkdir(req, dir, name, in.mode(), in.umask(), out);
    }

    @Override
    public int symlink(Request req, long parent, Name name, Name target, EntryOut out) {
        Inode dir = inodes.get(parent);
        return dir == null ? -Errno.ESTALE : entries.symlink(req, dir, name, target, out);
    }

    @Override
    public int link(Request req, long node, long newParent, Name newName, EntryOut out) {
        Inode inode = inodes.get(node);
        Inode dir = inodes.get(newParent);
        return inode == null || dir == null ? -Errno.ESTALE : entries.link(inode, dir, newName, out);
    }

    @Override
    public int unlink(Request req, long parent, Name name) {
        Inode dir = inodes.get(parent);
        return dir == null ? -Errno.ESTALE : EntryOps.remove(dir, name, 0);
    }

    @Override
    public int rmdir(Request req, long parent, Name name) {
        Inode dir = inodes.get(parent);
        return dir == null ? -Errno.ESTALE : EntryOps.remove(dir, name, Linux.AT_REMOVEDIR);
    }

    @Override
    public int rename(Request req, long parent, Name name, long newParent, Name newName, int flags) {
        Inode from = inodes.get(parent);
        Inode to = inodes.get(newParent);
        return from == null || to == null ? -Errno.ESTALE : EntryOps.rename(from, name, to, newName, flags);
    }

    // ---- attributes ------------------------------------------------------------------------

    @Override
    public int getattr(Request req, long node, GetattrIn in, AttrOut out) {
        Inode inode = inodes.get(node);
        if (inode == null) {
            return -Errno.ESTALE;
        }
        int fd = inode.fd();
        if (in != null && (in.getattrFlags() & FuseConst.GETATTR_FH) != 0) {
            OpenFile f = files.get(in.fh());
            if (f != null) {
                fd = f.fd();
            }
        }
        return attrs.statInto(fd, out);
    }

    @Override
    public int setattr(Request req, long node, SetattrIn in, AttrOut out) {
        Inode inode = inodes.get(node);
        if (inode == null) {
            return -Errno.ESTALE;
        }
        OpenFile f = null;
        if ((in.valid() & FuseConst.FATTR_FH) != 0) {
            f = files.get(in.fh());
            if (f == null) {
                return -Errno.EBADF;
            }
        }
        return attrs.setattr(inode, f, in, out);
    }

    @Override
    public int readlink(Request req, long node, Payload out) {
        Inode inode = inodes.get(node);
        return inode == null ? -Errno.ESTALE : AttrOps.readlink(inode, out);
    }

    @Override
    public int access(Request req, long node, int mask) {
        Inode inode = inodes.get(node);
        return inode == null ? -Errno.ESTALE : AttrOps.access(inode, mask);
    }

    @Override
    public int statfs(Request req, long node, StatfsOut out) {
        Inode inode = inodes.get(node);
        return AttrOps.statfs(inode == null ? inodes.root() : inode, out);
    }

    // ---- open files ------------------------------------------------------------------------

    @Override
    public int open(Request req, long node, OpenIn in, OpenOut out) {
        Inode inode = inodes.get(node);
        if (inode == null) {
            return -Errno.ESTALE;
        }
        int userFlags = in.flags();
        int fd = libc.open(Scratch.get().procPath(inode.fd()), FileIo.backingFlags(userFlags), 0);
        if (fd < 0) {
            return errnoResult();
        }
        if ((userFlags & Linux.O_TRUNC) != 0 && (in.openFlags() & FuseConst.OPEN_KILL_SUIDGID) != 0) {
            FileIo.killSuidSgid(fd);
        }
        long fh = files.add(new OpenFile(fd, userFlags, inode));
        out.fh(fh).openFlags(openReplyFlags(inode, userFlags));
        return 0;
    }

    @Override
    public int create(Request req, long parent, Name name, CreateIn in, EntryOut entry, OpenOut open) {
        Inode dir = inodes.get(parent);
        int rc = dir == null ? -Errno.ESTALE : EntryOps.checkName(name);
        if (rc < 0) {
            return rc;
        }
        int userFlags = in.flags();
        int flags = FileIo.backingFlags(userFlags) | Linux.O_CREAT | Linux.O_EXCL | Linux.O_NOFOLLOW;
        int mode = in.mode() & 07777 & ~(in.umask() & 0777);
        int fd = libc.openat(dir.fd(), name.address(), flags, mode);
        boolean created = fd >= 0;
        if (!created && Native.errno() == Errno.EEXIST && (userFlags & Linux.O_EXCL) == 0) {
            // the name appeared since the kernel's lookup: open what is there, and do not give it away
            fd = libc.openat(dir.fd(), name.address(), flags & ~(Linux.O_CREAT | Linux.O_EXCL), 0);
        }
        if (fd < 0) {
            return errnoResult();
        }
        if (created && (rc = Owners.giveByFd(req, dir.fd(), fd, mode)) < 0) {
            libc.close(fd);
            return rc;
        }
        // the O_PATH fd comes from the open file itself, not the name, which may change meanwhile
        int pathFd = libc.open(Scratch.get().procPath(fd), Linux.O_PATH | Linux.O_CLOEXEC, 0);
        if (pathFd < 0 || (rc = entries.adopt(pathFd, entry)) < 0) {
            rc = pathFd < 0 ? errnoResult() : rc;
            libc.close(fd);
            return rc;
        }
        if ((userFlags & Linux.O_TRUNC) != 0 && (in.openFlags() & FuseConst.OPEN_KILL_SUIDGID) != 0) {
            FileIo.killSuidSgid(fd);
        }
        Inode inode = inodes.get(entry.nodeId()); // live: the kernel cannot forget it before this reply
        long fh = files.add(new OpenFile(fd, userFlags, inode));
        open.fh(fh).openFlags(openReplyFlags(inode, userFlags));
        return 0;
    }

    @Override
    public int read(Request req, long node, ReadIn in, Payload out) {
        OpenFile f = files.get(in.fh());
        if (f == null) {
            return -Errno.EBADF;
        }
        return (int) io.pread(req, f.fd(), out.address(), Math.min(in.size(), out.capacity()), in.offset());
    }

    @Override
    public int write(Request req, long node, WriteIn in, long data) {
        // writeback WRITEs (FUSE_WRITE_CACHE, pid 0) may come on any writable fh of the inode: same path
        OpenFile f = files.get(in.fh());
        if (f == null) {
            return -Errno.EBADF;
        }
        long n = io.pwrite(req, f.fd(), data, in.size(), in.offset());
        if (n > 0 && FileIo.killRequested(in.writeFlags())) {
            FileIo.killSuidSgid(f.fd());
        }
        return (int) n;
    }

    @Override
    public int flush(Request req, long node, FlushIn in) {
        OpenFile f = files.get(in.fh());
        if (f == null) {
            return -Errno.EBADF;
        }
        // closing a duplicate reports errors the backing fs defers to close (e.g. NFS) without
        // giving up the fd; flock locks belong to the open file description and survive it
        int dup = libc.dup(f.fd());
        if (dup < 0) {
            return errnoResult();
        }
        return libc.close(dup) < 0 ? errnoResult() : 0;
    }

    @Override
    public int release(Request req, long node, ReleaseIn in) {
        OpenFile f = files.remove(in.fh());
        if (f == null) {
            return -Errno.EBADF;
        }
        return libc.close(f.fd()) < 0 ? errnoResult() : 0;
    }

    @Override
    public int fsync(Request req, long node, FsyncIn in) {
        OpenFile f = files.get(in.fh());
        if (f == null) {
            return -Errno.EBADF;
        }
        return io.fsync(req, f.fd(), (in.fsyncFlags() & FuseConst.FSYNC_FDATASYNC) != 0);
    }

    @Override
    public int fallocate(Request req, long node, FallocateIn in) {
        OpenFile f = files.get(in.fh());
        if (f == null) {
            return -Errno.EBADF;
        }
        return libc.fallocate(f.fd(), in.mode(), in.offset(), in.length()) < 0 ? errnoResult() : 0;
    }

    @Override
    public long lseek(Request req, long node, LseekIn in) {
        OpenFile f = files.get(in.fh());
        if (f == null) {
            return -Errno.EBADF;
        }
        // only SEEK_DATA/SEEK_HOLE reach us; the fd's position is never used for IO (pread/pwrite)
        long at = libc.lseek(f.fd(), in.offset(), in.whence());
        return at < 0 ? errnoResult() : at;
    }

    @Override
    public long copyFileRange(Request req, long nodeIn, CopyFileRangeIn in) {
        OpenFile src = files.get(in.fhIn());
        OpenFile dst = files.get(in.fhOut());
        if (src == null || dst == null) {
            return -Errno.EBADF;
        }
        long offsets = Scratch.get().offsets(in.offIn(), in.offOut());
        long n = libc.copy_file_range(src.fd(), Pointer.wrap(RUNTIME, offsets), dst.fd(),
                Pointer.wrap(RUNTIME, offsets + 8), in.len(), (int) in.flags());
        return n < 0 ? errnoResult() : n;
    }

    @Override
    public int getlk(Request req, long node, LkIn in, LkOut out) {
        return ENOSYS; // POSIX locks stay in the kernel (no FUSE_POSIX_LOCKS); flock has no GETLK
    }

    @Override
    public int setlk(Request req, long node, LkIn in, boolean sleep) {
        if ((in.lkFlags() & FuseConst.LK_FLOCK) == 0) {
            return ENOSYS;
        }
        OpenFile f = files.get(in.fh());
        if (f == null) {
            return -Errno.EBADF;
        }
        return Flocks.lock(f.fd(), in.type(), sleep, req);
    }

    // ---- directories -----------------------------------------------------------------------

    @Override
    public int opendir(Request req, long node, OpenIn in, OpenOut out) {
        Inode inode = inodes.get(node);
        if (inode == null) {
            return -Errno.ESTALE;
        }
        int fd = libc.open(Scratch.get().procPath(inode.fd()), Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
        if (fd < 0) {
            return errnoResult();
        }
        out.fh(dirs.add(new DirHandle(fd, inode)));
        return 0;
    }

    @Override
    public int readdir(Request req, long node, ReadIn in, DirentSink out) {
        DirHandle d = dirs.get(in.fh());
        if (d == null) {
            return -Errno.EBADF;
        }
        return d.read(in.offset(), out, entries::lookupAt);
    }

    @Override
    public int releasedir(Request req, long node, ReleaseIn in) {
        DirHandle d = dirs.remove(in.fh());
        if (d == null) {
            return -Errno.EBADF;
        }
        d.close();
        return 0;
    }

    @Override
    public int fsyncdir(Request req, long node, FsyncIn in) {
        DirHandle d = dirs.get(in.fh());
        if (d == null) {
            return -Errno.EBADF;
        }
        return FileIo.sync(d.fd(), (in.fsyncFlags() & FuseConst.FSYNC_FDATASYNC) != 0);
    }

    @Override
    public int syncfs(Request req, long node) {
        // syncfs(2) refuses O_PATH fds: sync through a real open of the root
        int fd = libc.open(Scratch.get().procPath(inodes.root().fd()), Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
        if (fd < 0) {
            return errnoResult();
        }
        int rc = libc.syncfs(fd) < 0 ? errnoResult() : 0;
        libc.close(fd);
        return rc;
    }

    // ---- extended attributes ---------------------------------------------------------------

    @Override
    public int setxattr(Request req, long node, Name name, long value, int size, int flags) {
        Inode inode = inodes.get(node);
        return inode == null ? -Errno.ESTALE : XattrOps.set(inode, name, value, size, flags);
    }

    @Override
    public int getxattr(Request req, long node, Name name, int size, Payload out) {
        Inode inode = inodes.get(node);
        return inode == null ? -Errno.ESTALE : XattrOps.get(inode, name, size, out);
    }

    @Override
    public int listxattr(Request req, long node, int size, Payload out) {
        Inode inode = inodes.get(node);
        return inode == null ? -Errno.ESTALE : XattrOps.list(inode, size, out);
    }

    @Override
    public int removexattr(Request req, long node, Name name) {
        Inode inode = inodes.get(node);
        return inode == null ? -Errno.ESTALE : XattrOps.remove(inode, name);
    }
}
