package io.arbiterfs.daemon.reliability;

import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.Mountpoints;
import io.arbiterfs.testkit.sys.Commands;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Configuration errors ProcessLifecycleTest does not cover (it has unknown options, missing SOURCE
 * and MOUNTPOINT, a busy mountpoint): each is one line on stderr naming the problem, exit 2, no
 * mount, no daemon, nothing new in the mountpoint.
 */
@Tag("mount")
class BadConfigTest {
    private Path base;
    private Path src;
    private Path mnt;

    @BeforeEach
    void dirs() throws IOException {
        base = Files.createTempDirectory("arbiterfs-badconfig-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        src = Files.createDirectory(base.resolve("source"));
        mnt = Files.createDirectory(base.resolve("mnt"));
    }

    @AfterEach
    void clean() {
        Mountpoints.detach(mnt);
        Commands.run("rm", "-rf", "--one-file-system", base.toString());
    }

    /** Exit 2, exactly one stderr line containing {@code naming}, nothing mounted or running. */
    private void refused(Commands.Result r, String naming) throws IOException {
        r.exit(2);
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr, got: " + r.err());
        assertTrue(lines.get(0).startsWith("arbiterfs: ") && lines.get(0).contains(naming), lines.get(0));
        assertFalse(Mountpoints.isMounted(mnt), "something got mounted on " + mnt);
        assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(mnt.toString())
                && p.pid() != ProcessHandle.current().pid()), "a daemon is still running for " + mnt);
        try (var s = Files.list(mnt)) {
            assertEquals(0, s.count(), "the mountpoint must be left as it was");
        }
    }

    private Commands.Result mount(String... extra) {
        List<String> args = new ArrayList<>(List.of("mount", "--log", base.resolve("daemon.log").toString()));
        args.addAll(List.of(extra));
        return Daemons.run(args.toArray(String[]::new));
    }

    @Test
    @Timeout(120)
    void sourceOrMountpointThatIsAFile() throws IOException {
        Path file = Files.writeString(base.resolve("plain-file"), "x");
        refused(mount(file.toString(), mnt.toString()), "plain-file is not a directory");
        refused(mount("-f", file.toString(), mnt.toString()), "plain-file is not a directory");
        refused(mount(src.toString(), file.toString()), "plain-file is not a directory");
    }

    @Test
    @Timeout(120)
    void badOptionValuesAndAMissingPolicyFile() throws IOException {
        refused(mount(src.toString(), mnt.toString(), "-o", "max_threads=0"), "max_threads");
        refused(mount(src.toString(), mnt.toString(), "-o", "dio=sometimes"), "dio");
        refused(mount(src.toString(), mnt.toString(), "-o", "policy=" + base.resolve("no-such.policy")), "no-such.policy");
        refused(mount("-f", src.toString(), mnt.toString(), "-o", "entry_timeout=-1"), "entry_timeout");
    }

    /**
     * As an unprivileged user who may not open /dev/fuse (Debian's udev rule makes it 0666; this
     * test takes the "other" bits away for its duration and puts them back).
     */
    @Test
    @Timeout(120)
    void noPermissionForDevFuseAsAnUnprivilegedUser() throws Exception {
        Proc.ensureTestUser();
        Path devFuse = Path.of("/dev/fuse");
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(devFuse);
        Set<PosixFilePermission> closed = PosixFilePermissions.fromString("rw-------");
        Path cp = userReadableClassPath();
        Commands.run("chown", Proc.USER, src.toString(), mnt.toString()).ok();
        Files.setPosixFilePermissions(devFuse, closed);
        try {
            List<String> cmd = Proc.asUserCommand("java", "-cp", cp + "/*", "io.arbiterfs.daemon.cli.Main",
                    "mount", "-f", src.toString(), mnt.toString());
            refused(Commands.run(java.time.Duration.ofSeconds(90), cmd), "no permission to open /dev/fuse");
        } finally {
            Files.setPosixFilePermissions(devFuse, before);
        }
    }

    /** The daemon's class path as jars another user can read (this JVM's may sit under /root). */
    private Path userReadableClassPath() throws IOException {
        Path dir = Files.createDirectory(base.resolve("cp"));
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(":")) {
            Path p = Path.of(entry);
            if (entry.contains("jazzer") || entry.contains("junit") || !Files.exists(p)) {
                continue;
            }
            Path jar = dir.resolve(n++ + "-" + p.getFileName() + (Files.isDirectory(p) ? ".jar" : ""));
            if (Files.isDirectory(p)) {
                Commands.run("jar", "cf", jar.toString(), "-C", p.toString(), ".").ok();
            } else {
                Files.copy(p, jar);
            }
        }
        Commands.run("chmod", "-R", "a+rX", dir.toString()).ok();
        return dir;
    }
}
