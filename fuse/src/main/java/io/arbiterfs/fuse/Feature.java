package io.arbiterfs.fuse;

import java.util.EnumSet;
import java.util.Set;

/**
 * Capabilities negotiated in FUSE_INIT (include/uapi/linux/fuse.h, {@code FUSE_*} INIT flags). A mount asks for
 * some ({@link FuseMount.Builder#features}); the kernel grants those it offers; {@link Connection#granted} tells.
 * Some change what the file system must do: those say so.
 */
public enum Feature {
    /** The kernel may issue reads asynchronously (readahead in parallel). */
    ASYNC_READ(1L << 0),
    /** POSIX record locks are sent to the file system (GETLK/SETLK) instead of being kept in the kernel. */
    POSIX_LOCKS(1L << 1),
    /** O_TRUNC is passed to {@link FileSystem#open}, which must truncate, instead of a separate SETATTR. */
    ATOMIC_O_TRUNC(1L << 3),
    /** The file system looks up "." and ".." (needed to export the mount over NFS). */
    EXPORT_SUPPORT(1L << 4),
    /** Writes larger than 4 KiB. */
    BIG_WRITES(1L << 5),
    /** The kernel does not apply the umask to CREATE/MKNOD/MKDIR modes: the file system does. */
    DONT_MASK(1L << 6),
    /** flock(2) locks are sent to the file system (SETLK with {@link LockArgs#isFlock()}). */
    FLOCK_LOCKS(1L << 10),
    /** The kernel drops a file's cached pages when its size or mtime changed at an attribute refresh. */
    AUTO_INVAL_DATA(1L << 12),
    /** READDIRPLUS: listings carry entries (attributes and lookups) too. */
    READDIRPLUS(1L << 13),
    /** The kernel chooses between READDIR and READDIRPLUS by itself. */
    READDIRPLUS_AUTO(1L << 14),
    /** Direct IO from AIO callers is sent asynchronously (several requests per call in flight). */
    ASYNC_DIO(1L << 15),
    /** Buffered writes collect in the kernel's page cache and are written back in large WRITEs later. */
    WRITEBACK_CACHE(1L << 16),
    /** Lookups and readdirs in one directory may run in parallel. */
    PARALLEL_DIROPS(1L << 18),
    /**
     * POSIX ACLs: the kernel enforces ACLs stored as system.posix_acl_* xattrs, applies default ACLs and the umask
     * itself and keeps mode and ACL in step; CREATE/MKNOD/MKDIR modes arrive without the umask applied.
     */
    POSIX_ACL(1L << 20),
    /** Requests and replies up to {@link FuseMount.Builder#maxWrite} bytes (max_pages). */
    MAX_PAGES(1L << 22),
    /**
     * The file system clears set-user-id and set-group-id bits itself on writes, truncates and fallocates by
     * unprivileged callers ({@link WriteArgs#killSuidGid()}, {@link OpenArgs#killSuidGid()},
     * {@link SetAttributes#killSuidGid()}; FALLOCATE carries no flag, so always there), and the kernel stops
     * asking GETXATTR security.capability before every write.
     */
    HANDLE_KILLPRIV_V2(1L << 28),
    /** MAP_SHARED mappings of files opened with direct IO ({@link OpenReply#directIo}) are allowed. */
    DIRECT_IO_ALLOW_MMAP(1L << 36),
    /** {@link OpenReply#passthrough}: the kernel does the IO on a backing file (needs CAP_SYS_ADMIN). */
    PASSTHROUGH(1L << 37);

    /** What every mount asks for unless told otherwise: harmless for any file system. */
    public static final Set<Feature> DEFAULTS = Set.copyOf(EnumSet.of(ASYNC_READ, BIG_WRITES, MAX_PAGES, ASYNC_DIO,
            PARALLEL_DIROPS, AUTO_INVAL_DATA, READDIRPLUS, READDIRPLUS_AUTO));

    private final long bit;

    Feature(long bit) {
        this.bit = bit;
    }

    /** The flag as the kernel's 64-bit INIT flag word has it (flags | flags2 &lt;&lt; 32). */
    public long bit() {
        return bit;
    }

    /** The flag word of a set of features. */
    public static long bits(Set<Feature> features) {
        long b = 0;
        for (Feature f : features) {
            b |= f.bit;
        }
        return b;
    }

    /** The features in a flag word (unknown bits are ignored). */
    public static Set<Feature> of(long bits) {
        EnumSet<Feature> s = EnumSet.noneOf(Feature.class);
        for (Feature f : values()) {
            if ((bits & f.bit) != 0) {
                s.add(f);
            }
        }
        return s;
    }
}
