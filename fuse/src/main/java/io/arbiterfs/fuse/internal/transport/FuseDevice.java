package io.arbiterfs.fuse.internal.transport;

import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.internal.nativeio.Sys;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.NativeString;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * /dev/fuse file descriptors, read and written with plain read(2)/writev(2) through jnr-ffi. Not a
 * FileChannel on purpose: interrupting a thread blocked in a FileChannel closes the channel, which
 * would abort the whole mount.
 */
public final class FuseDevice {
    private static final Sys libc = Sys.get();
    private static final NativeString DEV_FUSE = NativeString.of("/dev/fuse");

    private FuseDevice() {}

    /** Opens a fresh /dev/fuse descriptor (close-on-exec). */
    public static int open() throws IOException {
        int fd = libc.open(DEV_FUSE.address(), Linux.O_RDWR | Linux.O_CLOEXEC, 0);
        if (fd < 0) {
            int e = Native.errno();
            throw new IOException("cannot open /dev/fuse: " + describe(e)
                    + (e == Errno.ENOENT ? " (is the fuse module loaded?)" : e == Errno.EACCES || e == Errno.EPERM ? " (no permission)" : ""));
        }
        return fd;
    }

    /** A new descriptor attached to the same connection as {@code sessionFd} (FUSE_DEV_IOC_CLONE). */
    public static int cloneOf(int sessionFd) throws IOException {
        int fd = open();
        ByteBuffer arg = Native.buffer(4).putInt(0, sessionFd);
        int rc = libc.ioctl(fd, FuseConst.DEV_IOC_CLONE, Native.address(arg));
        java.lang.ref.Reference.reachabilityFence(arg);
        if (rc != 0) {
            int e = Native.errno();
            libc.close(fd);
            throw new IOException("FUSE_DEV_IOC_CLONE failed: " + describe(e));
        }
        return fd;
    }

    public static void close(int fd) {
        libc.close(fd);
    }

    static String describe(int errno) {
        return switch (errno) {
            case Errno.ENOENT -> "ENOENT";
            case Errno.EACCES -> "EACCES (permission denied)";
            case Errno.EPERM -> "EPERM (operation not permitted)";
            case Errno.ENODEV -> "ENODEV (connection gone)";
            case Errno.EINVAL -> "EINVAL";
            default -> "errno " + errno;
        };
    }
}
