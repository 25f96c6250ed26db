package io.arbiterfs.daemon.passthrough;

import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import java.util.concurrent.locks.LockSupport;

/**
 * BSD flock(2) locks for SETLK/SETLKW with FUSE_LK_FLOCK, taken on the open file's own backing fd:
 * two FUSE opens are two host open file descriptions, so their locks conflict exactly as on the host
 * (and with host processes). A blocking request polls with LOCK_NB so it can give up on
 * FUSE_INTERRUPT instead of parking a worker thread in the kernel.
 */
final class Flocks {
    private static final LibC libc = LibC.get();
    private static final long FIRST_PAUSE_NANOS = 200_000; // 0.2 ms
    private static final long MAX_PAUSE_NANOS = 20_000_000; // 20 ms

    private Flocks() {}

    /** fuse_file_lock.type (F_RDLCK/F_WRLCK/F_UNLCK) → LOCK_SH/LOCK_EX/LOCK_UN, or -1. */
    static int operation(int type) {
        return switch (type) {
            case Linux.F_RDLCK -> Linux.LOCK_SH;
            case Linux.F_WRLCK -> Linux.LOCK_EX;
            case Linux.F_UNLCK -> Linux.LOCK_UN;
            default -> -1;
        };
    }

    static int lock(int fd, int type, boolean sleep, Request req) {
        int op = operation(type);
        if (op < 0) {
            return -Errno.EINVAL;
        }
        if (op == Linux.LOCK_UN) {
            return libc.flock(fd, op) < 0 ? PassthroughFs.errnoResult() : 0;
        }
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            if (libc.flock(fd, op | Linux.LOCK_NB) == 0) {
                return 0;
            }
            int errno = Native.errno();
            if (errno != Errno.EAGAIN || !sleep) {
                return -errno;
            }
            if (req.interrupted() || Thread.currentThread().isInterrupted()) {
                return -Errno.EINTR;
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }
}
