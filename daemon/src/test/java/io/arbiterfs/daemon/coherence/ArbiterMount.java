package io.arbiterfs.daemon.coherence;

import io.arbiterfs.daemon.cli.Daemon;
import io.arbiterfs.daemon.mount.FuseMount;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.daemon.mount.MountTable;
import io.arbiterfs.daemon.mount.Mounter;
import io.arbiterfs.daemon.testing.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The whole daemon stack (options → ArbitratedFs → session) mounted in this JVM on temp directories. */
final class ArbiterMount implements AutoCloseable {
    final Path base;
    final Path source;
    final Path mnt;
    final ArbitratedFs fs;
    private final FuseMount mount;

    ArbiterMount(String... options) throws Exception {
        base = Files.createTempDirectory("arbiterfs-coherence-");
        source = Files.createDirectory(base.resolve("source"));
        mnt = Files.createDirectory(base.resolve("mnt"));
        MountOptions o = MountOptions.parse(List.of(options));
        fs = Daemon.fileSystem(source, o, Daemon.validate(o));
        mount = FuseMount.mount(fs, "arbiterfs-coherence", mnt, o, Daemon.sessionOptions(o));
    }

    Path file(String name) {
        return mnt.resolve(name);
    }

    /** A status xattr of {@code p} as the daemon renders it. */
    static String xattr(Path p, String name) {
        return Syscalls.xattr(p, name);
    }

    /** The most WRITEs the daemon ran at once since the last {@link #resetWritePeak()}. */
    int writePeak() {
        Matcher m = Pattern.compile("\"writePeak\":(\\d+)").matcher(xattr(mnt, ArbitratedFs.STATUS_XATTR));
        if (!m.find()) {
            throw new AssertionError("no writePeak in status");
        }
        return Integer.parseInt(m.group(1));
    }

    void resetWritePeak() {
        int rc = Syscalls.setxattr(mnt, ArbitratedFs.RESET_XATTR);
        if (rc != 0) {
            throw new AssertionError("reset_peak: errno " + -rc);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            mount.unmount(Duration.ofSeconds(5));
        } finally {
            if (MountTable.at(mnt).isPresent()) {
                Mounter.unmount(mnt, true);
            }
            try (Stream<Path> s = Files.walk(base)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
