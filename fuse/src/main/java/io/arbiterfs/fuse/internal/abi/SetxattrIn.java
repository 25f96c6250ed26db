package io.arbiterfs.fuse.internal.abi;

/** fuse_setxattr_in, compat size (SETXATTR_EXT not negotiated); name and value follow. Size 8. */
public final class SetxattrIn extends Struct<SetxattrIn> {
    public static final int SIZE = 8;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int size() {
        return buf.getInt(at);
    }

    public int flags() {
        return buf.getInt(at + 4);
    }
}
