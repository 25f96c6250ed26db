package io.arbiterfs.harness.xfstests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The local.config section that makes xfstests mount the server under test: FSTYP=fuse with
 * FUSE_SUBTYP=.SUBTYPE (so every mount is {@code mount -t fuse.SUBTYPE}, which runs
 * /sbin/mount.fuse.SUBTYPE), TEST_DEV and SCRATCH_DEV in the {@code TAG:DIR} form (the helper
 * serves DIR and shows the whole string as the mount source, which is how xfstests finds and
 * unmounts its mounts; it is not an existing path), and the mount options
 * {@code -o allow_other,default_permissions[,OPTIONS]}.
 *
 * @param section        the config section name (check -s)
 * @param subtype        the FUSE subtype: the helper's name suffix and the DEV tags' prefix
 * @param testBacking    TEST's backing directory
 * @param scratchBacking SCRATCH's backing directory
 * @param testDir        TEST_DIR, where xfstests mounts TEST
 * @param scratchMnt     SCRATCH_MNT
 * @param resultBase     RESULT_BASE: where check writes each test's .out.bad, .full, .notrun, .dmesg
 * @param options        extra mount options (the runner's -o)
 * @param loadFactor     xfstests' LOAD_FACTOR
 */
public record XfstestsConfig(String section, String subtype, Path testBacking, Path scratchBacking, Path testDir,
                             Path scratchMnt, Path resultBase, List<String> options, int loadFactor) {

    public String testDev() {
        return subtype + "_test:" + testBacking;
    }

    public String scratchDev() {
        return subtype + "_scratch:" + scratchBacking;
    }

    /** The directory check writes this section's per-test files into. */
    public Path sectionResults() {
        return resultBase.resolve(section);
    }

    /** The -o value of every mount. */
    public String mountOptions() {
        List<String> o = new ArrayList<>(List.of("allow_other", "default_permissions"));
        o.addAll(options);
        return String.join(",", o);
    }

    /** The config file text. */
    public String render() {
        List<String> lines = new ArrayList<>();
        lines.add("# written by ./arbiterfs xfstests --real; see xfstests-harness/README.md");
        lines.add("[" + section + "]");
        lines.add("export FSTYP=fuse");
        lines.add("export FUSE_SUBTYP=." + subtype);
        lines.add("export TEST_DEV=" + testDev());
        lines.add("export TEST_DIR=" + testDir);
        lines.add("export SCRATCH_DEV=" + scratchDev());
        lines.add("export SCRATCH_MNT=" + scratchMnt);
        lines.add("export TEST_FS_MOUNT_OPTS=\"-o " + mountOptions() + "\"");
        lines.add("export MOUNT_OPTIONS=\"-o " + mountOptions() + "\"");
        lines.add("export RESULT_BASE=" + resultBase);
        lines.add("export LOAD_FACTOR=" + loadFactor);
        return String.join("\n", lines) + "\n";
    }
}
