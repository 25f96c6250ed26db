package io.arbiterfs.daemon.cli;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.mount.MountOptionException;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.Mounts;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.NativeString;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code mount -o remount,ro|rw MOUNTPOINT} on a live arbiterfs mount: mount(2) with MS_REMOUNT on
 * the existing mount, the same daemon keeps serving it.
 *
 * <p>mount(8) runs the helper as {@code mount.fuse.arbiterfs SOURCE MOUNTPOINT -o
 * ro,nosuid,nodev,relatime,remount,user_id=0,group_id=0,...}: the mount's current flags and
 * FUSE options with the change applied. The new flags start from the mount's current ones (so a
 * by-hand {@code arbiterfs mount -o remount,ro MNT} keeps nosuid and nodev), and the given options
 * apply in order. The kernel's FUSE options ({@code user_id=}, {@code allow_other}, ...) are fixed
 * at mount time (fs/fuse/inode.c ignores them on a legacy remount): given again unchanged they are
 * accepted, a change is an error. Daemon options (dio=, max_threads=, ...) are checked like at
 * mount and left as the running daemon has them.
 */
final class Remount {
    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_REMOUNT = 32;
    static final long MS_NOATIME = 1024;
    static final long MS_NODIRATIME = 2048;
    static final long MS_RELATIME = 1L << 21;
    static final long MS_STRICTATIME = 1L << 24;
    static final long MS_LAZYTIME = 1L << 25;
    private static final long ATIME = MS_NOATIME | MS_RELATIME | MS_STRICTATIME;

    /** Options the kernel shows for a FUSE super block; they cannot change on a remount. */
    private static final List<String> FUSE_SUPER_KEYS = List.of("user_id", "group_id", "rootmode", "max_read",
            "blksize", "default_permissions", "allow_other");

    private Remount() {}

    /** Whether {@code -o} asks for a remount. */
    static boolean requested(List<String> optionStrings) {
        return items(optionStrings).contains("remount");
    }

    /**
     * Remounts {@code mountpoint}. {@code say} prints a confirmation (by hand); mount(8)'s helper
     * stays silent on success.
     */
    static int run(Path mountpoint, List<String> optionStrings, boolean say) {
        Mounts.Info current;
        long flags;
        try {
            current = Mounts.at(mountpoint).filter(e -> e.type().equals(ArbiterDaemon.FS_TYPE)).orElse(null);
            if (current == null) {
                return usage("no arbiterfs mount at " + mountpoint + " to remount");
            }
            flags = flags(current.options(), items(optionStrings));
        } catch (MountOptionException e) {
            return usage(e.getMessage());
        } catch (IOException e) {
            return usage("cannot read the mount table: " + e.getMessage());
        }
        NativeString target = NativeString.of(mountpoint.toString());
        int r = LibC.get().mount(0, target.address(), 0, flags | MS_REMOUNT, 0);
        int errno = Native.errno();
        java.lang.ref.Reference.reachabilityFence(target);
        if (r != 0) {
            System.err.println("arbiterfs: remount of " + mountpoint + " failed: " + switch (errno) {
                case Errno.EBUSY -> "files are open for writing (a read-only remount waits for none)";
                case Errno.EPERM -> "permission denied (remounting needs CAP_SYS_ADMIN; fusermount3 cannot remount)";
                default -> "errno " + errno;
            });
            return 1;
        }
        if (say) {
            System.out.println("arbiterfs: remounted " + mountpoint + ((flags & MS_RDONLY) != 0 ? " read-only" : " read-write"));
        }
        return 0;
    }

    /** The MS_* flags for mount(2): the current mount's flags, then {@code given} applied in order. */
    static long flags(String currentOptions, List<String> given) throws MountOptionException {
        List<String> now = Arrays.asList(currentOptions.split(","));
        long flags = 0;
        for (String item : now) {
            flags = apply(flags, item);
        }
        List<String> daemonOptions = new ArrayList<>();
        for (String item : given) {
            if (item.equals("remount")) {
                continue;
            }
            if (isFlag(item)) {
                flags = apply(flags, item);
                continue;
            }
            String key = item.contains("=") ? item.substring(0, item.indexOf('=')) : item;
            if (FUSE_SUPER_KEYS.contains(key)) {
                if (!now.contains(item)) {
                    throw new MountOptionException("option " + item + " cannot be changed by a remount (it is fixed when the "
                            + "daemon mounts; unmount and mount again)");
                }
                continue;
            }
            daemonOptions.add(item);
        }
        MountOptions.parse(daemonOptions); // an unknown or malformed option is an error, as at mount
        return flags;
    }

    private static boolean isFlag(String item) {
        return switch (item) {
            case "ro", "rw", "suid", "nosuid", "dev", "nodev", "exec", "noexec", "atime", "noatime", "diratime",
                 "nodiratime", "relatime", "norelatime", "strictatime", "lazytime", "nolazytime" -> true;
            default -> false;
        };
    }

    private static long apply(long flags, String item) {
        return switch (item) {
            case "ro" -> flags | MS_RDONLY;
            case "rw" -> flags & ~MS_RDONLY;
            case "nosuid" -> flags | MS_NOSUID;
            case "suid" -> flags & ~MS_NOSUID;
            case "nodev" -> flags | MS_NODEV;
            case "dev" -> flags & ~MS_NODEV;
            case "noexec" -> flags | MS_NOEXEC;
            case "exec" -> flags & ~MS_NOEXEC;
            case "noatime" -> (flags & ~ATIME) | MS_NOATIME;
            case "atime", "norelatime" -> flags & ~ATIME;
            case "relatime" -> (flags & ~ATIME) | MS_RELATIME;
            case "strictatime" -> (flags & ~ATIME) | MS_STRICTATIME;
            case "nodiratime" -> flags | MS_NODIRATIME;
            case "diratime" -> flags & ~MS_NODIRATIME;
            case "lazytime" -> flags | MS_LAZYTIME;
            case "nolazytime" -> flags & ~MS_LAZYTIME;
            default -> flags;
        };
    }

    private static List<String> items(List<String> optionStrings) {
        List<String> items = new ArrayList<>();
        for (String s : optionStrings) {
            for (String item : s.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    private static int usage(String message) {
        System.err.println("arbiterfs: " + message);
        return Main.EXIT_USAGE;
    }
}
