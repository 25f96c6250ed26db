package io.arbiterfs.fuse;

import io.arbiterfs.fuse.internal.mount.MountTable;
import io.arbiterfs.fuse.internal.mount.Mounter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Looking at and removing mounts by mountpoint, for tools built on the engine (unmount commands, checks). */
public final class Mounts {
    private Mounts() {}

    /** What the mount table says is mounted at a directory. */
    public record Info(String source, Path target, String type, String options) {}

    /** Every mount of this process's mount namespace, in mount order. */
    public static java.util.List<Info> all() throws IOException {
        return MountTable.entries().stream()
                .map(e -> new Info(e.source(), Path.of(e.target()), e.type(), e.options())).toList();
    }

    /** The topmost mount at {@code mountpoint}, if any (from /proc/self/mounts). */
    public static Optional<Info> at(Path mountpoint) throws IOException {
        return MountTable.at(mountpoint).map(e -> new Info(e.source(), Path.of(e.target()), e.type(), e.options()));
    }

    /** Whether the topmost mount at {@code mountpoint} has file system type {@code type} (e.g. "fuse.arbiterfs"). */
    public static boolean hasType(Path mountpoint, String type) throws IOException {
        return MountTable.hasType(mountpoint, type);
    }

    /**
     * Unmounts {@code mountpoint}, also when its server died (the mount answers ENOTCONN). As root with umount2(2),
     * otherwise with fusermount3 -u. A busy mount is detached lazily when {@code lazyIfBusy}: it leaves the namespace at
     * once and the connection ends when its last file closes.
     *
     * @throws IOException naming why (not a mountpoint, busy, permission)
     */
    public static void unmount(Path mountpoint, boolean lazyIfBusy) throws IOException {
        Mounter.unmount(mountpoint.toAbsolutePath().normalize(), lazyIfBusy);
    }

    /** Whether this process runs as root (mounts use mount(2) then, fusermount3 otherwise). */
    public static boolean isRoot() {
        return Mounter.isRoot();
    }
}
