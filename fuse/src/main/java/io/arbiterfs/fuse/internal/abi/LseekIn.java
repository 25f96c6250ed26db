package io.arbiterfs.fuse.internal.abi;

/** fuse_lseek_in. Size 24. */
public final class LseekIn extends Struct<LseekIn> {
    public static final int SIZE = 24;

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

    public int whence() {
        return buf.getInt(at + 16);
    }
}
