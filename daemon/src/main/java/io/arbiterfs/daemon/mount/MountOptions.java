package io.arbiterfs.daemon.mount;

import io.arbiterfs.daemon.arbitration.OpenPolicy.DirectIo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * libfuse-style {@code -o} options. Parsing is strict: an unknown or malformed option is an error
 * naming it, so a typo never mounts with a silently different behaviour.
 */
public final class MountOptions {

    public boolean allowOther;
    public boolean defaultPermissions;
    public boolean readOnly;
    public boolean suid;
    public boolean dev;
    public boolean noexec;
    public boolean noatime;
    public boolean debug;
    public String fsname;
    /** Backing directory given as an option (xfstests' bare-tag DEV style); overrides SOURCE as backing. */
    public String source;
    public int maxThreads = 8;
    public double entryTimeout = 1.0;
    public double attrTimeout = 1.0;
    public DirectIo dio = DirectIo.AUTO;
    public boolean parallelDio = true;
    public boolean allowMmap = true;
    /** FOPEN_PASSTHROUGH for page-cache opens (needs root: FUSE_DEV_IOC_BACKING_OPEN wants CAP_SYS_ADMIN). */
    public boolean passthrough;
    /** Push changes other programs make in SOURCE to page-cache readers at once (fanotify). */
    public boolean watchSource = true;
    /** A policy file of GLOB MODE lines pinning paths to direct, parallel, cached or passthrough. */
    public String policy;
    /** Mount through fusermount3 even as root (normally only for unprivileged users). */
    public boolean useFusermount;
    /** Serve over io_uring when the kernel offers it (FUSE over io_uring, Linux 6.14+). */
    public boolean ioUring = true;
    /** io_uring: ring threads per queue (one queue per possible CPU). */
    public int uringThreads = 4;
    /** io_uring: entries per ring thread. */
    public int uringDepth = 1;
    /** io_uring: pin ring threads to their queue's CPU. */
    public boolean uringPin = true;

    /** Options accepted for compatibility with mount(8) and fstab, with no effect of their own. */
    private static final List<String> IGNORED = List.of("rw", "defaults", "auto", "noauto", "user", "nouser",
            "users", "_netdev", "nofail", "async", "relatime", "norelatime", "strictatime", "nostrictatime", "exec", "atime",
            "diratime", "nodiratime", "lazytime", "nolazytime");

    /** Parses one or more comma-separated option strings. */
    public static MountOptions parse(List<String> optionStrings) throws MountOptionException {
        MountOptions o = new MountOptions();
        for (String s : optionStrings) {
            for (String item : s.split(",")) {
                if (!item.isBlank()) {
                    o.apply(item.trim());
                }
            }
        }
        return o;
    }

    private void apply(String item) throws MountOptionException {
        int eq = item.indexOf('=');
        String key = eq < 0 ? item : item.substring(0, eq);
        String value = eq < 0 ? null : item.substring(eq + 1);
        if (IGNORED.contains(key) && value == null) {
            return;
        }
        switch (key) {
            case "allow_other" -> allowOther = flag(key, value);
            case "default_permissions" -> defaultPermissions = flag(key, value);
            case "ro" -> readOnly = flag(key, value);
            case "suid" -> suid = flag(key, value);
            case "nosuid" -> suid = !flag(key, value);
            case "dev" -> dev = flag(key, value);
            case "nodev" -> dev = !flag(key, value);
            case "noexec" -> noexec = flag(key, value);
            case "noatime" -> noatime = flag(key, value);
            case "debug" -> debug = flag(key, value);
            case "fsname" -> fsname = text(key, value);
            case "source" -> source = text(key, value);
            case "max_threads" -> maxThreads = intIn(key, value, 1, 256);
            case "entry_timeout" -> entryTimeout = seconds(key, value);
            case "attr_timeout" -> attrTimeout = seconds(key, value);
            case "dio" -> dio = switch (text(key, value)) {
                case "auto" -> DirectIo.AUTO;
                case "always" -> DirectIo.ALWAYS;
                case "never" -> DirectIo.NEVER;
                default -> throw new MountOptionException("option dio takes auto, always or never, not '" + value + "'");
            };
            case "parallel_dio" -> parallelDio = flag(key, value);
            case "noparallel_dio" -> parallelDio = !flag(key, value);
            case "allow_mmap" -> allowMmap = flag(key, value);
            case "noallow_mmap" -> allowMmap = !flag(key, value);
            case "passthrough" -> passthrough = flag(key, value);
            case "nopassthrough" -> passthrough = !flag(key, value);
            case "watch_source" -> watchSource = flag(key, value);
            case "nowatch_source" -> watchSource = !flag(key, value);
            case "policy" -> policy = text(key, value);
            case "use_fusermount" -> useFusermount = flag(key, value);
            case "io_uring" -> ioUring = flag(key, value);
            case "noio_uring" -> ioUring = !flag(key, value);
            case "uring_threads" -> uringThreads = intIn(key, value, 1, 64);
            case "uring_depth" -> uringDepth = intIn(key, value, 1, 64);
            case "uring_pin" -> uringPin = flag(key, value);
            case "nouring_pin" -> uringPin = !flag(key, value);
            default -> throw new MountOptionException("unknown mount option '" + item + "'");
        }
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

    private static int intIn(String key, String value, int min, int max) throws MountOptionException {
        try {
            int v = Integer.parseInt(text(key, value));
            if (v < min || v > max) {
                throw new MountOptionException("option " + key + " must be between " + min + " and " + max + ", not " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new MountOptionException("option " + key + " needs a whole number, not '" + value + "'");
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

    /** The options as a libfuse-style string, for logs and for re-running the daemon in the background. */
    public String render() {
        Map<String, String> m = new LinkedHashMap<>();
        if (allowOther) m.put("allow_other", null);
        if (defaultPermissions) m.put("default_permissions", null);
        if (readOnly) m.put("ro", null);
        if (suid) m.put("suid", null);
        if (dev) m.put("dev", null);
        if (noexec) m.put("noexec", null);
        if (noatime) m.put("noatime", null);
        if (debug) m.put("debug", null);
        if (fsname != null) m.put("fsname", fsname);
        if (source != null) m.put("source", source);
        m.put("max_threads", Integer.toString(maxThreads));
        m.put("entry_timeout", Double.toString(entryTimeout));
        m.put("attr_timeout", Double.toString(attrTimeout));
        m.put("dio", dio.name().toLowerCase());
        m.put(parallelDio ? "parallel_dio" : "noparallel_dio", null);
        m.put(allowMmap ? "allow_mmap" : "noallow_mmap", null);
        if (passthrough) m.put("passthrough", null);
        if (!watchSource) m.put("nowatch_source", null);
        if (policy != null) m.put("policy", policy);
        if (useFusermount) m.put("use_fusermount", null);
        m.put(ioUring ? "io_uring" : "noio_uring", null);
        m.put("uring_threads", Integer.toString(uringThreads));
        m.put("uring_depth", Integer.toString(uringDepth));
        m.put(uringPin ? "uring_pin" : "nouring_pin", null);
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(v == null ? k : k + "=" + v));
        return String.join(",", parts);
    }
}
