package io.arbiterfs.jnrfuse;

/**
 * The libfuse 2.9 / glibc x86-64 layouts and constants that jnr-fuse's struct classes are laid over, and that
 * a libfuse 2 file system may poke directly (libfuse 2.9 {@code include/fuse_common.h}, {@code include/fuse.h},
 * glibc {@code bits/struct_stat.h}, {@code bits/statvfs.h}, {@code bits/fcntl.h}). Verified against jnr-fuse's
 * own struct classes and the C compiler by {@code StructLayoutTest}.
 */
public final class LibFuse2Abi {
    private LibFuse2Abi() {}

    /** {@code struct stat}: 144 bytes; the members jnr-fuse's {@code FileStat} maps on Linux x86-64. */
    public static final int STAT_SIZE = 144;
    public static final int STAT_DEV = 0, STAT_INO = 8, STAT_NLINK = 16, STAT_MODE = 24, STAT_UID = 28,
            STAT_GID = 32, STAT_RDEV = 40, STAT_SIZE_FIELD = 48, STAT_BLKSIZE = 56, STAT_BLOCKS = 64,
            STAT_ATIM = 72, STAT_MTIM = 88, STAT_CTIM = 104;

    /** {@code struct timespec}: two longs. */
    public static final int TIMESPEC_SIZE = 16, TIMESPEC_SEC = 0, TIMESPEC_NSEC = 8;

    /** {@code struct statvfs}: 112 bytes (11 unsigned longs / 64-bit counters, then {@code __f_spare[6]}). */
    public static final int STATVFS_SIZE = 112;
    public static final int STATVFS_BSIZE = 0, STATVFS_FRSIZE = 8, STATVFS_BLOCKS = 16, STATVFS_BFREE = 24,
            STATVFS_BAVAIL = 32, STATVFS_FILES = 40, STATVFS_FFREE = 48, STATVFS_FAVAIL = 56, STATVFS_FSID = 64,
            STATVFS_FLAG = 72, STATVFS_NAMEMAX = 80;

    /** {@code struct flock}: 32 bytes. */
    public static final int FLOCK_SIZE = 32;
    public static final int FLOCK_TYPE = 0, FLOCK_WHENCE = 2, FLOCK_START = 8, FLOCK_LEN = 16, FLOCK_PID = 24;

    /**
     * libfuse 2.9 {@code struct fuse_file_info}: 40 bytes. {@code writepage} is an int at 16 and the flag
     * bit-field word ({@code direct_io:1, keep_cache:1, flush:1, nonseekable:1, flock_release:1}) an unsigned
     * int at 20. jnr-fuse's {@code FuseFileInfo} covers bytes 16..23 with five 1-byte and one 3-byte
     * {@code Padding} members named after the bits: they have no accessors, so a file system can only reach
     * these bits through raw memory, and the bridge must read and write them here.
     */
    public static final int FILE_INFO_SIZE = 40;
    public static final int FILE_INFO_FLAGS = 0, FILE_INFO_FH_OLD = 8, FILE_INFO_WRITEPAGE = 16,
            FILE_INFO_BITS = 20, FILE_INFO_FH = 24, FILE_INFO_LOCK_OWNER = 32;
    public static final int FILE_INFO_DIRECT_IO = 1, FILE_INFO_KEEP_CACHE = 1 << 1, FILE_INFO_FLUSH = 1 << 2,
            FILE_INFO_NONSEEKABLE = 1 << 3, FILE_INFO_FLOCK_RELEASE = 1 << 4;

    /**
     * libfuse 2.9 {@code struct fuse_conn_info} (what {@code init(Pointer conn)} receives): nine unsigned
     * ints, then {@code reserved[23]}; 128 bytes.
     */
    public static final int CONN_INFO_SIZE = 128;
    public static final int CONN_PROTO_MAJOR = 0, CONN_PROTO_MINOR = 4, CONN_ASYNC_READ = 8, CONN_MAX_WRITE = 12,
            CONN_MAX_READAHEAD = 16, CONN_CAPABLE = 20, CONN_WANT = 24, CONN_MAX_BACKGROUND = 28,
            CONN_CONGESTION_THRESHOLD = 32;

    /** libfuse 2.9 {@code FUSE_CAP_*} bits of {@code fuse_conn_info.capable/want} (not the kernel's INIT bits). */
    public static final int CAP_ASYNC_READ = 1, CAP_POSIX_LOCKS = 1 << 1, CAP_ATOMIC_O_TRUNC = 1 << 3,
            CAP_EXPORT_SUPPORT = 1 << 4, CAP_BIG_WRITES = 1 << 5, CAP_DONT_MASK = 1 << 6,
            CAP_SPLICE_WRITE = 1 << 7, CAP_SPLICE_MOVE = 1 << 8, CAP_SPLICE_READ = 1 << 9,
            CAP_FLOCK_LOCKS = 1 << 10, CAP_IOCTL_DIR = 1 << 11;

    /** libfuse 2.9 {@code struct fuse_context}: 40 bytes (jnr-fuse's {@code FuseContext} ends at 36). */
    public static final int CONTEXT_SIZE = 40;
    public static final int CONTEXT_FUSE = 0, CONTEXT_UID = 8, CONTEXT_GID = 12, CONTEXT_PID = 16,
            CONTEXT_PRIVATE_DATA = 24, CONTEXT_UMASK = 32;

    /** libfuse 2.9 {@code struct fuse_buf} (40 bytes) and {@code struct fuse_bufvec} (header 24, then bufs). */
    public static final int BUF_SIZE = 40, BUF_SIZE_FIELD = 0, BUF_FLAGS = 8, BUF_MEM = 16, BUF_FD = 24, BUF_POS = 32;
    public static final int BUFVEC_COUNT = 0, BUFVEC_IDX = 8, BUFVEC_OFF = 16, BUFVEC_BUF = 24;
    public static final int BUF_IS_FD = 1 << 1, BUF_FD_SEEK = 1 << 2, BUF_FD_RETRY = 1 << 3;

    /** jnr-fuse's {@code FusePollhandle}: kh at 0, then two pointers (libfuse 2.9 {@code fuse_lowlevel.c}). */
    public static final int POLLHANDLE_SIZE = 24, POLLHANDLE_KH = 0, POLLHANDLE_CH = 8, POLLHANDLE_F = 16;

    /** libfuse 2.9 {@code struct fuse_operations}: 45 pointers and one flag word at 304; 360 bytes. */
    public static final int OPERATIONS_SIZE = 360, OPERATIONS_FLAGS = 304;

    /** The inode number libfuse 2 reports in readdir entries when not {@code use_ino} ({@code lib/fuse.c}). */
    public static final long UNKNOWN_INO = 0xffffffffL;
}
