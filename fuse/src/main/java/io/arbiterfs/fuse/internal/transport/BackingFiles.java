package io.arbiterfs.fuse.internal.transport;

import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.fuse.internal.nativeio.Sys;
import io.arbiterfs.fuse.platform.Native;
import java.nio.ByteBuffer;

/** FUSE_DEV_IOC_BACKING_OPEN / _CLOSE: registering backing files for FOPEN_PASSTHROUGH. */
final class BackingFiles {
    private static final Sys libc = Sys.get();

    private BackingFiles() {}

    /** Registers {@code fd}; returns the backing id (&gt; 0) or -errno (EPERM without CAP_SYS_ADMIN or passthrough). */
    static int open(int deviceFd, int fd) {
        ByteBuffer map = Native.buffer(16); // fuse_backing_map: fd, flags (0), padding (0)
        map.putInt(0, fd).putInt(4, 0).putLong(8, 0);
        int id = libc.ioctl(deviceFd, FuseConst.DEV_IOC_BACKING_OPEN, Native.address(map));
        int result = id > 0 ? id : -Native.errno();
        java.lang.ref.Reference.reachabilityFence(map);
        return result;
    }

    static int close(int deviceFd, int backingId) {
        ByteBuffer arg = Native.buffer(4).putInt(0, backingId);
        int result = libc.ioctl(deviceFd, FuseConst.DEV_IOC_BACKING_CLOSE, Native.address(arg)) == 0 ? 0 : -Native.errno();
        java.lang.ref.Reference.reachabilityFence(arg);
        return result;
    }
}
