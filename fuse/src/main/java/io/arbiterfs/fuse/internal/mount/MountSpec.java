package io.arbiterfs.fuse.internal.mount;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the kernel mount is asked for: where, under which source name and subtype, and the mount-level flags.
 *
 * @param fsname           the source shown in /proc/mounts
 * @param subtype          the type suffix: the mount shows as {@code fuse.SUBTYPE}
 * @param mountpoint       an existing directory
 * @param allowOther       let other users use the mount
 * @param defaultPermissions the kernel checks permissions from file modes
 * @param readOnly         MS_RDONLY
 * @param suid             honour set-user/group-id bits (MS_NOSUID unless set)
 * @param dev              honour device files (MS_NODEV unless set)
 * @param noexec           MS_NOEXEC
 * @param noatime          MS_NOATIME
 * @param useFusermount    mount through fusermount3 even as root
 */
public record MountSpec(String fsname, String subtype, Path mountpoint, boolean allowOther, boolean defaultPermissions,
                        boolean readOnly, boolean suid, boolean dev, boolean noexec, boolean noatime,
                        boolean useFusermount) {
    public MountSpec {
        Objects.requireNonNull(fsname, "fsname");
        Objects.requireNonNull(subtype, "subtype");
        Objects.requireNonNull(mountpoint, "mountpoint");
    }

    /** The file system type in /proc/mounts. */
    public String type() {
        return "fuse." + subtype;
    }
}
