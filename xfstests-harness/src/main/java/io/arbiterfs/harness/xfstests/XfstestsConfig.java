package io.arbiterfs.harness.xfstests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The local.config section that makes a real xfstests checkout mount arbiterfs: FSTYP=fuse with
 * FUSE_SUBTYP=.arbiterfs (so mount(8) runs /sbin/mount.fuse.arbiterfs), bare-tag TEST_DEV and
 * SCRATCH_DEV (they must not be existing paths: xfstests unmounts by DEV string), and the backing
 * directories passed as {@code -o source=}.
 *
 * @param section  the config section name (check -s)
 * @param work     directory holding the mountpoints and backing directories
 * @param options  extra arbiterfs mount options (e.g. dio=always)
 * @param loadFactor xfstests' LOAD_FACTOR
 */
public record XfstestsConfig(String section, Path work, List<String> options, int loadFactor) {
    public static final String TEST_DEV = "arbiterfs_test";
    public static final String SCRATCH_DEV = "arbiterfs_scratch";

    public Path testDir() {
        return work.resolve("test");
    }

    public Path scratchMnt() {
        return work.resolve("scratch");
    }

    public Path testBacking() {
        return work.resolve("backing-test");
    }

    public Path scratchBacking() {
        return work.resolve("backing-scratch");
    }

    /** The config file text. */
    public String render() {
        List<String> lines = new ArrayList<>();
        lines.add("# written by ./arbiterfs xfstests --xfstests; see xfstests-harness/README.md");
        lines.add("[" + section + "]");
        lines.add("export FSTYP=fuse");
        lines.add("export FUSE_SUBTYP=.arbiterfs");
        lines.add("export TEST_DEV=" + TEST_DEV);
        lines.add("export TEST_DIR=" + testDir());
        lines.add("export SCRATCH_DEV=" + SCRATCH_DEV);
        lines.add("export SCRATCH_MNT=" + scratchMnt());
        lines.add("export TEST_FS_MOUNT_OPTS=\"-o " + mountOptions(testBacking()) + "\"");
        lines.add("export MOUNT_OPTIONS=\"-o " + mountOptions(scratchBacking()) + "\"");
        lines.add("export LOAD_FACTOR=" + loadFactor);
        return String.join("\n", lines) + "\n";
    }

    private String mountOptions(Path backing) {
        List<String> o = new ArrayList<>();
        o.add("source=" + backing);
        o.add("allow_other");
        o.add("default_permissions");
        o.addAll(options);
        return String.join(",", o);
    }
}
