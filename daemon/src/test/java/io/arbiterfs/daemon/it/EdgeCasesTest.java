package io.arbiterfs.daemon.it;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.sys.Commands;
import io.arbiterfs.testkit.sys.MapWrite;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Less common paths through the daemon: mmap writeback, O_APPEND, copy_file_range, fallocate,
 * statfs, special files, and what the kernel asks of a root daemon for unprivileged callers
 * (allow_other + default_permissions, as a shared mount would run).
 */
@Tag("mount")
class EdgeCasesTest {
    @RegisterExtension
    static final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvm("allow_other,default_permissions");

    private static final String[] AS_USER = {"setpriv", "--reuid=1234", "--regid=1234", "--clear-groups"};

    private static String[] asUser(String script) {
        String[] cmd = Arrays.copyOf(AS_USER, AS_USER.length + 3);
        cmd[AS_USER.length] = "sh";
        cmd[AS_USER.length + 1] = "-c";
        cmd[AS_USER.length + 2] = script;
        return cmd;
    }

    @Test
    void sharedMmapWritebackThroughAnAppendingHandleLandsAtItsOffset() throws IOException {
        Path f = fs.dir("mmap-append").resolve("f");
        byte[] a = new byte[8192];
        Arrays.fill(a, (byte) 'a');
        Files.write(f, a);
        // xfs_io -a: O_RDWR|O_APPEND; the dirty page must be written at offset 0, not appended
        Commands.run("xfs_io", "-a", "-c", "mmap -rw 0 8192", "-c", "mwrite -S 0x62 0 4096", "-c", "msync -s 0 8192",
                "-c", "munmap", f.toString()).ok();
        byte[] want = a.clone();
        Arrays.fill(want, 0, 4096, (byte) 'b');
        assertEquals(8192, Files.size(fs.backing(f)), "size after mmap writeback");
        assertArrayEquals(want, Files.readAllBytes(fs.backing(f)));
    }

    @Test
    void javaMappedBufferWritesReachSource() throws IOException {
        Path f = fs.dir("mmap-java").resolve("f");
        // in a JVM of its own: this one serves the mount (see testing/MapWrite)
        Commands.run(java.time.Duration.ofSeconds(60), Commands.java(List.of(), MapWrite.class.getName(),
                f.toString(), Integer.toString(1 << 20), "7")).ok();
        byte[] data = MapWrite.data(1 << 20, 7);
        assertArrayEquals(data, Files.readAllBytes(fs.backing(f)));
        assertEquals(-1L, Files.mismatch(f, fs.backing(f)));
    }

    @Test
    @Timeout(60)
    void concurrentAppendersNeverOverwriteEachOther() throws Exception {
        Path f = Files.createFile(fs.dir("append").resolve("log"));
        List<Process> ps = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            ps.add(new ProcessBuilder("sh", "-c",
                    "i=1; while [ $i -le 400 ]; do echo \"P" + p + " $i abcdefghijklmnopqrstuvwxyz\" >> '" + f + "'; i=$((i+1)); done")
                    .redirectErrorStream(true).start());
        }
        for (Process p : ps) {
            assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        }
        List<String> lines = Files.readAllLines(fs.backing(f));
        assertEquals(1600, lines.size(), "lines in the log");
        Map<String, Integer> next = new HashMap<>();
        for (String line : lines) {
            String[] w = line.split(" ");
            assertEquals(3, w.length, "torn line: " + line);
            assertEquals("abcdefghijklmnopqrstuvwxyz", w[2], "torn line: " + line);
            int expected = next.getOrDefault(w[0], 1);
            assertEquals(expected, Integer.parseInt(w[1]), "order of " + w[0]);
            next.put(w[0], expected + 1);
        }
    }

    @Test
    void copyFileRangeCopiesTheBytes() throws IOException {
        Path d = fs.dir("cfr");
        byte[] data = new byte[3 * 1024 * 1024 + 123];
        new Random(3).nextBytes(data);
        Path src = Files.write(d.resolve("src"), data);
        Path dst = d.resolve("dst");
        Commands.run("xfs_io", "-f", "-c", "copy_range " + src, dst.toString()).ok();
        assertEquals(-1L, Files.mismatch(fs.backing(src), fs.backing(dst)));
        // a range at offsets
        Path part = d.resolve("part");
        Commands.run("xfs_io", "-f", "-c", "copy_range -s 1000 -d 10 -l 5000 " + src, part.toString()).ok();
        byte[] got = Files.readAllBytes(fs.backing(part));
        assertEquals(5010, got.length);
        assertArrayEquals(Arrays.copyOfRange(data, 1000, 6000), Arrays.copyOfRange(got, 10, 5010));
        // cp (coreutils 9 uses copy_file_range) through the mount
        Commands.run("cp", src.toString(), d.resolve("cp").toString()).ok();
        assertEquals(-1L, Files.mismatch(fs.backing(src), fs.backing(d.resolve("cp"))));
    }

    @Test
    void fallocateAndPunchHole() throws IOException {
        Path f = fs.dir("falloc").resolve("f");
        Commands.run("fallocate", "-l", "8M", f.toString()).ok();
        assertEquals(8L << 20, Files.size(fs.backing(f)));
        long blocks = Long.parseLong(Commands.run("stat", "-c", "%b", f.toString()).ok().out().strip());
        assertTrue(blocks * 512 >= 8L << 20, "allocated blocks: " + blocks);
        Commands.run("fallocate", "-n", "-o", "8M", "-l", "1M", f.toString()).ok(); // keep size
        assertEquals(8L << 20, Files.size(f));
        Commands.run("xfs_io", "-c", "pwrite -S 0x41 0 2M", f.toString()).ok();
        Commands.run("fallocate", "-p", "-o", "0", "-l", "1M", f.toString()).ok();
        assertEquals(8L << 20, Files.size(fs.backing(f)), "punching keeps the size");
        byte[] head = Arrays.copyOf(Files.readAllBytes(f), 2 << 20);
        for (int i = 0; i < head.length; i++) {
            if (head[i] != (i < 1 << 20 ? 0 : 0x41)) {
                throw new AssertionError("byte " + i + " is " + head[i] + " after punching the first MiB");
            }
        }
        String seek = Commands.run("xfs_io", "-c", "seek -d 0", f.toString()).ok().out();
        assertTrue(seek.contains("DATA\t" + (1 << 20)), "first data after the punched hole: " + seek);
    }

    @Test
    void statfsDescribesTheBackingFileSystem() {
        String[] mnt = Commands.run("stat", "-f", "-c", "%b %S %c", fs.mnt().toString()).ok().out().strip().split(" ");
        String[] src = Commands.run("stat", "-f", "-c", "%b %S %c", fs.source().toString()).ok().out().strip().split(" ");
        assertEquals(Long.parseLong(src[0]) * Long.parseLong(src[1]), Long.parseLong(mnt[0]) * Long.parseLong(mnt[1]),
                "total size");
        assertEquals(src[2], mnt[2], "total inodes");
    }

    @Test
    void fifosAndDeviceNodes() {
        Path d = fs.mnt().resolve("special");
        Commands.run("mkdir", d.toString()).ok();
        Commands.run("mkfifo", "-m", "0640", d.resolve("p").toString()).ok();
        assertEquals("fifo 640", Commands.run("stat", "-c", "%F %a", fs.backing(d.resolve("p")).toString()).ok().out().strip());
        Commands.run("mknod", d.resolve("null").toString(), "c", "1", "3").ok();
        assertEquals("character special file 1 3",
                Commands.run("stat", "-c", "%F %t %T", fs.backing(d.resolve("null")).toString()).ok().out().strip());
        assertEquals("character special file 1 3", Commands.run("stat", "-c", "%F %t %T", d.resolve("null").toString()).ok().out().strip());
        // the mount is nodev: the node exists but cannot be opened through it
        Commands.run("sh", "-c", "echo x > '" + d.resolve("null") + "'").exit(2);
        // a fifo through the mount is a local pipe on the client side
        Commands.run(null, Duration.ofSeconds(20), "sh", "-c",
                "(echo through-fifo > '" + d.resolve("p") + "' &) ; read line < '" + d.resolve("p") + "'; test \"$line\" = through-fifo").ok();
    }

    @Test
    void unprivilegedWriteClearsSetuidAndSetgid() throws IOException {
        Path f = Files.writeString(fs.dir("killpriv").resolve("f"), "#!/bin/sh\n");
        Commands.run("chmod", "6777", f.toString()).ok();
        assertEquals(06777, (int) Files.getAttribute(fs.backing(f), "unix:mode") & 07777);
        Commands.run(asUser("echo appended >> '" + f + "'")).ok();
        assertEquals(0777, (int) Files.getAttribute(fs.backing(f), "unix:mode") & 07777,
                "a write by a user without CAP_FSETID must clear S_ISUID and S_ISGID");
        assertEquals("#!/bin/sh\nappended\n", Files.readString(fs.backing(f)));

        // truncation on open by such a user, too
        Commands.run("chmod", "6777", f.toString()).ok();
        Commands.run(asUser(": > '" + f + "'")).ok();
        assertEquals(0777, (int) Files.getAttribute(fs.backing(f), "unix:mode") & 07777, "O_TRUNC by an unprivileged user");
        assertEquals(0, Files.size(fs.backing(f)));

        // root's own write keeps them
        Commands.run("chmod", "6777", f.toString()).ok();
        Commands.run("sh", "-c", "echo root >> '" + f + "'").ok();
        assertEquals(06777, (int) Files.getAttribute(fs.backing(f), "unix:mode") & 07777, "root keeps the bits");
    }

    @Test
    void defaultPermissionsAreEnforcedForOtherUsers() throws IOException {
        Path d = fs.dir("perm");
        Path secret = Files.writeString(d.resolve("secret"), "s");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path readable = Files.writeString(d.resolve("readable"), "r");
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
        Commands.run(asUser("cat '" + secret + "'")).exit(1);
        assertEquals("r", Commands.run(asUser("cat '" + readable + "'")).ok().out());
        Commands.run(asUser("echo no >> '" + readable + "'")).exit(2);
        assertEquals("r", Files.readString(fs.backing(readable)));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        Commands.run(asUser("touch '" + d.resolve("not-mine") + "'")).exit(1);
        assertTrue(Files.notExists(fs.backing(d.resolve("not-mine"))));
    }

    /**
     * What a user creates through a shared (allow_other) mount belongs to that user, as on any
     * local file system; a root daemon has to create with the caller's fsuid/fsgid (or hand the
     * node over) for that.
     */
    @Test
    void filesCreatedByAnotherUserBelongToThatUser() throws IOException {
        Path d = fs.dir("owner");
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
        Commands.run(asUser("echo mine > '" + d.resolve("mine") + "'")).ok();
        assertEquals(1234, (int) Files.getAttribute(fs.backing(d.resolve("mine")), "unix:uid"));
        assertEquals(1234, (int) Files.getAttribute(fs.backing(d.resolve("mine")), "unix:gid"));
        Commands.run(asUser("mkdir '" + d.resolve("mydir") + "'")).ok();
        assertEquals(1234, (int) Files.getAttribute(fs.backing(d.resolve("mydir")), "unix:uid"));
        Commands.run(asUser("ln -s x '" + d.resolve("mylink") + "'")).ok();
        assertEquals(1234, (int) Files.getAttribute(fs.backing(d.resolve("mylink")), "unix:uid",
                java.nio.file.LinkOption.NOFOLLOW_LINKS));
        Commands.run(asUser("mkfifo '" + d.resolve("myfifo") + "'")).ok();
        assertEquals(1234, (int) Files.getAttribute(fs.backing(d.resolve("myfifo")), "unix:uid"));
        // and so the user may chmod it (default_permissions: only the owner may)
        Commands.run(asUser("chmod 600 '" + d.resolve("mine") + "'")).ok();
    }
}
