package io.arbiterfs.harness.xfstests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class XfstestsConfigTest {
    private final XfstestsConfig cfg = new XfstestsConfig("arbiterfs", "arbiterfs", Path.of("/w/backing-test"),
            Path.of("/w/backing-scratch"), Path.of("/w/test"), Path.of("/w/scratch"), Path.of("/r/xfstests"),
            List.of("dio=always"), 2);

    @Test
    void declaresFuseWithDottedSubtypeAndTagColonDirDevices() {
        String text = cfg.render();
        assertTrue(text.contains("[arbiterfs]\n"));
        assertTrue(text.contains("export FSTYP=fuse\n"));
        assertTrue(text.contains("export FUSE_SUBTYP=.arbiterfs\n"), "subtype must carry the leading dot");
        assertTrue(text.contains("export TEST_DEV=arbiterfs_test:/w/backing-test\n"), text);
        assertTrue(text.contains("export SCRATCH_DEV=arbiterfs_scratch:/w/backing-scratch\n"), text);
        assertTrue(text.contains("export TEST_DIR=/w/test\n"));
        assertTrue(text.contains("export SCRATCH_MNT=/w/scratch\n"));
        assertTrue(text.contains("export RESULT_BASE=/r/xfstests\n"));
        assertTrue(text.contains("export LOAD_FACTOR=2\n"));
        assertEquals(Path.of("/r/xfstests/arbiterfs"), cfg.sectionResults());
    }

    @Test
    void mountOptionsAreAllowOtherDefaultPermissionsAndTheGivenOnes() {
        String text = cfg.render();
        assertTrue(text.contains("export TEST_FS_MOUNT_OPTS=\"-o allow_other,default_permissions,dio=always\"\n"), text);
        assertTrue(text.contains("export MOUNT_OPTIONS=\"-o allow_other,default_permissions,dio=always\"\n"), text);
    }

    @Test
    void devStringsAreNoExistingPaths() {
        // xfstests unmounts by DEV string: umount(8) would take an existing path for a mountpoint
        assertFalse(Files.exists(Path.of(cfg.testDev())));
        assertFalse(Files.exists(Path.of(cfg.scratchDev())));
        assertTrue(cfg.testDev().startsWith("arbiterfs_test:/"));
    }

    @Test
    void everyLineIsAnExportOrSectionOrComment() {
        for (String line : cfg.render().split("\n")) {
            assertTrue(line.startsWith("export ") || line.startsWith("[") || line.startsWith("#"), line);
        }
        assertEquals(1, cfg.render().lines().filter(l -> l.startsWith("[")).count());
    }
}
