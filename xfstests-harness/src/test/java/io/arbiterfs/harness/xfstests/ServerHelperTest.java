package io.arbiterfs.harness.xfstests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arbiterfs.harness.io.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerHelperTest {
    @TempDir
    Path dir;

    @Test
    void subtypeIsTheProgramsName() {
        assertEquals("passthrough_hp", ServerHelper.subtypeOf("/tmp/libfuse/build/example/passthrough_hp --num-threads 4"));
        assertThrows(IllegalArgumentException.class, () -> ServerHelper.subtypeOf("/x/arbiterfs"));
    }

    /** Runs the helper as mount(8) would, with the server and mount(8) itself replaced by echo stubs. */
    private String helper(String... args) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path server = bin.resolve("server");
        Files.writeString(server, "#!/bin/sh\necho server \"$@\"\n");
        Files.writeString(bin.resolve("mount"), "#!/bin/sh\necho mount \"$@\"\n");
        for (Path p : List.of(server, bin.resolve("mount"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (ServerHelper h = ServerHelper.install(dir, "server", server + " --opt")) {
            List<String> cmd = new ArrayList<>(List.of("env", "PATH=" + bin + ":/usr/bin:/bin", h.path().toString()));
            cmd.addAll(List.of(args));
            Tools.Result r = Tools.run(cmd, null, Duration.ofSeconds(30));
            assertEquals(0, r.status(), r.stderr());
            return r.stdout().strip().replace(bin + "/", "");
        } finally {
            assertFalse(Files.exists(dir.resolve("mount.fuse.server")), "close removes the helper");
        }
    }

    @Test
    void mountsTheTagsDirectoryWithFsnameSubtypeAndMount8DevSuid() throws IOException {
        assertEquals("server --opt /b/test /mnt -o rw,allow_other,subtype=server,fsname=t_test:/b/test,dev,suid",
                helper("t_test:/b/test", "/mnt", "-o", "rw,allow_other"));
        assertEquals("server --opt /b/test /mnt -o rw,nosuid,subtype=server,fsname=t_test:/b/test,dev",
                helper("t_test:/b/test", "/mnt", "-n", "-o", "rw,nosuid"));
        assertEquals("server --opt /b/test /mnt -o subtype=server,fsname=t_test:/b/test,dev,suid",
                helper("t_test:/b/test", "/mnt"));
    }

    @Test
    void aRemountIsMount8sOwnOnTheLiveMount() throws IOException {
        assertEquals("mount -i -o ro,nosuid,remount,user_id=0 /mnt",
                helper("t_test:/b/test", "/mnt", "-o", "ro,nosuid,remount,user_id=0"));
    }
}
