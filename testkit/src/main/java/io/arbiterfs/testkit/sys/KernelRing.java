package io.arbiterfs.testkit.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The machine-wide switch {@code /sys/module/fuse/parameters/enable_uring}: the kernel offers FUSE over io_uring in a
 * connection's INIT only while it is Y, and a connection keeps what it negotiated ({@code fuse_uring_cmd()} in
 * fs/fuse/dev_uring.c refuses commands only when the switch is off <em>and</em> the connection did not negotiate the
 * ring). So tests and the bench set it only around a mount and put the old value back at once, whatever happens; a
 * shutdown hook puts it back if the JVM exits in the middle.
 */
public final class KernelRing {
    /** The switch. */
    public static final Path PARAMETER = Path.of("/sys/module/fuse/parameters/enable_uring");
    /** Set by {@code -Darbiterfs.test.uring=true}: the daemon fixtures mount over the ring. */
    public static final String TEST_PROPERTY = "arbiterfs.test.uring";
    /** The value to put back while a mount runs with the switch set, for the shutdown hook. */
    private static final AtomicReference<String> RESTORE = new AtomicReference<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(KernelRing::restoreIfOffered, "enable_uring-restore"));
    }

    private KernelRing() {}

    /** Whether this kernel can do FUSE over io_uring at all (CONFIG_FUSE_IO_URING, and we may flip the switch). */
    public static boolean available() {
        return Files.isWritable(PARAMETER);
    }

    /** Whether this JVM's daemon fixtures mount over io_uring ({@value #TEST_PROPERTY}). */
    public static boolean wantedByTests() {
        return Boolean.getBoolean(TEST_PROPERTY);
    }

    /**
     * Runs {@code mount} (returning once the server answered FUSE_INIT) with the ring offered, then restores the
     * switch.
     *
     * @throws IOException when this kernel has no switch (no CONFIG_FUSE_IO_URING)
     */
    public static synchronized <T> T offered(Callable<T> mount) throws Exception {
        if (!Files.exists(PARAMETER)) {
            throw new IOException("this kernel cannot carry FUSE over io_uring (" + PARAMETER + " is missing: CONFIG_FUSE_IO_URING)");
        }
        String before = Files.readString(PARAMETER).strip();
        RESTORE.set(before);
        try {
            Files.writeString(PARAMETER, "Y");
            return mount.call();
        } finally {
            Files.writeString(PARAMETER, before);
            RESTORE.set(null);
        }
    }

    /** {@link #offered} when {@code ring}, else just {@code mount}. */
    public static <T> T offeredIf(boolean ring, Callable<T> mount) throws Exception {
        return ring ? offered(mount) : mount.call();
    }

    /** The switch now. */
    public static String value() {
        try {
            return Files.readString(PARAMETER).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void restoreIfOffered() {
        String before = RESTORE.getAndSet(null);
        if (before != null) {
            try {
                Files.writeString(PARAMETER, before);
            } catch (IOException ignored) {
                // nothing more can be done while the JVM exits
            }
        }
    }
}
