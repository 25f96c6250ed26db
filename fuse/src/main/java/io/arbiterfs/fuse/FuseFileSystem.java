package io.arbiterfs.fuse;

import io.arbiterfs.fuse.internal.abi.AttrOut;
import io.arbiterfs.fuse.internal.abi.CopyFileRangeIn;
import io.arbiterfs.fuse.internal.abi.CreateIn;
import io.arbiterfs.fuse.internal.abi.EntryOut;
import io.arbiterfs.fuse.internal.abi.FallocateIn;
import io.arbiterfs.fuse.internal.abi.FlushIn;
import io.arbiterfs.fuse.internal.abi.FsyncIn;
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

/**
 * A file system as the FUSE session sees it: one method per request type, node ids as the kernel
 * knows them. Every method returns 0 or a non-negative count on success and {@code -errno} on
 * failure; the defaults answer ENOSYS, which the kernel remembers for most operations.
 *
 * <p>Methods are called concurrently from several worker threads. Argument views ({@link Name},
 * the *In structs, the *Out structs, {@link Payload}) point into the worker's buffers and must not
 * be kept after the call returns. Out structs arrive zeroed.
 */
public interface FuseFileSystem {
    int ENOSYS = -Errno.ENOSYS;

    /** The session negotiated INIT; {@code conn} tells what the kernel and the options allow. */
    default void init(FuseConnection conn) {}

    /** The kernel is going away (DESTROY or unmount); release everything. */
    default void destroy() {}

    default int lookup(Request req, long parent, Name name, EntryOut out) { return ENOSYS; }

    /** The kernel dropped {@code nlookup} references to {@code node}; no reply. */
    default void forget(long node, long nlookup) {}

    default int getattr(Request req, long node, GetattrIn in, AttrOut out) { return ENOSYS; }

    default int setattr(Request req, long node, SetattrIn in, AttrOut out) { return ENOSYS; }

    /** Writes the link target (no NUL) into {@code out}; returns its length. */
    default int readlink(Request req, long node, Payload out) { return ENOSYS; }

    default int symlink(Request req, long parent, Name name, Name target, EntryOut out) { return ENOSYS; }

    default int mknod(Request req, long parent, Name name, MknodIn in, EntryOut out) { return ENOSYS; }

    default int mkdir(Request req, long parent, Name name, MkdirIn in, EntryOut out) { return ENOSYS; }

    default int unlink(Request req, long parent, Name name) { return ENOSYS; }

    default int rmdir(Request req, long parent, Name name) { return ENOSYS; }

    /** RENAME (flags 0) and RENAME2 (RENAME_NOREPLACE 1, RENAME_EXCHANGE 2, RENAME_WHITEOUT 4). */
    default int rename(Request req, long parent, Name name, long newParent, Name newName, int flags) { return ENOSYS; }

    default int link(Request req, long node, long newParent, Name newName, EntryOut out) { return ENOSYS; }

    default int open(Request req, long node, OpenIn in, OpenOut out) { return ENOSYS; }

    default int create(Request req, long parent, Name name, CreateIn in, EntryOut entry, OpenOut open) { return ENOSYS; }

    /** Reads at most {@code min(in.size(), out.capacity())} bytes into {@code out}; returns the count. */
    default int read(Request req, long node, ReadIn in, Payload out) { return ENOSYS; }

    /** Writes {@code in.size()} bytes found at native address {@code data}; returns the count written. */
    default int write(Request req, long node, WriteIn in, long data) { return ENOSYS; }

    default int flush(Request req, long node, FlushIn in) { return ENOSYS; }

    /** The last reference to an open file is gone; the reply's error is ignored by the kernel. */
    default int release(Request req, long node, ReleaseIn in) { return 0; }

    default int fsync(Request req, long node, FsyncIn in) { return ENOSYS; }

    default int opendir(Request req, long node, OpenIn in, OpenOut out) { return ENOSYS; }

    /** READDIR or READDIRPLUS ({@link DirentSink#isPlus()}); an empty sink means end of directory. */
    default int readdir(Request req, long node, ReadIn in, DirentSink out) { return ENOSYS; }

    default int releasedir(Request req, long node, ReleaseIn in) { return 0; }

    default int fsyncdir(Request req, long node, FsyncIn in) { return ENOSYS; }

    default int statfs(Request req, long node, StatfsOut out) { return ENOSYS; }

    default int access(Request req, long node, int mask) { return ENOSYS; }

    default int setxattr(Request req, long node, Name name, long value, int size, int flags) { return ENOSYS; }

    /**
     * With {@code size == 0} returns the value's length; otherwise writes the value into {@code out}
     * (capacity {@code size}) and returns its length, or -ERANGE if it does not fit.
     */
    default int getxattr(Request req, long node, Name name, int size, Payload out) { return ENOSYS; }

    /** As {@link #getxattr}, for the NUL-separated list of names. */
    default int listxattr(Request req, long node, int size, Payload out) { return ENOSYS; }

    default int removexattr(Request req, long node, Name name) { return ENOSYS; }

    default int fallocate(Request req, long node, FallocateIn in) { return ENOSYS; }

    /** Returns the new offset, or -errno. */
    default long lseek(Request req, long node, LseekIn in) { return ENOSYS; }

    /** Returns the number of bytes copied, or -errno. */
    default long copyFileRange(Request req, long nodeIn, CopyFileRangeIn in) { return ENOSYS; }

    default int getlk(Request req, long node, LkIn in, LkOut out) { return ENOSYS; }

    /** SETLK ({@code sleep == false}) and SETLKW; a sleeping lock must give up with -EINTR once {@link Request#interrupted()}. */
    default int setlk(Request req, long node, LkIn in, boolean sleep) { return ENOSYS; }

    default int syncfs(Request req, long node) { return ENOSYS; }
}
