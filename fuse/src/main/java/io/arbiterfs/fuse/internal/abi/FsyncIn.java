package io.arbiterfs.fuse.internal.abi;

/** fuse_fsync_in (FSYNC and FSYNCDIR). Size 16. */
public final class FsyncIn extends Struct<FsyncIn> {
    public static final int SIZE = 16;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long fh() {
        return buf.getLong(at);
    }

    public int fsyncFlags() {
        return buf.getInt(at + 8);
    }
}
