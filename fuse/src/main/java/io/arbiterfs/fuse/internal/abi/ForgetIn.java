package io.arbiterfs.fuse.internal.abi;

/** fuse_forget_in. Size 8. */
public final class ForgetIn extends Struct<ForgetIn> {
    public static final int SIZE = 8;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long nlookup() {
        return buf.getLong(at);
    }
}
