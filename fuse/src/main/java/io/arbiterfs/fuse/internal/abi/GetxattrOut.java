package io.arbiterfs.fuse.internal.abi;

/** fuse_getxattr_out: the size answer when the caller asked with size 0. Size 8. */
public final class GetxattrOut extends Struct<GetxattrOut> {
    public static final int SIZE = 8;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int size() {
        return buf.getInt(at);
    }

    public GetxattrOut size(int v) {
        buf.putInt(at + 0, v);
        return this;
    }
}
