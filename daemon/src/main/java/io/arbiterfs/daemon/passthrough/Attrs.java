package io.arbiterfs.daemon.passthrough;

import io.arbiterfs.fuse.internal.abi.Attr;
import io.arbiterfs.fuse.platform.StatBuffer;
import java.time.Duration;

/** Copies a host {@code struct stat} into a fuse_attr, and splits cache timeouts into sec + nsec. */
final class Attrs {
    private Attrs() {}

    static void fill(Attr attr, StatBuffer st) {
        attr.ino(st.ino())
                .size(st.size())
                .blocks(st.blocks())
                .atime(st.atime())
                .mtime(st.mtime())
                .ctime(st.ctime())
                .atimensec((int) st.atimeNsec())
                .mtimensec((int) st.mtimeNsec())
                .ctimensec((int) st.ctimeNsec())
                .mode(st.mode())
                .nlink((int) Math.min(st.nlink(), 0xffffffffL))
                .uid(st.uid())
                .gid(st.gid())
                // glibc's dev_t packs major/minor like the kernel's new_encode_dev in the low 32 bits
                .rdev((int) st.rdev())
                .blksize((int) st.blksize());
    }

    /** A cache timeout as the kernel wants it: whole seconds and the nanosecond remainder. */
    record Timeout(long seconds, int nanos) {
        static Timeout of(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative timeout " + d);
            }
            return new Timeout(d.getSeconds(), d.getNano());
        }
    }
}
