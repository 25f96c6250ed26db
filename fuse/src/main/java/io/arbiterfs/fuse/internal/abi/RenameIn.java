package io.arbiterfs.fuse.internal.abi;

/** fuse_rename_in; followed by old and new names. Size 8. */
public final class RenameIn extends Struct<RenameIn> {
    public static final int SIZE = 8;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long newDir() {
        return buf.getLong(at);
    }
}
