package io.arbiterfs.jnrfuse;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountArgumentsTest {
    @Test
    void readsTheVectorJnrFuseBuilds() {
        // AbstractFuseFS.mount(path, blocking, debug=true, {"-o", "ro,allow_other", "-odirect_io"})
        MountArguments arguments = MountArguments.parse(new String[]{"fusefs-42", "-f", "-d", "/mnt/x",
                "-o", "ro,allow_other", "-odirect_io", "-s"});
        assertEquals("fusefs-42", arguments.programName());
        assertEquals(Path.of("/mnt/x"), arguments.mountPoint());
        assertTrue(arguments.foreground());
        assertTrue(arguments.debug());
        assertTrue(arguments.singleThreaded());
        assertEquals(List.of("ro", "allow_other", "direct_io"), arguments.options());
        assertEquals(List.of(), arguments.unrecognized());
    }

    @Test
    void keepsWhatLibfuseWouldNotKnowAndRejectsWhatCannotMount() {
        MountArguments arguments = MountArguments.parse(new String[]{"fs", "-f", "/mnt/x", "--weird", "extra"});
        assertFalse(arguments.debug());
        assertEquals(List.of("--weird", "extra"), arguments.unrecognized());
        assertThrows(IllegalArgumentException.class, () -> MountArguments.parse(new String[]{"fs", "-f"}));
        assertThrows(IllegalArgumentException.class, () -> MountArguments.parse(new String[]{"fs", "/mnt/x", "-o"}));
        assertThrows(IllegalArgumentException.class, () -> MountArguments.parse(new String[0]));
    }
}
