package io.arbiterfs.fuse.platform;

/**
 * The platforms whose constants and struct layouts this engine has verified. The FUSE ABI itself is the same on
 * every 64-bit little-endian Linux, but open(2) flags (O_DIRECT differs on arm64), {@code struct stat} and ioctl
 * numbers are per architecture: {@link Linux}, {@link StatBuffer} and the engine's /dev/fuse ioctls hold the
 * x86-64 values. Until another architecture's are checked, the engine refuses to start there.
 */
public final class Platform {
    private Platform() {}

    /** Whether this JVM runs on a platform the engine supports. */
    public static boolean isSupported() {
        return System.getProperty("os.name", "").equals("Linux") && isX86_64(System.getProperty("os.arch", ""));
    }

    private static boolean isX86_64(String arch) {
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    /**
     * @throws UnsupportedOperationException naming the platform, if it is not Linux on x86-64
     */
    public static void requireSupported() {
        if (!isSupported()) {
            throw new UnsupportedOperationException("arbiterfs-fuse has verified its system constants and struct layouts "
                    + "for Linux on x86-64 only; this is " + System.getProperty("os.name") + " on "
                    + System.getProperty("os.arch"));
        }
    }
}
