package io.arbiterfs.daemon.passthrough;

import io.arbiterfs.daemon.arbitration.ArbitrationFacts;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.AttributeReply;
import io.arbiterfs.fuse.Connection;
import io.arbiterfs.fuse.CreateArgs;
import io.arbiterfs.fuse.DataView;
import io.arbiterfs.fuse.DirectoryListing;
import io.arbiterfs.fuse.Entry;
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
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.NativeString;
import io.arbiterfs.fuse.platform.StatBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An inode-based passthrough of a host directory: every node the kernel knows holds an O_PATH fd of its backing
 * file ({@link Inode}), and every operation works relative to such fds (*at() calls with the kernel's NUL-terminated
 * name, reopening through /proc/self/fd/N), so nothing resolves a path from the source root and nothing outside the
 * source is reachable: names with '/' and "."/".." entries are refused, final components are opened O_NOFOLLOW, and
 * symlink targets are only ever returned as text by READLINK.
 *
 * <p>An open file's handle is its {@link OpenFile} (the backing fd and the inode), an open directory's its
 * {@link DirHandle}: the engine hands them back, so READ and WRITE look nothing up.
 *
 * <p>Locks: flock(2) locks (SETLK/SETLKW with FUSE_LK_FLOCK) are taken on the backing fd. POSIX byte-range locks
 * answer ENOSYS: the mount does not negotiate FUSE_POSIX_LOCKS, so the kernel keeps them locally and never sends them.
 *
 * <p>The constructor sets the process umask to 0: the kernel sends modes with the caller's umask already applied (or
 * with it separately, which we apply), and the daemon's own umask must not mask them a second time.
 */
public class PassthroughFs implements FileSystem<OpenFile, DirHandle>, ArbitrationFacts<OpenFile> {
    /** Entry generation: node ids are never reused, so one generation serves every node. */
    public static final long GENERATION = 0;

    /** Cache timeouts the kernel is told for entries (name → node) and attributes. */
    public record Options(Duration entryTimeout, Duration attrTimeout) {
        public Options {
            Objects.requireNonNull(entryTimeout, "entryTimeout");
            Objects.requireNonNull(attrTimeout, "attrTimeout");
            if (entryTimeout.isNegative() || attrTimeout.isNegative()) {
                throw new IllegalArgumentException("negative cache timeout");
            }
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
    private final AttrOps attrs;
    private final EntryOps entries;
    private final AtomicInteger openFiles = new AtomicInteger();
    private final AtomicInteger openDirs = new AtomicInteger();

    public PassthroughFs(Path source) throws IOException {
        this(source, Options.defaults());
    }

    public PassthroughFs(Path source, Options options) throws IOException {
        this.source = source.toRealPath(); // what /proc/self/fd links show, for path()
        this.attrs = new AttrOps(options.attrTimeout());
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
        this.entries = new EntryOps(inodes, options.entryTimeout(), options.attrTimeout());
        libc.umask(0);
    }

    /** -errno of the last failed call on this thread (EIO if errno was somehow 0). */
    static int errnoResult() {
        int errno = Native.errno();
        return errno > 0 ? -errno : -Errno.EIO;
    }

    // ---- facts for the decorators and status ------------------------------------------------------------

    public Path source() {
        return source;
    }

    /** The inode behind a node id, if the kernel still knows it. */
    public Optional<Inode> inode(long node) {
        return Optional.ofNullable(inodes.get(node));
    }

    @Override
    public boolean isRegularFile(long node, OpenFile file) {
        Inode inode = file != null ? file.inode() : inodes.get(node);
        return inode != null && inode.isRegular();
    }

    /** One fstat of the open file's backing fd. */
    @Override
    public long size(long node, OpenFile file) {
        if (file == null) {
            return Long.MAX_VALUE; // nothing to judge by: no write counts as extending
        }
        return FileIo.size(file.fd());
    }

    @Override
    public int backingFd(long node, OpenFile file) {
        Inode inode = file != null ? file.inode() : inodes.get(node);
        return inode == null ? -1 : inode.fd();
    }

    @Override
    public boolean known(long node) {
        return inodes.get(node) != null;
    }

    /** A node's current path relative to the source ("" for the root), if it still has one inside it. */
    @Override
    public Optional<String> path(long node) {
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
        return openFiles.get();
    }

    public int openDirCount() {
        return openDirs.get();
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

    // ---- life cycle ----------------------------------------------------------------------------------------

    @Override
    public void init(Connection conn) {
        log.debug("init: minor {}, granted {}, max_write {}", conn.minor(), conn.granted(), conn.maxWrite());
    }

    /** The engine released every open file and directory before this. */
    @Override
    public void destroy() {
        inodes.closeAll();
    }

    // ---- names ---------------------------------------------------------------------------------------------

    @Override
    public int lookup(Request req, long parent, Name name, Entry out) {
        Inode dir = inodes.get(parent);
        return dir == null ? -Errno.ESTALE : entries.lookup(dir, name, out);
    }

    @Override
    public void forget(long node, long nlookup) {
        inodes.forget(node, nlookup);
    }

    @Override
    public int mknod(Request req, long parent, Name name, int mode, int umask, int rdev, Entry out) {
        Inode dir = inodes.get(parent);
        return dir == null ? -Errno.ESTALE : entries.mknod(req, dir, name, mode, umask, rdev, out);
    }

    @Override
    public int mkdir(Request req, long parent, Name name, int mode, int umask, Entry out) {
        Inode dir = inodes.get(parent);
        return dir == null ? -Errno.ESTALE : entries.mkdir(req, dir, name, mode, umask, out);
    }

    @Override
    public int symlink(Request req, long parent, Name name, Name target, Entry out) {
        Inode dir = inodes.get(parent);
        return dir == null ? -Errno.ESTALE : entries.symlink(req, dir, name, target, out);
    }

    @Override
    public int link(Request req, long node, long newParent, Name newName, Entry out) {
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

    // ---- attributes ----------------------------------------------------------------------------------------

    @Override
    public int getattr(Request req, long node, OpenFile file, AttributeReply out) {
        if (file != null) {
            return attrs.statInto(file.fd(), out);
        }
        Inode inode = inodes.get(node);
        return inode == null ? -Errno.ESTALE : attrs.statInto(inode.fd(), out);
    }

    @Override
    public int setattr(Request req, long node, OpenFile file, SetAttributes changes, AttributeReply out) {
        Inode inode = file != null ? file.inode() : inodes.get(node);
        return inode == null ? -Errno.ESTALE : attrs.setattr(inode, file, changes, out);
    }

    @Override
    public int readlink(Request req, long node, ReplyBuffer out) {
        Inode inode = inodes.get(node);
        return inode == null ? -Errno.ESTALE : AttrOps.readlink(inode, out);
    }

    @Override
    public int access(Request req, long node, int mask) {
        Inode inode = inodes.get(node);
        return inode == null ? -Errno.ESTALE : AttrOps.access(inode, mask);
    }

    @Override
    public int statfs(Request req, long node, FsStats out) {
        Inode inode = inodes.get(node);
        return AttrOps.statfs(inode == null ? inodes.root() : inode, out);
    }

    // ---- open files ----------------------------------------------------------------------------------------

    @Override
    public int open(Request req, long node, OpenArgs args, OpenReply<OpenFile> out) {
        Inode inode = inodes.get(node);
        if (inode == null) {
            return -Errno.ESTALE;
        }
        int userFlags = args.flags();
        int fd = libc.open(Scratch.get().procPath(inode.fd()), FileIo.backingFlags(userFlags), 0);
        if (fd < 0) {
            return errnoResult();
        }
        if ((userFlags & Linux.O_TRUNC) != 0 && args.killSuidGid()) {
            FileIo.killSuidSgid(fd);
        }
        opened(out, new OpenFile(fd, userFlags, inode));
        return 0;
    }

    /** By default a user O_DIRECT open bypasses the page cache and may take parallel direct writes. */
    private void opened(OpenReply<OpenFile> out, OpenFile f) {
        boolean direct = (f.userFlags() & Linux.O_DIRECT) != 0;
        out.handle(f).directIo(direct).parallelDirectWrites(direct);
        openFiles.incrementAndGet();
    }

    @Override
    public int create(Request req, long parent, Name name, CreateArgs args, Entry entry, OpenReply<OpenFile> open) {
        Inode dir = inodes.get(parent);
        int rc = dir == null ? -Errno.ESTALE : EntryOps.checkName(name);
        if (rc < 0) {
            return rc;
        }
        int userFlags = args.flags();
        int flags = FileIo.backingFlags(userFlags) | Linux.O_CREAT | Linux.O_EXCL | Linux.O_NOFOLLOW;
        int mode = args.mode() & 07777 & ~(args.umask() & 0777);
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
        if ((userFlags & Linux.O_TRUNC) != 0 && args.killSuidGid()) {
            FileIo.killSuidSgid(fd);
        }
        Inode inode = inodes.get(entry.node()); // live: the kernel cannot forget it before this reply
        opened(open, new OpenFile(fd, userFlags, inode));
        return 0;
    }

    @Override
    public int read(Request req, long node, OpenFile f, long offset, int size, ReplyBuffer out) {
        if (f == null) {
            return -Errno.EBADF;
        }
        return (int) FileIo.pread(f.fd(), out.address(), Math.min(size, out.capacity()), offset);
    }

    /** Writeback WRITEs (FUSE_WRITE_CACHE, pid 0) may come on any writable handle of the inode: same path. */
    @Override
    public int write(Request req, long node, OpenFile f, WriteArgs args, DataView data) {
        if (f == null) {
            return -Errno.EBADF;
        }
        long n = FileIo.pwrite(f.fd(), data.address(), args.size(), args.offset());
        if (n > 0 && args.killSuidGid()) {
            FileIo.killSuidSgid(f.fd());
        }
        return (int) n;
    }

    @Override
    public int flush(Request req, long node, OpenFile f, long lockOwner) {
        if (f == null) {
            return -Errno.EBADF;
        }
        // closing a duplicate reports errors the backing fs defers to close (e.g. NFS) without giving up the fd;
        // flock locks belong to the open file description and survive it
        int dup = libc.dup(f.fd());
        if (dup < 0) {
            return errnoResult();
        }
        return libc.close(dup) < 0 ? errnoResult() : 0;
    }

    @Override
    public int release(Request req, long node, OpenFile f, int flags) {
        if (f == null) {
            return -Errno.EBADF;
        }
        openFiles.decrementAndGet();
        return libc.close(f.fd()) < 0 ? errnoResult() : 0;
    }

    @Override
    public int fsync(Request req, long node, OpenFile f, boolean dataOnly) {
        return f == null ? -Errno.EBADF : FileIo.sync(f.fd(), dataOnly);
    }

    @Override
    public int fallocate(Request req, long node, OpenFile f, int mode, long offset, long length) {
        if (f == null) {
            return -Errno.EBADF;
        }
        return libc.fallocate(f.fd(), mode, offset, length) < 0 ? errnoResult() : 0;
    }

    @Override
    public long lseek(Request req, long node, OpenFile f, long offset, int whence) {
        if (f == null) {
            return -Errno.EBADF;
        }
        // only SEEK_DATA/SEEK_HOLE reach us; the fd's position is never used for IO (pread/pwrite)
        long at = libc.lseek(f.fd(), offset, whence);
        return at < 0 ? errnoResult() : at;
    }

    @Override
    public long copyFileRange(Request req, long nodeIn, OpenFile src, long offsetIn, long nodeOut, OpenFile dst,
                              long offsetOut, long length, int flags) {
        if (src == null || dst == null) {
            return -Errno.EBADF;
        }
        long offsets = Scratch.get().offsets(offsetIn, offsetOut);
        long n = libc.copy_file_range(src.fd(), Pointer.wrap(RUNTIME, offsets), dst.fd(),
                Pointer.wrap(RUNTIME, offsets + 8), length, flags);
        return n < 0 ? errnoResult() : n;
    }

    @Override
    public int getlk(Request req, long node, OpenFile f, LockArgs lock, LockReply out) {
        return ENOSYS; // POSIX locks stay in the kernel (no FUSE_POSIX_LOCKS); flock has no GETLK
    }

    @Override
    public int setlk(Request req, long node, OpenFile f, LockArgs lock, boolean wait) {
        if (!lock.isFlock()) {
            return ENOSYS;
        }
        if (f == null) {
            return -Errno.EBADF;
        }
        return Flocks.lock(f.fd(), lock.type(), wait, req);
    }

    // ---- directories ---------------------------------------------------------------------------------------

    @Override
    public int opendir(Request req, long node, OpenArgs args, OpenReply<DirHandle> out) {
        Inode inode = inodes.get(node);
        if (inode == null) {
            return -Errno.ESTALE;
        }
        int fd = libc.open(Scratch.get().procPath(inode.fd()), Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
        if (fd < 0) {
            return errnoResult();
        }
        out.handle(new DirHandle(fd, inode));
        openDirs.incrementAndGet();
        return 0;
    }

    @Override
    public int readdir(Request req, long node, DirHandle d, long offset, DirectoryListing out) {
        return d == null ? -Errno.EBADF : d.read(offset, out, entries::lookupAt);
    }

    @Override
    public int releasedir(Request req, long node, DirHandle d) {
        if (d == null) {
            return -Errno.EBADF;
        }
        d.close();
        openDirs.decrementAndGet();
        return 0;
    }

    @Override
    public int fsyncdir(Request req, long node, DirHandle d, boolean dataOnly) {
        return d == null ? -Errno.EBADF : FileIo.sync(d.fd(), dataOnly);
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

    // ---- extended attributes -------------------------------------------------------------------------------

    @Override
    public int setxattr(Request req, long node, Name name, DataView value, int flags) {
        Inode inode = inodes.get(node);
        return inode == null ? -Errno.ESTALE : XattrOps.set(inode, name, value.address(), value.size(), flags);
    }

    @Override
    public int getxattr(Request req, long node, Name name, int size, ReplyBuffer out) {
        Inode inode = inodes.get(node);
        return inode == null ? -Errno.ESTALE : XattrOps.get(inode, name, size, out);
    }

    @Override
    public int listxattr(Request req, long node, int size, ReplyBuffer out) {
        Inode inode = inodes.get(node);
        return inode == null ? -Errno.ESTALE : XattrOps.list(inode, size, out);
    }

    @Override
    public int removexattr(Request req, long node, Name name) {
        Inode inode = inodes.get(node);
        return inode == null ? -Errno.ESTALE : XattrOps.remove(inode, name);
    }
}
