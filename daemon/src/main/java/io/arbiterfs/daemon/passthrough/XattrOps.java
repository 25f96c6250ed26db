package io.arbiterfs.daemon.passthrough;

import io.arbiterfs.fuse.ReplyBuffer;
import io.arbiterfs.fuse.Name;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.platform.Native;

/**
 * Extended attributes through the path-based calls on /proc/self/fd/N of the inode's O_PATH fd (the f*xattr calls
 * refuse O_PATH fds). That magic link names the file itself, never what a symlink points to, so a symlink's own
 * attributes are read and written (trusted.* and security.* as the kernel allows; user.* on a symlink is EPERM from
 * the backing file system, as on the host).
 */
final class XattrOps {
    private static final LibC libc = LibC.get();

    private XattrOps() {}

    static int set(Inode inode, Name name, long value, int size, int flags) {
        long path = Scratch.get().procPath(inode.fd());
        return libc.setxattr(path, name.address(), value, size, flags) < 0 ? PassthroughFs.errnoResult() : 0;
    }

    static int get(Inode inode, Name name, int size, ReplyBuffer out) {
        long path = Scratch.get().procPath(inode.fd());
        long n = size == 0
                ? libc.getxattr(path, name.address(), 0, 0)
                : libc.getxattr(path, name.address(), out.address(), Math.min(size, out.capacity()));
        return n < 0 ? PassthroughFs.errnoResult() : (int) n;
    }

    static int list(Inode inode, int size, ReplyBuffer out) {
        long path = Scratch.get().procPath(inode.fd());
        long n = size == 0
                ? libc.listxattr(path, 0, 0)
                : libc.listxattr(path, out.address(), Math.min(size, out.capacity()));
        return n < 0 ? PassthroughFs.errnoResult() : (int) n;
    }

    static int remove(Inode inode, Name name) {
        long path = Scratch.get().procPath(inode.fd());
        return libc.removexattr(path, name.address()) < 0 ? PassthroughFs.errnoResult() : 0;
    }
}
