package io.arbiterfs.fuse.internal.mount;

import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.internal.nativeio.Sys;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.NativeString;
import io.arbiterfs.fuse.platform.StatBuffer;
import io.arbiterfs.fuse.internal.transport.FuseDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jnr.posix.CmsgHdr;
import jnr.posix.MsgHdr;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches a /dev/fuse connection to a mountpoint: mount(2) directly as root, fusermount3 (which
 * passes the fd back over a socketpair with SCM_RIGHTS) otherwise.
 */
public final class Mounter {
    private static final Logger log = LoggerFactory.getLogger(Mounter.class);
    private static final Sys libc = Sys.get();
    private static final int SCM_RIGHTS = 1;
    private static final int SOL_SOCKET = 1;

    private Mounter() {}

    public static boolean isRoot() {
        return libc.getuid() == 0;
    }

    /** Mounts and returns the session's /dev/fuse fd. */
    public static int mount(MountSpec o) throws IOException {
        Path mountpoint = o.mountpoint();
        String fsname = o.fsname();
        StatBuffer st = new StatBuffer();
        NativeString path = NativeString.of(mountpoint.toString());
        int statRc = libc.fstatat(Linux.AT_FDCWD, path.address(), st.address(), 0);
        int statErrno = Native.errno();
        java.lang.ref.Reference.reachabilityFence(path);
        if (statRc != 0) {
            int e = statErrno;
            throw new IOException("mountpoint " + mountpoint + (e == Errno.ENOENT ? " does not exist" : ": errno " + e));
        }
        if (!Linux.isDirectory(st.mode())) {
            throw new IOException("mountpoint " + mountpoint + " is not a directory");
        }
        return isRoot() && !o.useFusermount() ? mountKernel(fsname, mountpoint, o, st.mode()) : mountFusermount(fsname, mountpoint, o);
    }

    private static int mountKernel(String fsname, Path mountpoint, MountSpec o, int rootMode) throws IOException {
        int fd = FuseDevice.open();
        StringBuilder data = new StringBuilder()
                .append("fd=").append(fd)
                .append(",rootmode=").append(Integer.toOctalString(rootMode & Linux.S_IFMT))
                .append(",user_id=").append(libc.getuid())
                .append(",group_id=").append(libc.getgid());
        if (o.allowOther()) {
            data.append(",allow_other");
        }
        if (o.defaultPermissions()) {
            data.append(",default_permissions");
        }
        long flags = 0;
        if (o.readOnly()) flags |= Linux.MS_RDONLY;
        if (!o.suid()) flags |= Linux.MS_NOSUID;
        if (!o.dev()) flags |= Linux.MS_NODEV;
        if (o.noexec()) flags |= 8; // MS_NOEXEC
        if (o.noatime()) flags |= 1024; // MS_NOATIME
        NativeString[] args = {NativeString.of(fsname), NativeString.of(mountpoint.toString()),
                NativeString.of(o.type()), NativeString.of(data.toString())};
        int r = libc.mount(args[0].address(), args[1].address(), args[2].address(), flags, args[3].address());
        int mountErrno = Native.errno();
        java.lang.ref.Reference.reachabilityFence(args);
        if (r != 0) {
            int e = mountErrno;
            FuseDevice.close(fd);
            throw new IOException("mount(2) of " + mountpoint + " failed: " + switch (e) {
                case Errno.EBUSY -> "mountpoint is busy (already mounted?)";
                case Errno.EPERM -> "permission denied";
                case Errno.ENOENT -> "mountpoint does not exist";
                case Errno.ENODEV -> "the kernel has no fuse file system";
                default -> "errno " + e;
            });
        }
        log.debug("mounted {} on {} with {}", fsname, mountpoint, data);
        return fd;
    }

    private static int mountFusermount(String fsname, Path mountpoint, MountSpec o) throws IOException {
        POSIX posix = POSIXFactory.getNativePOSIX();
        int[] pair = new int[2];
        if (posix.socketpair(1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0, pair) != 0) {
            throw new IOException("socketpair failed: errno " + posix.errno());
        }
        try {
            List<String> opts = new ArrayList<>(List.of("fsname=" + fsname.replace(",", "\\,"), "subtype=" + o.subtype()));
            if (o.allowOther()) opts.add("allow_other");
            if (o.defaultPermissions()) opts.add("default_permissions");
            opts.add(o.readOnly() ? "ro" : "rw");
            if (o.noexec()) opts.add("noexec");
            if (o.noatime()) opts.add("noatime");
            List<String> argv = List.of("fusermount3", "-o", String.join(",", opts), "--", mountpoint.toString());
            List<String> env = new ArrayList<>();
            for (Map.Entry<String, String> e : System.getenv().entrySet()) {
                env.add(e.getKey() + "=" + e.getValue());
            }
            env.add("_FUSE_COMMFD=" + pair[0]);
            long pid = posix.posix_spawnp("fusermount3", List.of(), argv, env);
            if (pid <= 0) {
                throw new IOException("cannot run fusermount3 (is the fuse3 package installed?)");
            }
            posix.libc().close(pair[0]);
            pair[0] = -1;
            int fd = receiveFd(posix, pair[1]);
            int[] status = new int[1];
            posix.waitpid(pid, status, 0);
            if (fd < 0) {
                throw new IOException("fusermount3 could not mount " + mountpoint + " (exit status " + ((status[0] >> 8) & 0xff) + ")");
            }
            return fd;
        } finally {
            if (pair[0] >= 0) posix.libc().close(pair[0]);
            posix.libc().close(pair[1]);
        }
    }

    private static int receiveFd(POSIX posix, int socket) {
        MsgHdr msg = posix.allocateMsgHdr();
        msg.setIov(new ByteBuffer[] {ByteBuffer.allocateDirect(1)});
        CmsgHdr control = msg.allocateControl(4);
        if (posix.recvmsg(socket, msg, 0) <= 0) {
            return -1;
        }
        for (CmsgHdr c : msg.getControls()) {
            if (c.getLevel() == SOL_SOCKET && c.getType() == SCM_RIGHTS) {
                return c.getData().order(java.nio.ByteOrder.nativeOrder()).getInt(0);
            }
        }
        return control == null ? -1 : -1;
    }

    /**
     * Unmounts {@code mountpoint}. A busy mount is detached lazily when {@code lazyIfBusy}: it
     * vanishes from the namespace at once and the connection ends when its last file closes.
     */
    public static void unmount(Path mountpoint, boolean lazyIfBusy) throws IOException {
        if (!isRoot()) {
            runFusermountUnmount(mountpoint, lazyIfBusy);
            return;
        }
        NativeString path = NativeString.of(mountpoint.toString());
        try {
            if (libc.umount2(path.address(), 0) == 0) {
                return;
            }
            int e = Native.errno();
            if (e == Errno.EBUSY && lazyIfBusy && libc.umount2(path.address(), Linux.MNT_DETACH) == 0) {
                log.info("{} was busy: detached lazily", mountpoint);
                return;
            }
            throw unmountError(mountpoint, e);
        } finally {
            java.lang.ref.Reference.reachabilityFence(path);
        }
    }

    private static IOException unmountError(Path mountpoint, int e) {
        return new IOException("cannot unmount " + mountpoint + ": " + switch (e) {
            case Errno.EINVAL -> "not a mountpoint";
            case Errno.EBUSY -> "busy (files open; try --lazy)";
            case Errno.ENOENT -> "no such directory";
            case Errno.EPERM -> "permission denied";
            default -> "errno " + e;
        });
    }

    private static void runFusermountUnmount(Path mountpoint, boolean lazy) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("fusermount3", "-u"));
        if (lazy) cmd.add("-z");
        cmd.add(mountpoint.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0) {
                throw new IOException("fusermount3 -u " + mountpoint + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting", e);
        }
    }
}
