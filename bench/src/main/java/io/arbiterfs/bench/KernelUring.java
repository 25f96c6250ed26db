package io.arbiterfs.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * FUSE over io_uring as the bench sees it from outside: the module parameter that makes the kernel
 * offer it, and the io_uring instances a server process holds (with their completion counters, the
 * kernel's own account of how many requests went over the rings).
 */
final class KernelUring {
    static final Path ENABLE = Path.of("/sys/module/fuse/parameters/enable_uring");
    /** The parameter while a start runs with it set; the shutdown hook restores it if the bench is killed then. */
    private static final AtomicReference<Path> OFFERED = new AtomicReference<>();

    private KernelUring() {}

    /**
     * Runs {@code start} (a mount, returning once the server answered FUSE_INIT) with {@code
     * param} set to Y, and sets it back to N in a finally, whatever happens. The parameter is global
     * to the machine, so it stays Y only as long as the mount takes: a connection that negotiated
     * io_uring keeps it after the parameter goes back to N ({@code fuse_uring_cmd()} in
     * fs/fuse/dev_uring.c refuses commands only when the parameter is off <em>and</em> the connection
     * did not negotiate the ring).
     */
    static <T> T withRingOffered(Path param, Callable<T> start) throws Exception {
        if (!Files.exists(param)) {
            throw new IOException("this kernel cannot carry FUSE over io_uring (" + param + " is missing: CONFIG_FUSE_IO_URING)");
        }
        OFFERED.set(param);
        try {
            Files.writeString(param, "Y");
            return start.call();
        } finally {
            Files.writeString(param, "N");
            OFFERED.set(null);
        }
    }

    /** For a shutdown hook: sets the parameter back to N if a start is setting it right now. */
    static void restoreIfOffered() {
        Path p = OFFERED.getAndSet(null);
        if (p != null) {
            try {
                Files.writeString(p, "N");
            } catch (IOException ignored) {
                // nothing more can be done while the JVM exits
            }
        }
    }

    /**
     * The io_uring instances of one process at one moment: fd number → the completion queue's
     * tail ({@code CqTail} in {@code /proc/PID/fdinfo/FD}), a 32-bit counter of CQEs posted.
     */
    record Rings(Map<Integer, Long> cqTails) {
        static final Rings NONE = new Rings(Map.of());

        /** The rings {@code pid} holds now ({@link #NONE} if its fds cannot be read). */
        static Rings of(long pid) {
            Map<Integer, Long> tails = new TreeMap<>();
            Path fds = Path.of("/proc", Long.toString(pid), "fd");
            try (DirectoryStream<Path> s = Files.newDirectoryStream(fds)) {
                for (Path fd : s) {
                    try {
                        if (Files.readSymbolicLink(fd).toString().equals("anon_inode:[io_uring]")) {
                            String info = Files.readString(Path.of("/proc", Long.toString(pid), "fdinfo", fd.getFileName().toString()));
                            tails.put(Integer.parseInt(fd.getFileName().toString()), cqTail(info));
                        }
                    } catch (IOException | RuntimeException e) {
                        // the fd closed while we looked: not a ring any more
                    }
                }
            } catch (IOException e) {
                return NONE;
            }
            return new Rings(tails);
        }

        /** The {@code CqTail} value of an io_uring fdinfo text. */
        static long cqTail(String fdinfo) {
            for (String line : fdinfo.split("\n")) {
                if (line.startsWith("CqTail:")) {
                    return Long.parseLong(line.substring("CqTail:".length()).strip());
                }
            }
            throw new IllegalArgumentException("no CqTail in io_uring fdinfo");
        }

        int count() {
            return cqTails.size();
        }

        /** CQEs posted since {@code before} on the rings held then and now (each tail modulo 2^32). */
        long completionsSince(Rings before) {
            long sum = 0;
            for (var e : cqTails.entrySet()) {
                long start = before.cqTails.getOrDefault(e.getKey(), 0L);
                sum += (e.getValue() - start) & 0xFFFF_FFFFL;
            }
            return sum;
        }
    }
}
