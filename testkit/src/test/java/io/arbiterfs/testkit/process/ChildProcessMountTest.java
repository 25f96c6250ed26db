package io.arbiterfs.testkit.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.testkit.mount.Mountpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child that serves a mount: ready once mounted, SIGTERM unmounts and exits 0, SIGKILL leaves a mount close() reports. */
@Tag("mount")
class ChildProcessMountTest {
    @TempDir
    Path dir;

    private ChildProcess serve() throws IOException {
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        return ChildProcess.java(Children.class.getName(), List.of("serve", mnt.toString())).mountpoint(mnt)
                .log(dir.resolve("child.log")).start();
    }

    @Test
    void readyMeansMountedAndSigtermUnmountsWithExitZero() throws IOException {
        try (ChildProcess c = serve()) {
            assertTrue(Mountpoints.isMounted(c.mountpoint()));
            assertTrue(Files.isDirectory(c.mountpoint()), "the mount answers");
            assertEquals(0, c.stop(), c.logText());
            assertFalse(Mountpoints.isMounted(c.mountpoint()), "SIGTERM unmounted");
        }
    }

    @Test
    void aMountThatOutlivesItsChildFailsClose() throws IOException {
        ChildProcess c = serve();
        c.kill();
        assertTrue(Mountpoints.isMounted(c.mountpoint()), "SIGKILL leaves the dead mount");
        IOException e = assertThrows(IOException.class, c::close);
        assertTrue(e.getMessage().contains("still in the mount table"), e.getMessage());
        assertFalse(Mountpoints.isMounted(c.mountpoint()), "close detached it");
    }

    @Test
    void aThreadDumpLandsInTheLog() throws IOException {
        try (ChildProcess c = serve()) {
            c.threadDump();
            assertTrue(c.logText().contains("Full thread dump"), c.logText());
        }
    }
}
