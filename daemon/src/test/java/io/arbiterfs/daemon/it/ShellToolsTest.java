package io.arbiterfs.daemon.it;

import io.arbiterfs.testkit.mount.Mountpoints;
import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.sys.Commands;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Everyday shell tools run against the mount; results checked through the mount and in SOURCE. */
@Tag("mount")
class ShellToolsTest {
    @RegisterExtension
    static final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvm();

    private static String s(Path p) {
        return p.toString();
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void cpArchiveOfATreeKeepsModesLinksAndTimes() throws IOException {
        Path tree = Files.createDirectories(Files.createTempDirectory("arbiterfs-it-cptree-").resolve("tree"));
        try {
            Files.createDirectories(tree.resolve("sub/deeper"));
            Files.writeString(tree.resolve("exec.sh"), "#!/bin/sh\necho hi\n");
            Files.setPosixFilePermissions(tree.resolve("exec.sh"), PosixFilePermissions.fromString("rwxr-xr--"));
            Files.writeString(tree.resolve("sub/secret"), "s3cr3t");
            Files.setPosixFilePermissions(tree.resolve("sub/secret"), PosixFilePermissions.fromString("rw-------"));
            Files.writeString(tree.resolve("sub/deeper/data"), "d".repeat(100_000));
            Files.setPosixFilePermissions(tree.resolve("sub"), PosixFilePermissions.fromString("rwx--x---"));
            Files.createSymbolicLink(tree.resolve("link"), Path.of("sub/secret"));
            FileTime old = FileTime.from(Instant.parse("2015-05-05T05:05:05Z"));
            Files.setLastModifiedTime(tree.resolve("sub/deeper/data"), old);

            Path dst = fs.dir("cpa").resolve("copy");
            Commands.run("cp", "-a", s(tree), s(dst)).ok();
            Commands.run("diff", "-r", "--no-dereference", s(tree), s(dst)).ok();

            Path src = fs.backing(dst);
            assertEquals("rwxr-xr--", perms(src.resolve("exec.sh")));
            assertEquals("rw-------", perms(src.resolve("sub/secret")));
            assertEquals("rwx--x---", perms(src.resolve("sub")));
            assertTrue(Files.isSymbolicLink(src.resolve("link")));
            assertEquals(Path.of("sub/secret"), Files.readSymbolicLink(src.resolve("link")));
            assertEquals("s3cr3t", Files.readString(src.resolve("link")));
            assertEquals(old, Files.getLastModifiedTime(src.resolve("sub/deeper/data")));
            assertEquals("d".repeat(100_000), Files.readString(src.resolve("sub/deeper/data")));
            Commands.run(s(dst.resolve("exec.sh"))).ok();

            // and cp -a entirely inside the mount
            Commands.run("cp", "-a", s(dst), s(dst.resolveSibling("copy2"))).ok();
            Commands.run("diff", "-r", "--no-dereference", s(tree), s(fs.backing(dst.resolveSibling("copy2")))).ok();
        } finally {
            Mountpoints.deleteTree(tree.getParent());
        }
    }

    @Test
    void mvLnAndLnS() throws IOException {
        Path d = fs.dir("mvln");
        Files.writeString(d.resolve("a"), "A");
        Commands.run("mv", s(d.resolve("a")), s(d.resolve("b"))).ok();
        assertFalse(Files.exists(fs.backing(d.resolve("a"))));
        assertEquals("A", Files.readString(fs.backing(d.resolve("b"))));

        Files.createDirectory(d.resolve("dir"));
        Commands.run("mv", s(d.resolve("b")), s(d.resolve("dir"))).ok();
        assertEquals("A", Files.readString(fs.backing(d.resolve("dir/b"))));

        Commands.run("ln", s(d.resolve("dir/b")), s(d.resolve("hard"))).ok();
        assertEquals(2, (int) Files.getAttribute(fs.backing(d.resolve("hard")), "unix:nlink"));
        assertEquals(Files.getAttribute(fs.backing(d.resolve("dir/b")), "unix:ino"),
                Files.getAttribute(fs.backing(d.resolve("hard")), "unix:ino"));

        Commands.run("ln", "-s", "dir/b", s(d.resolve("soft"))).ok();
        assertEquals("dir/b", Commands.run("readlink", s(d.resolve("soft"))).ok().out().strip());
        assertEquals(Path.of("dir/b"), Files.readSymbolicLink(fs.backing(d.resolve("soft"))));
        assertEquals("A", Commands.run("cat", s(d.resolve("soft"))).ok().out());
        // ln -sf replaces an existing link
        Commands.run("ln", "-sfn", "hard", s(d.resolve("soft"))).ok();
        assertEquals(Path.of("hard"), Files.readSymbolicLink(fs.backing(d.resolve("soft"))));
        // mv onto an existing name replaces it
        Files.writeString(d.resolve("new"), "NEW");
        Commands.run("mv", "-f", s(d.resolve("new")), s(d.resolve("hard"))).ok();
        assertEquals("NEW", Files.readString(fs.backing(d.resolve("hard"))));
        assertEquals(1, (int) Files.getAttribute(fs.backing(d.resolve("dir/b")), "unix:nlink"));
    }

    @Test
    void chmodChownTouchTruncate() throws IOException {
        Path d = fs.dir("attrs");
        Path f = Files.writeString(d.resolve("f"), "0123456789");
        Commands.run("chmod", "0640", s(f)).ok();
        assertEquals("rw-r-----", perms(fs.backing(f)));
        Commands.run("chmod", "u+x,o+r", s(f)).ok();
        assertEquals("rwxr--r--", perms(fs.backing(f)));
        Commands.run("chmod", "4755", s(f)).ok();
        assertEquals(04755, (int) Files.getAttribute(fs.backing(f), "unix:mode") & 07777);

        Commands.run("chown", "1234:2345", s(f)).ok();
        assertEquals(1234, (int) Files.getAttribute(fs.backing(f), "unix:uid"));
        assertEquals(2345, (int) Files.getAttribute(fs.backing(f), "unix:gid"));
        assertEquals("1234 2345", Commands.run("stat", "-c", "%u %g", s(f)).ok().out().strip());
        Commands.run("chown", "-h", "1234", s(Files.createSymbolicLink(d.resolve("l"), Path.of("f")))).ok();
        assertEquals(1234, (int) Files.getAttribute(fs.backing(d.resolve("l")), "unix:uid", LinkOption.NOFOLLOW_LINKS));

        Commands.run("env", "TZ=UTC", "touch", "-d", "2020-01-02 03:04:05", s(f)).ok();
        assertEquals(Instant.parse("2020-01-02T03:04:05Z"), Files.getLastModifiedTime(fs.backing(f)).toInstant());
        assertEquals("1577934245", Commands.run("stat", "-c", "%Y", s(f)).ok().out().strip());
        Commands.run("touch", s(d.resolve("fresh"))).ok();
        assertTrue(Files.isRegularFile(fs.backing(d.resolve("fresh"))));
        assertEquals(0, Files.size(fs.backing(d.resolve("fresh"))));

        Commands.run("truncate", "-s", "1M", s(f)).ok();
        assertEquals(1 << 20, Files.size(fs.backing(f)));
        assertEquals(1 << 20, Files.size(f));
        Commands.run("truncate", "-s", "4", s(f)).ok();
        assertEquals("0123", Files.readString(fs.backing(f)));
        assertEquals("0123", Commands.run("cat", s(f)).ok().out());
    }

    @Test
    void ddOdirect64MiBIsByteIdenticalInSource() throws IOException {
        Path f = fs.dir("dd").resolve("f");
        Commands.run(null, Duration.ofSeconds(120), "dd", "if=/dev/urandom", "of=" + f, "bs=1M", "count=64", "oflag=direct",
                "status=none").ok();
        assertEquals(64L << 20, Files.size(f));
        assertEquals(64L << 20, Files.size(fs.backing(f)));
        assertEquals(-1L, Files.mismatch(f, fs.backing(f)), "mount and SOURCE must hold the same 64 MiB");
        // and read back with O_DIRECT too
        Commands.run(null, Duration.ofSeconds(120), "sh", "-c",
                "dd if='" + f + "' iflag=direct bs=1M status=none | cmp - '" + fs.backing(f) + "'").ok();
    }

    @Test
    void userXattrs() throws IOException {
        Path f = Files.writeString(fs.dir("xattr").resolve("f"), "x");
        Commands.run("setfattr", "-n", "user.x", "-v", "y", s(f)).ok();
        assertEquals("y", Commands.run("getfattr", "--only-values", "-n", "user.x", s(f)).ok().out());
        assertTrue(Commands.run("getfattr", "-n", "user.x", s(f)).ok().out().contains("user.x=\"y\""));
        assertEquals("y", Commands.run("getfattr", "--only-values", "-n", "user.x", s(fs.backing(f))).ok().out(),
                "the attribute must be on the backing file");
        Commands.run("setfattr", "-n", "user.second", "-v", "0x00ff", s(f)).ok();
        String dump = Commands.run("getfattr", "-d", "-m", "^user\\.", s(f)).ok().out();
        assertTrue(dump.contains("user.x=\"y\""), dump);
        assertTrue(dump.contains("user.second="), dump);
        Commands.run("setfattr", "-x", "user.x", s(f)).ok();
        Commands.run("getfattr", "-n", "user.x", s(fs.backing(f))).exit(1);
        Commands.run("getfattr", "-n", "user.x", s(f)).exit(1);
        Commands.run("getfattr", "-n", "user.nonexistent", s(f)).exit(1);
    }

    @Test
    void flockExcludesAcrossProcessesAndReleases() throws Exception {
        Path f = Files.writeString(fs.dir("flock").resolve("lockfile"), "");
        Process holder = new ProcessBuilder("flock", "-x", s(f), "sh", "-c", "echo locked; exec sleep 2")
                .redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine(), "the holder must report it holds the lock");
            Commands.run("flock", "-n", "-x", s(f), "true").exit(1);
            Commands.run("flock", "-n", "-s", s(f), "true").exit(1);
            // the lock is taken on the backing file, so a host-side locker sees it too
            Commands.run("flock", "-n", "-x", s(fs.backing(f)), "true").exit(1);
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS), "holder must finish");
            assertEquals(0, holder.exitValue());
        } finally {
            holder.destroyForcibly();
        }
        Commands.run("flock", "-n", "-x", s(f), "true").exit(0);
        Commands.run("flock", "-n", "-x", s(fs.backing(f)), "true").exit(0);
        // shared locks coexist
        Process shared = new ProcessBuilder("flock", "-s", s(f), "sh", "-c", "echo locked; exec sleep 1").start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(shared.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine());
            Commands.run("flock", "-n", "-s", s(f), "true").exit(0);
            Commands.run("flock", "-n", "-x", s(f), "true").exit(1);
        } finally {
            shared.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void xfsIoOdirectProbe() throws IOException {
        Path f = fs.dir("xfsio").resolve("probe");
        Commands.Result r = Commands.run("xfs_io", "-f", "-d", "-c", "pwrite 0 20k", s(f)).ok();
        assertTrue(r.out().contains("wrote 20480/20480 bytes at offset 0"), r.out());
        assertTrue(r.err().isEmpty(), r.err());
        assertEquals(20480, Files.size(fs.backing(f)));
        // xfs_io's default pattern is 0xcd
        byte[] data = Files.readAllBytes(fs.backing(f));
        for (byte b : data) {
            assertEquals((byte) 0xcd, b);
        }
        Commands.Result read = Commands.run("xfs_io", "-d", "-c", "pread -v 16384 16", s(f)).ok();
        assertTrue(read.out().contains("cd cd cd cd"), read.out());
    }
}
