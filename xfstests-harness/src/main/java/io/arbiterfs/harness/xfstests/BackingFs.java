package io.arbiterfs.harness.xfstests;

import io.arbiterfs.harness.io.Tools;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A size-limited disk file system (ext4 by default, or xfs) on a sparse image file, loop-mounted:
 * the backing directory of TEST or SCRATCH. A disk file system rather than tmpfs: tests fill
 * SCRATCH to ENOSPC (generic/103), use user/trusted xattrs, POSIX ACLs, O_DIRECT, fallocate's
 * punch-hole and zero-range (tmpfs has no zero-range); a sparse image costs disk only for what is
 * written. {@link #close} unmounts it (the loop device goes with it) and deletes the image.
 */
public final class BackingFs implements AutoCloseable {
    private final Path image;
    private final Path mountpoint;
    private boolean mounted;

    private BackingFs(Path image, Path mountpoint) {
        this.image = image;
        this.mountpoint = mountpoint;
    }

    /** The file systems a backing can be made with. */
    public static final List<String> TYPES = List.of("ext4", "xfs");

    /** Makes {@code dir/NAME.img} of {@code bytes} (sparse), a file system of {@code type} on it, and mounts it on {@code dir/NAME}. */
    public static BackingFs create(Path dir, String name, long bytes, String type) throws IOException {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("backing file system " + type + ": not one of " + TYPES);
        }
        BackingFs fs = new BackingFs(dir.resolve(name + ".img"), dir.resolve(name));
        try {
            Files.createDirectories(fs.mountpoint);
            try (RandomAccessFile f = new RandomAccessFile(fs.image.toFile(), "rw")) {
                f.setLength(bytes);
            }
            run(type.equals("xfs") ? List.of("mkfs.xfs", "-f", "-q", "-L", name.substring(0, Math.min(12, name.length())),
                    fs.image.toString()) : List.of("mkfs.ext4", "-F", "-q", "-L", name, fs.image.toString()));
            run(List.of("mount", "-o", "loop", fs.image.toString(), fs.mountpoint.toString()));
            fs.mounted = true;
            return fs;
        } catch (IOException | RuntimeException e) {
            fs.close();
            throw e;
        }
    }

    public Path mountpoint() {
        return mountpoint;
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        if (mounted) {
            Tools.Result r = Tools.run(List.of("umount", mountpoint.toString()), null, Duration.ofMinutes(2));
            if (r.status() != 0) {
                // still busy (a daemon that has not exited yet): detach it, the loop device is freed when it goes
                r = Tools.run(List.of("umount", "-l", mountpoint.toString()), null, Duration.ofMinutes(1));
            }
            if (r.status() != 0) {
                failure = new IOException("cannot unmount " + mountpoint + ": " + r.stderr().strip());
            } else {
                mounted = false;
            }
        }
        if (!mounted) {
            Files.deleteIfExists(image);
            Files.deleteIfExists(mountpoint);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void run(List<String> cmd) throws IOException {
        Tools.Result r = Tools.run(cmd, null, Duration.ofMinutes(5));
        if (r.status() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + r.status() + "): " + r.stderr().strip());
        }
    }
}
