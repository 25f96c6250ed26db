package io.arbiterfs.fuse.internal.abi;

/** fuse_fallocate_in. Size 32. */
public final class FallocateIn extends Struct<FallocateIn> {
    public static final int SIZE = 32;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long fh() {
        return buf.getLong(at);
    }

    public long offset() {
        return buf.getLong(at + 8);
    }

    public long length() {
        return buf.getLong(at + 16);
    }

    public int mode() {
        return buf.getInt(at + 24);
    }
}
