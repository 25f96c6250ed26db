package io.arbiterfs.harness.xfstests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one change the cached xfstests build gets, so it accepts FUSE mounts that carry a subtype
 * ({@code fuse.arbiterfs}). xfstests (63a29724) expects a FUSE mount's type to be plain
 * {@code fuse}: {@code _fs_type} (the type column of {@code df -T}) must equal FSTYP, and
 * {@code _is_dev_mounted}/{@code _is_dir_mountpoint} ask {@code findmnt -t $FSTYP}, which does not
 * match {@code fuse.arbiterfs}. A block appended to common/rc wraps those three functions: the
 * type {@code fuse.*} reads as {@code fuse}, and the findmnt calls look for {@code fuse} and
 * {@code fuse$FUSE_SUBTYP}. Appending (not editing lines) keeps the originals as they are, works
 * on any tree that defines the three functions, and is redone identically on every run; a tree
 * that lacks one of them is refused. The user's own checkout is never changed: only the copy.
 */
public final class FuseSubtypeAdaptation {
    static final String BEGIN = "# >>> arbiterfs xfstests --real: FUSE subtypes (xfstests-harness/README.md, \"The mount type\")";
    static final String END = "# <<< arbiterfs xfstests --real";
    static final List<String> WRAPPED = List.of("_fs_type", "_is_dev_mounted", "_is_dir_mountpoint");

    private FuseSubtypeAdaptation() {}

    /** The appended block: each function is copied under a new name, then redefined around the copy. */
    static String block() {
        return String.join("\n",
                BEGIN,
                "# common/rc may be sourced more than once: the copies are taken from the fresh definitions above.",
                "eval \"$(declare -f _fs_type | sed '1s/^_fs_type /_arbiterfs_plain_fs_type /')\"",
                "_fs_type() { _arbiterfs_plain_fs_type \"$@\" | sed -e 's/^fuse\\..*$/fuse/'; }",
                "_arbiterfs_fstypes() { if [ \"$1\" = fuse ] && [ -n \"$FUSE_SUBTYP\" ]; then echo \"fuse,fuse$FUSE_SUBTYP\";"
                        + " else echo \"$1\"; fi; }",
                "eval \"$(declare -f _is_dev_mounted | sed '1s/^_is_dev_mounted /_arbiterfs_plain_is_dev_mounted /')\"",
                "_is_dev_mounted() { _arbiterfs_plain_is_dev_mounted \"$1\" \"$(_arbiterfs_fstypes \"${2:-$FSTYP}\")\"; }",
                "eval \"$(declare -f _is_dir_mountpoint | sed '1s/^_is_dir_mountpoint /_arbiterfs_plain_is_dir_mountpoint /')\"",
                "_is_dir_mountpoint() { _arbiterfs_plain_is_dir_mountpoint \"$1\" \"$(_arbiterfs_fstypes \"${2:-$FSTYP}\")\"; }",
                "true",
                END,
                "");
    }

    /** Appends (or renews) the block in {@code tree}/common/rc. */
    public static void apply(Path tree) throws IOException {
        Path rc = tree.resolve("common/rc");
        if (!Files.isRegularFile(rc)) {
            throw new IOException(tree + " has no common/rc");
        }
        String text = Files.readString(rc);
        int begin = text.indexOf(BEGIN);
        if (begin >= 0) {
            int end = text.indexOf(END, begin);
            if (end < 0) {
                throw new IOException(rc + " has an unfinished arbiterfs block (no '" + END + "' line)");
            }
            text = text.substring(0, begin) + text.substring(text.indexOf('\n', end) + 1);
        }
        for (String f : WRAPPED) {
            if (!text.contains("\n" + f + "()")) {
                throw new IOException(rc + " defines no " + f + "(): this xfstests differs from the one the FUSE subtype "
                        + "adaptation was made for (see xfstests-harness/README.md, \"The mount type\")");
            }
        }
        if (!text.endsWith("\n")) {
            text += "\n";
        }
        Files.writeString(rc, text + block());
    }
}
