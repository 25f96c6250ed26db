package io.arbiterfs.daemon.it;

import io.arbiterfs.testkit.mount.Mountpoints;
import io.arbiterfs.testkit.sys.Commands;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.fuse.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The mount(8) helper written by {@code install-helper} (never into /sbin here). */
@Tag("mount")
class MountHelperTest {
    private Path base;
    private Path mnt;

    @BeforeEach
    void dirs() throws IOException {
        base = Files.createTempDirectory("arbiterfs-it-helper-");
        mnt = Files.createDirectory(base.resolve("mnt"));
        Mountpoints.register(mnt);
    }

    @AfterEach
    void reap() throws Exception {
        Cli.reap(mnt);
        Mountpoints.unregister(mnt);
        assertFalse(Cli.mounted(mnt), "mount left behind on " + mnt);
        Mountpoints.deleteTree(base);
    }

    @Test
    @Timeout(60)
    void installHelperWritesAnExecutableScriptCallingTheLauncher() throws IOException {
        Path helper = base.resolve("mount.fuse.arbiterfs");
        Path launcher = Cli.repoRoot().resolve("arbiterfs");
        Commands.Result r = Cli.run("install-helper", "--path", helper.toString()).ok();
        assertTrue(r.out().contains(helper.toString()), r.out());
        assertTrue(Files.isRegularFile(helper));
        assertTrue(Files.isExecutable(helper));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(helper)));
        String script = Files.readString(helper);
        assertTrue(script.startsWith("#!/bin/sh\n"), script);
        assertTrue(script.contains("exec " + launcher + " mount --helper \"$@\""), script);
        Commands.run("sh", "-n", helper.toString()).ok();
        // writing it again replaces it
        Cli.run("install-helper", "--path", helper.toString()).ok();
        assertEquals(script, Files.readString(helper));
    }

    @Test
    @Timeout(60)
    void installHelperOutsideTheLauncherIsAUsageError() {
        Path helper = base.resolve("mount.fuse.arbiterfs");
        Commands.Result r = Commands.run(null, Duration.ofSeconds(60),
                Cli.command(List.of(), "install-helper", "--path", helper.toString()).toArray(String[]::new)).exit(2);
        assertTrue(r.err().contains("launcher"), r.err());
        assertFalse(Files.exists(helper));
    }

    /**
     * Runs the helper the way mount(8) does ({@code helper SOURCE MOUNTPOINT -o rw,...}). The
     * launcher it calls is a stand-in that runs the CLI on the test class path, so no build runs.
     */
    @Test
    @Timeout(120)
    void helperMountsLikeMount8WouldCallIt() throws Exception {
        Path src = Files.createDirectory(base.resolve("source"));
        Files.writeString(src.resolve("seen"), "via helper");
        Path helper = helper();

        Commands.run(null, Duration.ofSeconds(90), helper.toString(), src.toString(), mnt.toString(), "-o",
                "rw,nosuid,nodev,relatime,log=" + base.resolve("unused")).exit(2); // strict options: log= is not one
        assertFalse(Cli.mounted(mnt));

        Commands.Result r = Commands.run(null, Duration.ofSeconds(90), helper.toString(), src.toString(), mnt.toString(),
                "-o", "rw,nosuid,nodev,strictatime", "--log", base.resolve("daemon.log").toString()).ok(); // mount(8) knows strictatime
        assertEquals("", r.out(), "mount(8) helpers are silent on success");
        assertEquals("", r.err());
        assertTrue(Mounts.hasType(mnt, ArbiterDaemon.FS_TYPE));
        assertEquals("via helper", Files.readString(mnt.resolve("seen")));
        List<String> opts = mountOptions();
        assertTrue(opts.contains("nosuid") && opts.contains("nodev"), opts.toString());
        Cli.run("unmount", mnt.toString()).ok();
        assertFalse(Cli.mounted(mnt));
    }

    /**
     * mount(8) passes nosuid/nodev but never suid/dev: through the helper a mount is dev,suid
     * unless restricted, as with mount.fuse3 (xfstests generic/184 needs a working device node);
     * {@code arbiterfs mount} by hand stays nosuid,nodev.
     */
    @Test
    @Timeout(180)
    void helperFollowsMount8DevAndSuidWhileMountByHandStaysNosuidNodev() throws Exception {
        Path src = Files.createDirectory(base.resolve("source"));
        Path helper = helper();
        Path log = base.resolve("daemon.log");

        Commands.run(null, Duration.ofSeconds(90), helper.toString(), "tag:" + src, mnt.toString(), "-o",
                "rw,allow_other,default_permissions", "--log", log.toString()).ok();
        List<String> opts = mountOptions();
        assertFalse(opts.contains("nosuid") || opts.contains("nodev"), opts.toString());
        Commands.run("mknod", mnt.resolve("null").toString(), "c", "1", "3").ok();
        Commands.sh("echo data > " + mnt.resolve("null")).ok(); // EACCES on a nodev mount
        Cli.run("unmount", mnt.toString()).ok();

        Commands.run(null, Duration.ofSeconds(90), helper.toString(), "tag:" + src, mnt.toString(), "-o",
                "rw,nosuid", "--log", log.toString()).ok();
        opts = mountOptions();
        assertTrue(opts.contains("nosuid") && !opts.contains("nodev"), opts.toString());
        Cli.run("unmount", mnt.toString()).ok();

        Cli.run("mount", src.toString(), mnt.toString(), "--log", log.toString()).ok();
        opts = mountOptions();
        assertTrue(opts.contains("nosuid") && opts.contains("nodev"), opts.toString());
        Commands.Result denied = Commands.sh("echo data > " + mnt.resolve("null"));
        assertTrue(denied.exit() != 0 && denied.err().contains("Permission denied"), denied.toString());
        Cli.run("unmount", mnt.toString()).ok();
        assertFalse(Cli.mounted(mnt));
    }

    /**
     * {@code mount -o remount,ro MNT} runs the helper with the mount's current flags and FUSE
     * options plus {@code remount} (seen from util-linux 2.38's mount(8)); the same daemon keeps
     * serving, read-only, then read-write again.
     */
    @Test
    @Timeout(180)
    void remountReadOnlyAndBackThroughTheHelperKeepsTheDaemon() throws Exception {
        Path src = Files.createDirectory(base.resolve("source"));
        Path helper = helper();
        String dev = "tag:" + src;
        Commands.run(null, Duration.ofSeconds(90), helper.toString(), dev, mnt.toString(), "-o",
                "rw,nosuid,allow_other,default_permissions", "--log", base.resolve("daemon.log").toString()).ok();
        Files.writeString(mnt.resolve("file"), "before");
        List<Long> daemons = Cli.daemonsFor(mnt).stream().map(ProcessHandle::pid).toList();
        assertEquals(1, daemons.size(), daemons.toString());

        Commands.Result r = Commands.run(null, Duration.ofSeconds(90), helper.toString(), dev, mnt.toString(), "-o",
                mount8RemountOptions("ro")).ok();
        assertEquals("", r.out(), "mount(8) helpers are silent on success");
        assertEquals("", r.err());
        List<String> opts = mountOptions();
        assertTrue(opts.contains("ro") && opts.contains("nosuid") && !opts.contains("nodev"), opts.toString());
        IOException e = assertThrows(IOException.class, () -> Files.writeString(mnt.resolve("file"), "during"));
        assertTrue(String.valueOf(e.getMessage()).contains("Read-only file system"), String.valueOf(e));
        assertEquals("before", Files.readString(mnt.resolve("file")));

        Commands.run(null, Duration.ofSeconds(90), helper.toString(), dev, mnt.toString(), "-n", "-v", "-o",
                mount8RemountOptions("rw")).ok();
        opts = mountOptions();
        assertTrue(opts.contains("rw") && opts.contains("nosuid"), opts.toString());
        Files.writeString(mnt.resolve("file"), "after");
        assertEquals("after", Files.readString(src.resolve("file")));
        assertEquals(daemons, Cli.daemonsFor(mnt).stream().map(ProcessHandle::pid).toList(), "the same daemon serves on");
        Cli.run("unmount", mnt.toString()).ok();
        assertFalse(Cli.mounted(mnt));
    }

    /**
     * By hand the mount's other flags stay as they are; what a remount cannot change (the
     * kernel's FUSE options) or does not know is an error that leaves the mount untouched.
     */
    @Test
    @Timeout(180)
    void remountByHandKeepsTheOtherFlagsAndRefusesWhatItCannotChange() throws Exception {
        Path src = Files.createDirectory(base.resolve("source"));
        Cli.run("mount", src.toString(), mnt.toString(), "--log", base.resolve("daemon.log").toString()).ok();

        Commands.Result r = Cli.run("mount", "-o", "remount,ro", mnt.toString()).ok();
        assertTrue(r.out().contains("remounted " + mnt + " read-only"), r.out());
        List<String> opts = mountOptions();
        assertTrue(opts.contains("ro") && opts.contains("nosuid") && opts.contains("nodev"), opts.toString());

        r = Cli.run("mount", "-o", "remount,rw,allow_other", mnt.toString()).exit(2);
        assertTrue(r.err().contains("allow_other cannot be changed by a remount"), r.err());
        r = Cli.run("mount", "-o", "remount,rw,no_such_option", mnt.toString()).exit(2);
        assertTrue(r.err().contains("unknown mount option 'no_such_option'"), r.err());
        assertTrue(mountOptions().contains("ro"), "a refused remount must leave the mount as it was");
        r = Cli.run("mount", "-o", "remount,ro", src.toString()).exit(2);
        assertTrue(r.err().contains("no arbiterfs mount at " + src), r.err());
        r = Cli.run("mount", "-v", src.toString(), mnt.toString()).exit(2);
        assertTrue(r.err().contains("mount(8)'s flags"), r.err());

        Cli.run("mount", "-o", "remount,rw", mnt.toString()).ok();
        Files.writeString(mnt.resolve("file"), "written");
        assertEquals("written", Files.readString(src.resolve("file")));
        Cli.run("unmount", mnt.toString()).ok();
        assertFalse(Cli.mounted(mnt));
    }

    /** The helper, installed with a stand-in launcher that runs the CLI on the test class path (no build). */
    private Path helper() throws IOException {
        Path launcher = base.resolve("launcher");
        String javaCmd = Cli.command(List.of("-Darbiterfs.launcher=" + launcher), "\"$@\"").stream()
                .map(a -> a.equals("\"$@\"") ? a : "'" + a + "'")
                .collect(Collectors.joining(" "));
        Files.writeString(launcher, "#!/bin/sh\nexec " + javaCmd + "\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path helper = base.resolve("mount.fuse.arbiterfs");
        Commands.run(null, Duration.ofSeconds(60), Cli.command(List.of("-Darbiterfs.launcher=" + launcher),
                "install-helper", "--path", helper.toString()).toArray(String[]::new)).ok();
        return helper;
    }

    private List<String> mountOptions() throws IOException {
        return List.of(Mounts.at(mnt).orElseThrow().options().split(","));
    }

    /** What mount(8) passes for {@code mount -o remount,MODE}: the current options with MODE for ro/rw, and remount. */
    private String mount8RemountOptions(String mode) throws IOException {
        List<String> current = new ArrayList<>(mountOptions());
        current.removeIf(o -> o.equals("ro") || o.equals("rw"));
        current.add(0, mode);
        current.add(Math.min(4, current.size()), "remount");
        return String.join(",", current);
    }
}
