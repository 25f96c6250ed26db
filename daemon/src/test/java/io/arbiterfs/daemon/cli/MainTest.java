package io.arbiterfs.daemon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.testkit.mount.Mountpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line run with a backend layer: that layer lives in this process, so nothing may detach from it. */
class MainTest {
    private static final ArbiterDaemon.BackendLayer SOME_LAYER = new ArbiterDaemon.BackendLayer() {
        @Override
        public <F, D> FileSystem<F, D> wrap(FileSystem<F, D> backend) {
            return backend;
        }
    };

    @Test
    void aLayerRefusesTheBackgroundMountAndMountsNothing(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectory(dir.resolve("source"));
        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        assertEquals(Main.EXIT_USAGE, Main.run(SOME_LAYER, "mount", src.toString(), mnt.toString()));
        assertEquals(Main.EXIT_USAGE, Main.run(SOME_LAYER, "example", "hello", mnt.toString()));
        assertFalse(Mountpoints.isMounted(mnt));
    }
}
