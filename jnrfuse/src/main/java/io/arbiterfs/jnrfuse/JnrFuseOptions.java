package io.arbiterfs.jnrfuse;

import io.arbiterfs.daemon.mount.MountOptionException;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.jnrfuse.bridge.BridgeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code -o} options of a jnr-fuse mount: libfuse 2's own (what jnr-fuse programs pass, e.g.
 * {@code direct_io,big_writes,max_write=131072}) mapped onto the bridge and the engine, and arbiterfs' options
 * ({@code dio=}, {@code parallel_dio}, {@code allow_mmap}, {@code policy=}, {@code max_threads=} …, see README) for the
 * rest. Strict, as the daemon's: an option that is neither is an error naming it.
 *
 * <p>The one default that differs from an arbiterfs mount: <b>parallel direct writes are off</b> unless the options
 * say {@code parallel_dio}. The kernel serializes writes to one file for libfuse 2 file systems, and many are not
 * written for concurrent writes to one file. Direct IO per open ({@code dio=auto}) and {@code allow_mmap} stay on.
 *
 * @param mount    the daemon's options (arbitration, engine, mount flags)
 * @param bridge   the libfuse 2 high-level options the bridge honours
 * @param fsname   the source shown in /proc/mounts, null for the caller's default
 * @param maxWrite the largest WRITE: libfuse 2's 128 KiB unless {@code max_write=} says otherwise (up to 1 MiB)
 * @param asyncRead whether reads may be issued asynchronously (libfuse 2 default; {@code sync_read} turns it off)
 * @param posixLocks false for {@code no_remote_lock}/{@code no_remote_posix_lock}: POSIX locks stay in the kernel
 * @param flockLocks false for {@code no_remote_lock}/{@code no_remote_flock}: flock locks stay in the kernel
 */
public record JnrFuseOptions(MountOptions mount, BridgeOptions bridge, String fsname, int maxWrite, boolean asyncRead,
                             boolean posixLocks, boolean flockLocks) {
    /** libfuse 2's largest write: its 132 KiB channel buffer less one page of headers. */
    public static final int LIBFUSE2_MAX_WRITE = 128 * 1024;
    private static final int MAX_WRITE_LIMIT = 1 << 20;

    /** libfuse 2 options that change nothing here: kernel-side behaviour arbiterfs already has, or libfuse internals. */
    private static final Set<String> NO_EFFECT = Set.of("big_writes", "large_read", "nonempty", "async_read", "intr",
            "splice_read", "splice_write", "splice_move", "no_splice_read", "no_splice_write", "no_splice_move",
            "auto_unmount", "noauto_cache");
    private static final Set<String> NO_EFFECT_KEYS = Set.of("max_read", "max_readahead", "max_background",
            "congestion_threshold", "intr_signal", "ac_attr_timeout", "subtype");
    private static final Set<String> UNSUPPORTED = Set.of("modules", "blkdev", "blksize", "allow_root", "nopath",
            "passthrough", "source", "watch_source", "nowatch_source", "remember", "context", "fscontext",
            "defcontext", "rootcontext");

    /**
     * Parses option lists as jnr-fuse passes them ({@code "-o", "a,b"}, {@code "-oa,b"}) or plain ({@code "a,b"}).
     *
     * @throws MountOptionException naming the first option that is unknown, malformed or not supported
     */
    public static JnrFuseOptions parse(List<String> optionLists) throws MountOptionException {
        List<String> items = new ArrayList<>();
        for (String list : optionLists) {
            if (list == null || list.equals("-o")) {
                continue;
            }
            String body = list.startsWith("-o") ? list.substring(2) : list;
            if (list.startsWith("-") && !list.startsWith("-o")) {
                throw new MountOptionException("'" + list + "' is not an option list (expected -o OPTS)");
            }
            for (String item : body.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        boolean hardRemove = false, useIno = false, readdirIno = false, keepCache = false, forget = true;
        boolean atomicOTrunc = false, asyncRead = true, posixLocks = true, flockLocks = true;
        int umask = -1;
        long uid = -1, gid = -1;
        double negativeTimeout = 0;
        String fsname = null;
        int maxWrite = LIBFUSE2_MAX_WRITE;
        // arbiterfs' defaults for a jnr-fuse mount first, so that the mount's own options override them
        List<String> daemon = new ArrayList<>(List.of("noparallel_dio"));
        for (String item : items) {
            int eq = item.indexOf('=');
            String key = eq < 0 ? item : item.substring(0, eq);
            String value = eq < 0 ? null : item.substring(eq + 1);
            if (UNSUPPORTED.contains(key)) {
                throw new MountOptionException("option " + key + " is not supported on a jnr-fuse mount");
            }
            if (NO_EFFECT.contains(item) || (value != null && NO_EFFECT_KEYS.contains(key))) {
                continue;
            }
            switch (key) {
                case "hard_remove" -> hardRemove = flag(key, value);
                case "use_ino" -> useIno = flag(key, value);
                case "readdir_ino" -> readdirIno = flag(key, value);
                case "kernel_cache", "auto_cache" -> keepCache = flag(key, value);
                case "noforget" -> forget = !flag(key, value);
                case "atomic_o_trunc" -> atomicOTrunc = flag(key, value);
                case "sync_read" -> asyncRead = !flag(key, value);
                case "no_remote_lock" -> {
                    flag(key, value);
                    posixLocks = false;
                    flockLocks = false;
                }
                case "no_remote_posix_lock" -> posixLocks = !flag(key, value);
                case "no_remote_flock" -> flockLocks = !flag(key, value);
                case "umask" -> umask = octal(key, value);
                case "uid" -> uid = id(key, value);
                case "gid" -> gid = id(key, value);
                case "negative_timeout" -> negativeTimeout = seconds(key, value);
                case "fsname" -> {
                    fsname = text(key, value);
                    daemon.add(item);
                }
                case "max_write" -> maxWrite = maxWrite(value);
                // libfuse 2's all-or-nothing direct IO: every open, which the arbitration now decides
                case "direct_io" -> {
                    flag(key, value);
                    daemon.add("dio=always");
                }
                default -> daemon.add(item);
            }
        }
        MountOptions mount = MountOptions.parse(daemon);
        if (mount.passthrough || mount.source != null) {
            throw new MountOptionException("passthrough and source= apply to SOURCE mounts, not to a jnr-fuse file system");
        }
        BridgeOptions bridge = new BridgeOptions(hardRemove, useIno, readdirIno, keepCache, umask, uid, gid,
                duration(mount.entryTimeout), duration(mount.attrTimeout), duration(negativeTimeout), forget,
                atomicOTrunc);
        return new JnrFuseOptions(mount, bridge, fsname, maxWrite, asyncRead, posixLocks, flockLocks);
    }

    private static boolean flag(String key, String value) throws MountOptionException {
        if (value != null) {
            throw new MountOptionException("option " + key + " takes no value");
        }
        return true;
    }

    private static String text(String key, String value) throws MountOptionException {
        if (value == null || value.isEmpty()) {
            throw new MountOptionException("option " + key + " needs a value (" + key + "=...)");
        }
        return value;
    }

    private static int octal(String key, String value) throws MountOptionException {
        try {
            int v = Integer.parseInt(text(key, value), 8);
            if (v < 0 || v > 07777) {
                throw new MountOptionException("option " + key + " must be an octal mode up to 7777, not " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new MountOptionException("option " + key + " needs an octal number, not '" + value + "'");
        }
    }

    private static long id(String key, String value) throws MountOptionException {
        try {
            long v = Long.parseLong(text(key, value));
            if (v < 0 || v > 0xfffffffeL) {
                throw new MountOptionException("option " + key + " must be a user or group id, not " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new MountOptionException("option " + key + " needs a number, not '" + value + "'");
        }
    }

    private static double seconds(String key, String value) throws MountOptionException {
        try {
            double v = Double.parseDouble(text(key, value));
            if (!(v >= 0) || v > 1e6) {
                throw new MountOptionException("option " + key + " must be a number of seconds ≥ 0, not " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new MountOptionException("option " + key + " needs a number of seconds, not '" + value + "'");
        }
    }

    private static int maxWrite(String value) throws MountOptionException {
        try {
            int v = Integer.parseInt(text("max_write", value));
            if (v < 4096 || v > MAX_WRITE_LIMIT) {
                throw new MountOptionException("option max_write must be between 4096 and " + MAX_WRITE_LIMIT + ", not " + v);
            }
            return v / 4096 * 4096; // the engine's unit; libfuse rounds the same way in effect (whole pages)
        } catch (NumberFormatException e) {
            throw new MountOptionException("option max_write needs a number of bytes, not '" + value + "'");
        }
    }

    private static Duration duration(double seconds) {
        return Duration.ofNanos((long) (seconds * 1e9));
    }
}
