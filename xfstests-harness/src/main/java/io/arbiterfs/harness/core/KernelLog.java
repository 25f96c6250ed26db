package io.arbiterfs.harness.core;

import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.NativeString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The kernel log from a point on: opened at test start positioned at the end of /dev/kmsg, read at
 * test end. Flags what xfstests' dmesg check flags (WARNING, BUG, Oops, lockdep, RCU stalls, GPF,
 * oom-kill, UBSAN) plus "Page cache invalidation failure", which xfstests misses. That message is
 * rate-limited to 10 a day, so its absence proves little: the data-verifying tests are the real net.
 */
public final class KernelLog implements AutoCloseable {
    private static final LibC libc = LibC.get();
    private static final int O_RDONLY_NONBLOCK = 04000;
    private static final int SEEK_END = 2;
    private static final int EAGAIN = 11;
    private static final int EPIPE = 32;

    static final Pattern PROBLEM = Pattern.compile(
            "kernel BUG at|WARNING:|BUG:|Oops|general protection fault|possible recursive locking|"
            + "possible circular locking|INFO: task .* blocked for more than|rcu_sched self-detected stall|"
            + "rcu_sched detected stalls|oom-kill|UBSAN:|Page cache invalidation failure");

    private final int fd;
    private final String unavailable;

    private KernelLog(int fd, String unavailable) {
        this.fd = fd;
        this.unavailable = unavailable;
    }

    /** Starts watching: later {@link #readNew()} returns only messages logged after this call. */
    public static KernelLog fromNow() {
        int fd = libc.open(NativeString.of("/dev/kmsg").address(), O_RDONLY_NONBLOCK, 0);
        if (fd < 0) {
            return new KernelLog(-1, "cannot open /dev/kmsg: errno " + Native.errno());
        }
        libc.lseek(fd, 0, SEEK_END);
        return new KernelLog(fd, null);
    }

    /** Why the kernel log cannot be checked (not root, no /dev/kmsg), or null when it can. */
    public String unavailable() {
        return unavailable;
    }

    /** The messages since the start (or the last call), as "prefix;text" records without continuation lines. */
    public List<String> readNew() {
        List<String> lines = new ArrayList<>();
        if (fd < 0) {
            return lines;
        }
        ByteBuffer buf = Native.buffer(8192);
        long addr = Native.address(buf);
        while (true) {
            long n = libc.read(fd, addr, 8192);
            if (n < 0) {
                int errno = Native.errno();
                if (errno == EPIPE) {
                    continue; // records were overwritten while we were not looking; go on with the next
                }
                if (errno != EAGAIN) {
                    lines.add("(reading /dev/kmsg failed: errno " + errno + ")");
                }
                break;
            }
            if (n == 0) {
                break;
            }
            byte[] b = new byte[(int) n];
            buf.get(0, b);
            String rec = new String(b, StandardCharsets.UTF_8);
            int nl = rec.indexOf('\n');
            lines.add(nl >= 0 ? rec.substring(0, nl) : rec);
        }
        return lines;
    }

    /** The message text of a /dev/kmsg record ("6,123,456,-;text"). */
    public static String text(String record) {
        int semi = record.indexOf(';');
        return semi >= 0 ? record.substring(semi + 1) : record;
    }

    /** The records that fail a test. */
    public static List<String> problems(List<String> records) {
        List<String> bad = new ArrayList<>();
        for (String r : records) {
            if (PROBLEM.matcher(text(r)).find()) {
                bad.add(text(r));
            }
        }
        return bad;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            libc.close(fd);
        }
    }
}
