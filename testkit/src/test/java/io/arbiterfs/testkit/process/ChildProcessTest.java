package io.arbiterfs.testkit.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readiness handshake refuses every way a child can fail to be ready, and leaves no process behind. */
class ChildProcessTest {
    @TempDir
    Path dir;

    private ChildProcess.Builder child(String what) throws IOException {
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        return ChildProcess.java(Children.class.getName(), List.of(what, mnt.toString())).mountpoint(mnt)
                .log(dir.resolve("child.log")).readyWithin(Duration.ofSeconds(20));
    }

    private static void gone(String what) {
        assertFalse(ProcessHandle.current().children().anyMatch(p -> p.info().commandLine().orElse("").contains(what)),
                "the child of '" + what + "' is still running");
    }

    @Test
    void aChildThatExitsFirstIsAnErrorWithItsOutput() {
        IOException e = assertThrows(IOException.class, () -> child("exit-early").start());
        assertTrue(e.getMessage().contains("exited with 3 before it was ready"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot mount: the test says so"), "the log's end is in the message: " + e.getMessage());
    }

    @Test
    void anAnnouncementOfAnotherMountpointIsAnError() {
        IOException e = assertThrows(IOException.class, () -> child("wrong-mountpoint").start());
        assertTrue(e.getMessage().contains("elsewhere") && e.getMessage().contains("expected"), e.getMessage());
        gone("wrong-mountpoint");
    }

    @Test
    void silenceIsAnErrorAfterTheLimitAndTheChildIsKilled() throws IOException {
        IOException e = assertThrows(IOException.class, () -> child("silent").readyWithin(Duration.ofSeconds(2)).start());
        assertTrue(e.getMessage().contains("did not announce") && e.getMessage().contains("starting, but never ready"), e.getMessage());
        gone("silent");
    }

    @Test
    void readinessWithNothingMountedIsAnError() {
        IOException e = assertThrows(IOException.class, () -> child("nothing-mounted").start());
        assertTrue(e.getMessage().contains("nothing is mounted"), e.getMessage());
        gone("nothing-mounted");
    }

    @Test
    void theReadinessLineNamesTheMountpoint() {
        assertEquals("ARBITERFS-READY /a/b", ChildProcess.readyLine(Path.of("/a/./b")));
    }
}
