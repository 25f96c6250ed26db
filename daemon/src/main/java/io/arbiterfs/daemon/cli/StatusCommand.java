package io.arbiterfs.daemon.cli;

import io.arbiterfs.daemon.status.StatusXattrs;
import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.fuse.Mounts;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.NativeString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Reads the IO-mode status the daemon publishes as xattrs, so it needs no channel of its own. */
@Command(name = "status", description = {"Show IO modes: per file, or for every file in use on the mount.",
        "Also readable with getfattr -n " + StatusXattrs.IOMODE_XATTR + StatusXattrs.TEXT + " FILE."})
final class StatusCommand implements Callable<Integer> {
    private static final LibC libc = LibC.get();

    @Parameters(index = "0", paramLabel = "MOUNTPOINT")
    Path mountpoint;

    @Parameters(index = "1..*", paramLabel = "PATH", description = "Files (relative to MOUNTPOINT or absolute).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        Path mp = mountpoint.toAbsolutePath().normalize();
        try {
            if (!Mounts.hasType(mp, ArbiterDaemon.FS_TYPE)) {
                System.err.println("arbiterfs: " + mp + " is not an arbiterfs mount");
                return Main.EXIT_USAGE;
            }
        } catch (IOException e) {
            System.err.println("arbiterfs: " + e.getMessage());
            return 1;
        }
        String suffix = json ? "" : StatusXattrs.TEXT;
        if (paths.isEmpty()) {
            return print(mp, StatusXattrs.STATUS_XATTR + suffix);
        }
        int rc = 0;
        for (Path p : paths) {
            rc = Math.max(rc, print(mp.resolve(p), StatusXattrs.IOMODE_XATTR + suffix));
        }
        return rc;
    }

    private int print(Path file, String name) {
        ByteBuffer buf = Native.buffer(64 * 1024);
        NativeString path = NativeString.of(file.toString());
        NativeString attr = NativeString.of(name);
        long n = libc.getxattr(path.address(), attr.address(), Native.address(buf), buf.capacity());
        int e = n < 0 ? Native.errno() : 0;
        java.lang.ref.Reference.reachabilityFence(path);
        java.lang.ref.Reference.reachabilityFence(attr);
        if (n < 0) {
            System.err.println("arbiterfs: " + file + ": " + (e == Errno.ENOENT ? "no such file" : "cannot read status (errno " + e + ")"));
            return 1;
        }
        byte[] bytes = new byte[(int) n];
        buf.get(0, bytes);
        System.out.print(new String(bytes, StandardCharsets.UTF_8));
        if (json) {
            System.out.println();
        }
        return 0;
    }
}
