package io.arbiterfs.fuse.internal.abi;

/** fuse_open_out. Size 16. */
public final class OpenOut extends Struct<OpenOut> {
    public static final int SIZE = 16;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long fh() {
        return buf.getLong(at);
    }

    public OpenOut fh(long v) {
        buf.putLong(at + 0, v);
        return this;
    }

    public int openFlags() {
        return buf.getInt(at + 8);
    }

    public OpenOut openFlags(int v) {
        buf.putInt(at + 8, v);
        return this;
    }

    public int backingId() {
        return buf.getInt(at + 12);
    }

    public OpenOut backingId(int v) {
        buf.putInt(at + 12, v);
        return this;
    }
}
