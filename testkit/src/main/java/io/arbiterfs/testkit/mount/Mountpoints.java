package io.arbiterfs.testkit.mount;

import io.arbiterfs.fuse.Mounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Last-resort care of test mountpoints, for the {@link MountFixture} and for tests that let the daemon's command line
 * mount in the background: mountpoints still registered when the JVM exits are detached, and temp trees are deleted
 * without following symlinks or crossing into a mount.
 */
public final class Mountpoints {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Mountpoints::detach), "test-mountpoint-reaper"));
    }

    private Mountpoints() {}

    /** From now until {@link #unregister}, a mount left on {@code mountpoint} at JVM exit is detached. */
    public static void register(Path mountpoint) {
        LIVE.add(mountpoint.toAbsolutePath().normalize());
    }

    public static void unregister(Path mountpoint) {
        LIVE.remove(mountpoint.toAbsolutePath().normalize());
    }

    /** Whether the mount table shows anything on {@code mountpoint}. */
    public static boolean isMounted(Path mountpoint) {
        try {
            return Mounts.at(mountpoint.toAbsolutePath().normalize()).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Detaches whatever is mounted on {@code mountpoint} (lazily, three tries, failures ignored): for when the normal path failed. */
    public static void detach(Path mountpoint) {
        for (int i = 0; i < 3 && isMounted(mountpoint); i++) {
            try {
                Mounts.unmount(mountpoint, true);
            } catch (IOException e) {
                try {
                    new ProcessBuilder("umount", "-l", mountpoint.toString()).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                } catch (IOException again) {
                    // the next try, or give up
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Deletes a tree without following symlinks; never descends into anything still mounted. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Set<String> mounted = Mounts.all().stream().map(e -> e.target().toString()).collect(Collectors.toSet());
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return mounted.contains(dir.toAbsolutePath().normalize().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (!mounted.contains(dir.toAbsolutePath().normalize().toString())) {
                    try {
                        Files.deleteIfExists(dir);
                    } catch (DirectoryNotEmptyException e) {
                        // something mounted below, or a file we could not remove: leave it
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
