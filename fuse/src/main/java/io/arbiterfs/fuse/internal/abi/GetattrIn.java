package io.arbiterfs.fuse.internal.abi;

/** fuse_getattr_in. Size 16. */
public final class GetattrIn extends Struct<GetattrIn> {
    public static final int SIZE = 16;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int getattrFlags() {
        return buf.getInt(at);
    }

    public long fh() {
        return buf.getLong(at + 8);
    }
}
