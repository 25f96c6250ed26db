package io.arbiterfs.daemon.it;

import io.arbiterfs.fuse.Mounts;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Last-resort cleanup shared by the integration tests: mountpoints still registered when the JVM
 * exits are lazily unmounted, and temp trees are deleted without following symlinks or crossing
 * into a mount.
 */
public final class Cleanup {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Cleanup::forceUnmount), "it-unmount"));
    }

    private Cleanup() {}

    static void register(Path mountpoint) {
        LIVE.add(mountpoint.toAbsolutePath().normalize());
    }

    static void unregister(Path mountpoint) {
        LIVE.remove(mountpoint.toAbsolutePath().normalize());
    }

    /** umount -l, then fusermount3 -uz, ignoring failures; used only when the normal path failed. */
    static void forceUnmount(Path mountpoint) {
        for (int i = 0; i < 3; i++) {
            try {
                if (Mounts.at(mountpoint).isEmpty()) {
                    return;
                }
                Process p = new ProcessBuilder("umount", "-l", mountpoint.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                // try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Deletes a tree; refuses to descend into anything still mounted. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Set<String> mounted = ConcurrentHashMap.newKeySet();
        Mounts.all().forEach(e -> mounted.add(e.target().toString()));
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
                    } catch (java.nio.file.DirectoryNotEmptyException e) {
                        // something mounted below, or a file we could not remove: leave it
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
