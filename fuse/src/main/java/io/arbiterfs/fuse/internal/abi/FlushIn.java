package io.arbiterfs.fuse.internal.abi;

/** fuse_flush_in. Size 24. */
public final class FlushIn extends Struct<FlushIn> {
    public static final int SIZE = 24;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long fh() {
        return buf.getLong(at);
    }

    public long lockOwner() {
        return buf.getLong(at + 16);
    }
}
