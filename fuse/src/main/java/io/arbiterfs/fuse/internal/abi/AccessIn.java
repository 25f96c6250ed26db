package io.arbiterfs.fuse.internal.abi;

/** fuse_access_in. Size 8. */
public final class AccessIn extends Struct<AccessIn> {
    public static final int SIZE = 8;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int mask() {
        return buf.getInt(at);
    }
}
