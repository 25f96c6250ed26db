package io.arbiterfs.fuse.internal.abi;

/** fuse_lseek_out. Size 8. */
public final class LseekOut extends Struct<LseekOut> {
    public static final int SIZE = 8;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long offset() {
        return buf.getLong(at);
    }

    public LseekOut offset(long v) {
        buf.putLong(at + 0, v);
        return this;
    }
}
