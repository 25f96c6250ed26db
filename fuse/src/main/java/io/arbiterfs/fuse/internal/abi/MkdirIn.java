package io.arbiterfs.fuse.internal.abi;

/** fuse_mkdir_in; followed by the name. Size 8. */
public final class MkdirIn extends Struct<MkdirIn> {
    public static final int SIZE = 8;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int mode() {
        return buf.getInt(at);
    }

    public int umask() {
        return buf.getInt(at + 4);
    }
}
