package io.arbiterfs.daemon.passthrough;

import io.arbiterfs.fuse.Attributes;
import io.arbiterfs.fuse.platform.StatBuffer;

/** Copies a host {@code struct stat} into reply attributes. */
final class Attrs {
    private Attrs() {}

    static void fill(Attributes attr, StatBuffer st) {
        attr.ino(st.ino())
                .size(st.size())
                .blocks(st.blocks())
                .atime(st.atime(), (int) st.atimeNsec())
                .mtime(st.mtime(), (int) st.mtimeNsec())
                .ctime(st.ctime(), (int) st.ctimeNsec())
                .mode(st.mode())
                .nlink((int) Math.min(st.nlink(), 0xffffffffL))
                .uid(st.uid())
                .gid(st.gid())
                // glibc's dev_t packs major/minor like the kernel's new_encode_dev in the low 32 bits
                .rdev((int) st.rdev())
                .blksize((int) st.blksize());
    }

}
