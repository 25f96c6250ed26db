package io.arbiterfs.harness.xfstests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.harness.io.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FuseSubtypeAdaptationTest {
    /**
     * A common/rc with the three functions in xfstests' shape, their external commands replaced
     * by stubs that print what they were asked: df -T reports fuse.arbiterfs, findmnt echoes its -t.
     */
    private static final String RC = String.join("\n",
            "_df_device() { echo \"$1 fuse.arbiterfs 100 1 99 1% /mnt\"; }",
            "findmnt() { echo \"findmnt $*\"; }",
            "_fs_type()",
            "{",
            "    _df_device $1 | awk '{ print $2 }' | \\",
            "        sed -e 's/nfs4/nfs/' -e 's/fuse.glusterfs/glusterfs/' \\",
            "            -e 's/fuse.ceph-fuse/ceph-fuse/'",
            "}",
            "_is_dev_mounted()",
            "{",
            "\tlocal dev=$1",
            "\tlocal fstype=${2:-$FSTYP}",
            "\tfindmnt -rncv -S $dev -t $fstype -o TARGET | head -1",
            "}",
            "_is_dir_mountpoint()",
            "{",
            "\tlocal dir=$1",
            "\tlocal fstype=${2:-$FSTYP}",
            "\tfindmnt -rncv -t $fstype -o TARGET $dir | head -1",
            "}",
            "/bin/true",
            "");

    @TempDir
    Path tree;

    private String bash(String script) throws IOException {
        Tools.Result r = Tools.run(List.of("bash", "-c", script), tree, Duration.ofSeconds(30));
        assertEquals(0, r.status(), r.stderr());
        return r.stdout().strip();
    }

    private void writeRc(String text) throws IOException {
        Files.createDirectories(tree.resolve("common"));
        Files.writeString(tree.resolve("common/rc"), text);
    }

    @Test
    void fuseSubtypesReadAsFuseAndFindmntLooksForBoth() throws IOException {
        writeRc(RC);
        String before = bash(". common/rc; _fs_type x");
        assertEquals("fuse.arbiterfs", before, "the unadapted function (what makes check refuse to start)");
        FuseSubtypeAdaptation.apply(tree);
        String env = "FSTYP=fuse FUSE_SUBTYP=.arbiterfs; . common/rc; ";
        assertEquals("fuse", bash(env + "_fs_type x"));
        assertEquals("findmnt -rncv -S dev -t fuse,fuse.arbiterfs -o TARGET", bash(env + "_is_dev_mounted dev"));
        assertEquals("findmnt -rncv -t fuse,fuse.arbiterfs -o TARGET /d", bash(env + "_is_dir_mountpoint /d"));
        assertEquals("findmnt -rncv -S dev -t ext4 -o TARGET", bash(env + "_is_dev_mounted dev ext4"), "other types unchanged");
        // common/rc is sourced again when check changes section: the wrappers must not wrap themselves
        assertEquals("fuse", bash(env + ". common/rc; . common/rc; _fs_type x"));
        assertEquals("findmnt -rncv -S dev -t fuse,fuse.arbiterfs -o TARGET", bash(env + ". common/rc; _is_dev_mounted dev"));
    }

    @Test
    void applyingAgainRenewsTheBlockInsteadOfAddingOne() throws IOException {
        writeRc(RC);
        FuseSubtypeAdaptation.apply(tree);
        String once = Files.readString(tree.resolve("common/rc"));
        FuseSubtypeAdaptation.apply(tree);
        assertEquals(once, Files.readString(tree.resolve("common/rc")));
        assertTrue(once.startsWith(RC), "the original text stays as it was");
    }

    @Test
    void aTreeWithoutTheFunctionsIsRefused() throws IOException {
        writeRc(RC.replace("_is_dir_mountpoint()", "_is_a_mountpoint()"));
        IOException e = assertThrows(IOException.class, () -> FuseSubtypeAdaptation.apply(tree));
        assertTrue(e.getMessage().contains("defines no _is_dir_mountpoint()"), e.getMessage());
    }
}
