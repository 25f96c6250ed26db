package io.arbiterfs.fuse.internal.abi;

/** fuse_out_header: the header of every reply and notification. Size 16. */
public final class OutHeader extends Struct<OutHeader> {
    public static final int SIZE = 16;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int len() {
        return buf.getInt(at);
    }

    public OutHeader len(int v) {
        buf.putInt(at + 0, v);
        return this;
    }

    public int error() {
        return buf.getInt(at + 4);
    }

    public OutHeader error(int v) {
        buf.putInt(at + 4, v);
        return this;
    }

    public long unique() {
        return buf.getLong(at + 8);
    }

    public OutHeader unique(long v) {
        buf.putLong(at + 8, v);
        return this;
    }
}
