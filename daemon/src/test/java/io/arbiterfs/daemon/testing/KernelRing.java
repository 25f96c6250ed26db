package io.arbiterfs.daemon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The machine-wide switch {@code /sys/module/fuse/parameters/enable_uring}: the kernel offers FUSE over io_uring in a
 * connection's INIT only while it is Y, and a connection keeps what it negotiated. So tests set it only around a
 * mount and put the old value back at once, whatever happens.
 */
public final class KernelRing {
    private static final Path PARAMETER = Path.of("/sys/module/fuse/parameters/enable_uring");

    private KernelRing() {}

    /** Whether this kernel can do FUSE over io_uring at all. */
    public static boolean available() {
        return Files.isWritable(PARAMETER);
    }

    /** Runs {@code mount} with the ring offered, then restores the switch. */
    public static synchronized <T> T offered(Callable<T> mount) throws Exception {
        String before = Files.readString(PARAMETER).strip();
        Files.writeString(PARAMETER, "Y");
        try {
            return mount.call();
        } finally {
            Files.writeString(PARAMETER, before);
        }
    }

    /** The switch now. */
    public static String value() {
        try {
            return Files.readString(PARAMETER).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
