package io.arbiterfs.daemon.it;

import io.arbiterfs.testkit.mount.Mountpoints;
import io.arbiterfs.testkit.sys.Commands;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
        assertTrue(script.contains("exec " + launcher + " mount \"$@\""), script);
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
        Path launcher = base.resolve("launcher");
        String javaCmd = Cli.command(List.of("-Darbiterfs.launcher=" + launcher), "\"$@\"").stream()
                .map(a -> a.equals("\"$@\"") ? a : "'" + a + "'")
                .collect(Collectors.joining(" "));
        Files.writeString(launcher, "#!/bin/sh\nexec " + javaCmd + "\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path helper = base.resolve("mount.fuse.arbiterfs");
        Commands.run(null, Duration.ofSeconds(60), Cli.command(List.of("-Darbiterfs.launcher=" + launcher),
                "install-helper", "--path", helper.toString()).toArray(String[]::new)).ok();

        Commands.run(null, Duration.ofSeconds(90), helper.toString(), src.toString(), mnt.toString(), "-o",
                "rw,nosuid,nodev,relatime,log=" + base.resolve("unused")).exit(2); // strict options: log= is not one
        assertFalse(Cli.mounted(mnt));

        Commands.run(null, Duration.ofSeconds(90), helper.toString(), src.toString(), mnt.toString(), "-o",
                "rw,nosuid,nodev,relatime", "--log", base.resolve("daemon.log").toString()).ok();
        assertTrue(Mounts.hasType(mnt, io.arbiterfs.daemon.ArbiterDaemon.FS_TYPE));
        assertEquals("via helper", Files.readString(mnt.resolve("seen")));
        String opts = Mounts.at(mnt).orElseThrow().options();
        assertTrue(opts.contains("nosuid") && opts.contains("nodev"), opts);
        Cli.run("unmount", mnt.toString()).ok();
        assertFalse(Cli.mounted(mnt));
    }
}
