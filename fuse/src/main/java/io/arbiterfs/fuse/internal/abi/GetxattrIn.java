package io.arbiterfs.fuse.internal.abi;

/** fuse_getxattr_in (GETXATTR, LISTXATTR). Size 8. */
public final class GetxattrIn extends Struct<GetxattrIn> {
    public static final int SIZE = 8;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int size() {
        return buf.getInt(at);
    }
}
