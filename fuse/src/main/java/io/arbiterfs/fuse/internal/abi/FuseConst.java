package io.arbiterfs.fuse.internal.abi;

/** Flag words and limits of the FUSE ABI (7.45). */
public final class FuseConst {
    public static final int KERNEL_VERSION = 7;
    public static final int KERNEL_MINOR_VERSION = 45;
    public static final long ROOT_ID = 1;
    public static final int MIN_READ_BUFFER = 8192;

    // fuse_init_in/out.flags (low word) and flags2 (high word, as 64-bit values)
    public static final long ASYNC_READ = 1L << 0;
    public static final long POSIX_LOCKS = 1L << 1;
    public static final long ATOMIC_O_TRUNC = 1L << 3;
    public static final long EXPORT_SUPPORT = 1L << 4;
    public static final long BIG_WRITES = 1L << 5;
    public static final long DONT_MASK = 1L << 6;
    public static final long FLOCK_LOCKS = 1L << 10;
    public static final long AUTO_INVAL_DATA = 1L << 12;
    public static final long DO_READDIRPLUS = 1L << 13;
    public static final long READDIRPLUS_AUTO = 1L << 14;
    public static final long ASYNC_DIO = 1L << 15;
    public static final long WRITEBACK_CACHE = 1L << 16;
    public static final long PARALLEL_DIROPS = 1L << 18;
    public static final long HANDLE_KILLPRIV = 1L << 19;
    public static final long MAX_PAGES = 1L << 22;
    public static final long HANDLE_KILLPRIV_V2 = 1L << 28;
    public static final long INIT_EXT = 1L << 30;
    public static final long DIRECT_IO_ALLOW_MMAP = 1L << 36;
    public static final long PASSTHROUGH = 1L << 37;
    /** Requests may come through io_uring (fs/fuse/dev_uring.c); flags2 bit 9. */
    public static final long OVER_IO_URING = 1L << 41;

    // fuse_open_out.open_flags
    public static final int FOPEN_DIRECT_IO = 1 << 0;
    public static final int FOPEN_KEEP_CACHE = 1 << 1;
    public static final int FOPEN_NONSEEKABLE = 1 << 2;
    public static final int FOPEN_CACHE_DIR = 1 << 3;
    public static final int FOPEN_STREAM = 1 << 4;
    public static final int FOPEN_NOFLUSH = 1 << 5;
    public static final int FOPEN_PARALLEL_DIRECT_WRITES = 1 << 6;
    public static final int FOPEN_PASSTHROUGH = 1 << 7;

    // fuse_open_in.open_flags
    public static final int OPEN_KILL_SUIDGID = 1 << 0;

    // fuse_write_in.write_flags
    public static final int WRITE_CACHE = 1 << 0;
    public static final int WRITE_LOCKOWNER = 1 << 1;
    public static final int WRITE_KILL_SUIDGID = 1 << 2;

    // fuse_release_in.release_flags
    public static final int RELEASE_FLUSH = 1 << 0;
    public static final int RELEASE_FLOCK_UNLOCK = 1 << 1;

    // fuse_getattr_in.getattr_flags
    public static final int GETATTR_FH = 1 << 0;

    // fuse_fsync_in.fsync_flags
    public static final int FSYNC_FDATASYNC = 1 << 0;

    // fuse_lk_in.lk_flags
    public static final int LK_FLOCK = 1 << 0;

    // fuse_setattr_in.valid
    public static final int FATTR_MODE = 1 << 0;
    public static final int FATTR_UID = 1 << 1;
    public static final int FATTR_GID = 1 << 2;
    public static final int FATTR_SIZE = 1 << 3;
    public static final int FATTR_ATIME = 1 << 4;
    public static final int FATTR_MTIME = 1 << 5;
    public static final int FATTR_FH = 1 << 6;
    public static final int FATTR_ATIME_NOW = 1 << 7;
    public static final int FATTR_MTIME_NOW = 1 << 8;
    public static final int FATTR_LOCKOWNER = 1 << 9;
    public static final int FATTR_CTIME = 1 << 10;
    public static final int FATTR_KILL_SUIDGID = 1 << 11;

    // notify codes (out_header.error for unsolicited messages)
    public static final int NOTIFY_INVAL_INODE = 2;
    public static final int NOTIFY_INVAL_ENTRY = 3;

    // /dev/fuse ioctls (x86-64)
    public static final long DEV_IOC_CLONE = 0x8004E500L;
    public static final long DEV_IOC_BACKING_OPEN = 0x4010E501L;
    public static final long DEV_IOC_BACKING_CLOSE = 0x4004E502L;

    private FuseConst() {}
}
