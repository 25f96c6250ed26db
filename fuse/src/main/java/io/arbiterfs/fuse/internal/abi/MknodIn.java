package io.arbiterfs.fuse.internal.abi;

/** fuse_mknod_in; followed by the name. Size 16. */
public final class MknodIn extends Struct<MknodIn> {
    public static final int SIZE = 16;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int mode() {
        return buf.getInt(at);
    }

    public int rdev() {
        return buf.getInt(at + 4);
    }

    public int umask() {
        return buf.getInt(at + 8);
    }
}
