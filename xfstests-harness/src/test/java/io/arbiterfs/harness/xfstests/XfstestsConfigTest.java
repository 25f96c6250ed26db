package io.arbiterfs.harness.xfstests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class XfstestsConfigTest {
    private final XfstestsConfig cfg = new XfstestsConfig("arbiterfs", Path.of("/w"), List.of("dio=always"), 2);

    @Test
    void declaresFuseWithDottedSubtypeAndTagDevices() {
        String text = cfg.render();
        assertTrue(text.contains("[arbiterfs]\n"));
        assertTrue(text.contains("export FSTYP=fuse\n"));
        assertTrue(text.contains("export FUSE_SUBTYP=.arbiterfs\n"), "subtype must carry the leading dot");
        assertTrue(text.contains("export TEST_DEV=arbiterfs_test\n"));
        assertTrue(text.contains("export SCRATCH_DEV=arbiterfs_scratch\n"));
        assertTrue(text.contains("export TEST_DIR=/w/test\n"));
        assertTrue(text.contains("export SCRATCH_MNT=/w/scratch\n"));
        assertTrue(text.contains("export LOAD_FACTOR=2\n"));
    }

    @Test
    void backingDirectoriesGoInSourceOptionsNotInTheDevStrings() {
        String text = cfg.render();
        assertTrue(text.contains("export TEST_FS_MOUNT_OPTS=\"-o source=/w/backing-test,allow_other,default_permissions,dio=always\"\n"), text);
        assertTrue(text.contains("export MOUNT_OPTIONS=\"-o source=/w/backing-scratch,allow_other,default_permissions,dio=always\"\n"), text);
        // xfstests unmounts by DEV string: it must never be an existing path
        assertFalse(XfstestsConfig.TEST_DEV.contains("/"));
        assertFalse(XfstestsConfig.SCRATCH_DEV.contains("/"));
    }

    @Test
    void everyLineIsAnExportOrSectionOrComment() {
        for (String line : cfg.render().split("\n")) {
            assertTrue(line.startsWith("export ") || line.startsWith("[") || line.startsWith("#"), line);
        }
        assertEquals(1, cfg.render().lines().filter(l -> l.startsWith("[")).count());
    }
}
