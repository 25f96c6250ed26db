package io.arbiterfs.fuse;

import io.arbiterfs.fuse.platform.Errno;

/**
 * A file system as the kernel sees it through FUSE: one method per request, nodes named by the 64-bit
 * node ids the file system hands out in {@link Entry#node(long)}, and open files and directories named
 * by handle objects of the file system's own types.
 *
 * <h2>Results</h2>
 * Every method returns 0 or a non-negative count on success and {@code -errno} (see {@link Errno}) on
 * failure. The defaults answer {@code -ENOSYS}; for most requests the kernel then stops sending them
 * (it remembers ENOSYS per connection), so implement what you support and leave the rest.
 *
 * <h2>Handles</h2>
 * {@link #open}, {@link #create} and {@link #opendir} may give the engine a handle object with
 * {@link OpenReply#handle(Object)}. The engine keeps it (the kernel only sees a number) and passes the
 * same object to every later request on that open file, up to and including {@link #release}
 * ({@link #releasedir} for directories), after which it forgets it. A READ or WRITE costs the engine
 * one array lookup to find the handle; nothing else is looked up on your behalf. {@code F} is the type
 * of open-file handles, {@code D} of open-directory handles; a file system without per-open state can
 * leave the handle unset, and then gets {@code null}.
 *
 * <h2>Threads, blocking, interrupts</h2>
 * Methods are called concurrently from the engine's request threads (platform threads that live as
 * long as the mount). A method may block: that request thread waits, and so does the process that
 * made the system call; other requests go on in other threads. If that process gets a signal, the
 * kernel sends FUSE_INTERRUPT and {@link Request#interrupted()} turns true; a method waiting for
 * something that may not come (a lock, a slow device) should check it and return {@code -EINTR}.
 * Nothing is interrupted in the Java sense ({@link Thread#interrupt()} is never called).
 *
 * <h2>Views</h2>
 * Arguments ({@link Name}, {@link DataView}, the {@code *Args} views) and reply sinks ({@link Entry},
 * {@link AttributeReply}, {@link ReplyBuffer}, …) point into the request thread's buffers: they are
 * valid only until the method returns and must not be kept or handed to another thread. Reply sinks
 * arrive zeroed.
 *
 * @param <F> the type of open-file handles
 * @param <D> the type of open-directory handles
 */
public interface FileSystem<F, D> {
    /** The root directory's node id: it exists from the start, is never looked up and never forgotten. */
    long ROOT = 1;

    /** {@code -ENOSYS}: the default answer of every method that has not been implemented. */
    int ENOSYS = -Errno.ENOSYS;

    // ---- life cycle ------------------------------------------------------------------------------

    /**
     * The kernel and the engine agreed on the protocol (FUSE_INIT); called once, before any other
     * request, on a request thread. {@code connection} tells what was granted and is the way to send
     * notifications to the kernel; keep it.
     */
    default void init(Connection connection) {}

    /**
     * The connection is ending (FUSE_DESTROY, unmount or abort): release everything. Called once, after which no other
     * method is called. May be called from any engine thread. When the connection ends with files still open (a lazy
     * unmount, an abort), the engine first calls {@link #release} and {@link #releasedir} for each of them (with a
     * request of pid 0 and node 0); a FUSE_DESTROY from the kernel may arrive before those.
     */
    default void destroy() {}

    // ---- names ---------------------------------------------------------------------------------------

    /**
     * Looks up {@code name} in directory {@code parent} (FUSE_LOOKUP). On success fill {@code out}: the
     * node id, its attributes, and how long the kernel may cache the name and the attributes. Every
     * successful answer with a node id counts one lookup of that node, which the kernel later gives back
     * with {@link #forget}. For a name that does not exist, return {@code -ENOENT} (or answer with node id 0
     * and an entry timeout to let the kernel cache the absence).
     */
    default int lookup(Request req, long parent, Name name, Entry out) {
        return ENOSYS;
    }

    /**
     * The kernel dropped {@code lookups} of its lookups of {@code node} (FUSE_FORGET, FUSE_BATCH_FORGET);
     * at zero it no longer uses the node id. No reply; may arrive on any request thread, also while other
     * requests on the node are still running.
     */
    default void forget(long node, long lookups) {}

    /**
     * The attributes of {@code node} (FUSE_GETATTR). {@code file} is the open file the caller named (fstat),
     * or null. Fill {@code out} and its validity.
     */
    default int getattr(Request req, long node, F file, AttributeReply out) {
        return ENOSYS;
    }

    /**
     * Changes the attributes named in {@code changes} (FUSE_SETATTR: chmod, chown, truncate, utimes), then
     * fills {@code out} with the attributes as they are now. {@code file} is the open file of an
     * ftruncate/fchmod/…, or null.
     */
    default int setattr(Request req, long node, F file, SetAttributes changes, AttributeReply out) {
        return ENOSYS;
    }

    /** Writes the target of symbolic link {@code node} (no NUL) into {@code out}; returns its length (FUSE_READLINK). */
    default int readlink(Request req, long node, ReplyBuffer out) {
        return ENOSYS;
    }

    /** Creates symbolic link {@code name} in {@code parent} pointing at {@code target}; fills {@code out} as {@link #lookup}. */
    default int symlink(Request req, long parent, Name name, Name target, Entry out) {
        return ENOSYS;
    }

    /**
     * Creates a file, device node, FIFO or socket (FUSE_MKNOD). {@code mode} includes the file type;
     * {@code umask} is the caller's umask, already applied to {@code mode} by the kernel unless the mount
     * negotiated {@link Feature#POSIX_ACL} (then the file system must apply it, or inherit default ACLs).
     * Fills {@code out} as {@link #lookup}.
     */
    default int mknod(Request req, long parent, Name name, int mode, int umask, int rdev, Entry out) {
        return ENOSYS;
    }

    /** Creates directory {@code name} (FUSE_MKDIR); {@code mode} and {@code umask} as for {@link #mknod}. */
    default int mkdir(Request req, long parent, Name name, int mode, int umask, Entry out) {
        return ENOSYS;
    }

    /** Removes the non-directory {@code name} from {@code parent} (FUSE_UNLINK); its node lives on while the kernel knows it. */
    default int unlink(Request req, long parent, Name name) {
        return ENOSYS;
    }

    /** Removes the empty directory {@code name} from {@code parent} (FUSE_RMDIR). */
    default int rmdir(Request req, long parent, Name name) {
        return ENOSYS;
    }

    /**
     * Renames {@code parent/name} to {@code newParent/newName} (FUSE_RENAME, FUSE_RENAME2). {@code flags}
     * are renameat2(2)'s: 0, RENAME_NOREPLACE (1), RENAME_EXCHANGE (2), RENAME_WHITEOUT (4).
     */
    default int rename(Request req, long parent, Name name, long newParent, Name newName, int flags) {
        return ENOSYS;
    }

    /** Makes a new name {@code newParent/newName} for {@code node} (FUSE_LINK); fills {@code out} as {@link #lookup}. */
    default int link(Request req, long node, long newParent, Name newName, Entry out) {
        return ENOSYS;
    }

    // ---- files ---------------------------------------------------------------------------------------

    /**
     * Opens file {@code node} (FUSE_OPEN) with the open(2) flags in {@code args}. Optionally give the
     * engine a handle and choose how the kernel treats the open in {@code out}: direct IO, parallel
     * direct writes, keeping the page cache, passthrough to a backing file.
     */
    default int open(Request req, long node, OpenArgs args, OpenReply<F> out) {
        return ENOSYS;
    }

    /**
     * Creates and opens {@code name} in {@code parent} (FUSE_CREATE, open(2) with O_CREAT): fill
     * {@code entry} as {@link #lookup} and {@code open} as {@link #open}. Answering {@code -ENOSYS} makes
     * the kernel fall back to {@link #mknod} and {@link #open} for good.
     */
    default int create(Request req, long parent, Name name, CreateArgs args, Entry entry, OpenReply<F> open) {
        return ENOSYS;
    }

    /**
     * Creates an unnamed regular file in directory {@code parent} and opens it (FUSE_TMPFILE, open(2) with
     * O_TMPFILE): fill {@code entry} and {@code open} as {@link #create}. The file has no name until linkat(2)
     * gives it one through {@link #link}; it disappears when its last open and lookup are gone.
     */
    default int tmpfile(Request req, long parent, CreateArgs args, Entry entry, OpenReply<F> open) {
        return ENOSYS;
    }

    /**
     * Reads up to {@code size} bytes at {@code offset} into {@code out} (FUSE_READ); returns the count.
     * Fewer bytes than asked mean end of file, unless the open is direct IO, where they are what the
     * caller gets. {@code out} may be written through its {@link ReplyBuffer#address()} by a system call
     * (pread) without a copy.
     */
    default int read(Request req, long node, F file, long offset, int size, ReplyBuffer out) {
        return ENOSYS;
    }

    /**
     * Writes {@code data} (exactly {@link WriteArgs#size()} bytes) at {@link WriteArgs#offset()} (FUSE_WRITE);
     * returns the count written. {@link WriteArgs#isWriteback()} marks writes of the kernel's page cache
     * (mmap stores, writeback-cache writes), which carry pid 0 and may name any writable handle of the
     * node. With parallel direct writes (see {@link OpenReply#parallelDirectWrites()}) several writes to one
     * file run at the same time.
     */
    default int write(Request req, long node, F file, WriteArgs args, DataView data) {
        return ENOSYS;
    }

    /**
     * A close(2) of a descriptor of the open file (FUSE_FLUSH; once per close, so possibly many times per
     * open). Report errors a close should report; {@code lockOwner} identifies the closing owner of POSIX locks.
     */
    default int flush(Request req, long node, F file, long lockOwner) {
        return ENOSYS;
    }

    /**
     * The last reference to the open file is gone (FUSE_RELEASE): release {@code file}. The kernel ignores the
     * result; the engine forgets the handle afterwards. {@code flags} are the open flags.
     */
    default int release(Request req, long node, F file, int flags) {
        return 0;
    }

    /** Flushes the open file to stable storage (FUSE_FSYNC); {@code dataOnly} for fdatasync(2). */
    default int fsync(Request req, long node, F file, boolean dataOnly) {
        return ENOSYS;
    }

    /**
     * Allocates or deallocates space (FUSE_FALLOCATE): {@code mode} as fallocate(2)'s (0, FALLOC_FL_KEEP_SIZE,
     * PUNCH_HOLE, ZERO_RANGE, …). The kernel does not clear set-user-id bits for an unprivileged caller
     * under {@link Feature#HANDLE_KILLPRIV_V2}; a file system that negotiated it must.
     */
    default int fallocate(Request req, long node, F file, int mode, long offset, long length) {
        return ENOSYS;
    }

    /** SEEK_DATA / SEEK_HOLE (FUSE_LSEEK; other whence values the kernel handles itself): returns the new offset. */
    default long lseek(Request req, long node, F file, long offset, int whence) {
        return ENOSYS;
    }

    /**
     * Copies {@code length} bytes from {@code in} at {@code offsetIn} to {@code out} at {@code offsetOut}
     * (FUSE_COPY_FILE_RANGE); returns the count copied. The two files may be the same.
     */
    default long copyFileRange(Request req, long nodeIn, F in, long offsetIn, long nodeOut, F out, long offsetOut,
                               long length, int flags) {
        return ENOSYS;
    }

    /** Tests for a POSIX lock (FUSE_GETLK): fill {@code out} with a conflicting lock, or with type F_UNLCK. */
    default int getlk(Request req, long node, F file, LockArgs lock, LockReply out) {
        return ENOSYS;
    }

    /**
     * Takes or releases a lock (FUSE_SETLK, or FUSE_SETLKW when {@code wait}). {@link LockArgs#isFlock()}
     * marks flock(2) locks. A waiting lock must give up with {@code -EINTR} once {@link Request#interrupted()}.
     */
    default int setlk(Request req, long node, F file, LockArgs lock, boolean wait) {
        return ENOSYS;
    }

    // ---- directories -------------------------------------------------------------------------------

    /** Opens directory {@code node} for listing (FUSE_OPENDIR); {@code out} as for {@link #open}. */
    default int opendir(Request req, long node, OpenArgs args, OpenReply<D> out) {
        return ENOSYS;
    }

    /**
     * Lists entries of {@code dir} starting after the entry whose cookie was {@code offset} (0: from the
     * start) into {@code out} (FUSE_READDIR, or FUSE_READDIRPLUS when {@link DirectoryListing#isPlus()}).
     * Add entries until {@link DirectoryListing} refuses one; returning with none added means the end.
     */
    default int readdir(Request req, long node, D dir, long offset, DirectoryListing out) {
        return ENOSYS;
    }

    /** The directory is closed (FUSE_RELEASEDIR); the engine forgets the handle afterwards. */
    default int releasedir(Request req, long node, D dir) {
        return 0;
    }

    /** Flushes the directory (FUSE_FSYNCDIR). */
    default int fsyncdir(Request req, long node, D dir, boolean dataOnly) {
        return ENOSYS;
    }

    // ---- the rest ----------------------------------------------------------------------------------------

    /** Fills {@code out} with the file system's statistics (FUSE_STATFS, statfs(2) on any file of the mount). */
    default int statfs(Request req, long node, FsStats out) {
        return ENOSYS;
    }

    /**
     * access(2) (FUSE_ACCESS): whether the caller may access {@code node} as {@code mask} (R_OK 4, W_OK 2,
     * X_OK 1, F_OK 0) asks. Not sent when the mount has default_permissions (the kernel checks modes itself).
     */
    default int access(Request req, long node, int mask) {
        return ENOSYS;
    }

    /**
     * Sets extended attribute {@code name} to {@code value} (FUSE_SETXATTR); {@code flags} are XATTR_CREATE
     * (1) and XATTR_REPLACE (2).
     */
    default int setxattr(Request req, long node, Name name, DataView value, int flags) {
        return ENOSYS;
    }

    /**
     * Reads extended attribute {@code name} (FUSE_GETXATTR). With {@code size == 0} the caller only asks for the
     * value's length: return it. Otherwise write the value into {@code out} (whose capacity is {@code size})
     * and return its length, or {@code -ERANGE} if it does not fit; {@link ReplyBuffer#xattr} does all three.
     * Return {@code -ENODATA} for an attribute that does not exist.
     */
    default int getxattr(Request req, long node, Name name, int size, ReplyBuffer out) {
        return ENOSYS;
    }

    /** As {@link #getxattr}, for the list of attribute names, each NUL-terminated (FUSE_LISTXATTR). */
    default int listxattr(Request req, long node, int size, ReplyBuffer out) {
        return ENOSYS;
    }

    /** Removes extended attribute {@code name} (FUSE_REMOVEXATTR); {@code -ENODATA} if there is none. */
    default int removexattr(Request req, long node, Name name) {
        return ENOSYS;
    }

    /** syncfs(2) on the mount (FUSE_SYNCFS). */
    default int syncfs(Request req, long node) {
        return ENOSYS;
    }
}
