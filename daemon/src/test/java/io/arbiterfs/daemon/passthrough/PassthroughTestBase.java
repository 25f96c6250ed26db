package io.arbiterfs.daemon.passthrough;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh {@link PassthroughFs} over an empty temporary source directory per test. */
abstract class PassthroughTestBase {
    @TempDir
    Path src;

    PassthroughFs fs;
    FsDriver d;

    @BeforeEach
    void startFs() throws IOException {
        fs = new PassthroughFs(src);
        d = new FsDriver(fs);
    }

    @AfterEach
    void stopFs() {
        fs.destroy();
    }

    /** Open fds of this JVM (the listing's own fd is counted every time, so differences are exact). */
    static long openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean fdOpen(int fd) {
        return Files.exists(Path.of("/proc/self/fd/" + fd), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    static long ino(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }
}
