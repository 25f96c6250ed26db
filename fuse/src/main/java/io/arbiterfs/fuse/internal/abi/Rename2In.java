package io.arbiterfs.fuse.internal.abi;

/** fuse_rename2_in; followed by old and new names. Size 16. */
public final class Rename2In extends Struct<Rename2In> {
    public static final int SIZE = 16;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long newDir() {
        return buf.getLong(at);
    }

    public int flags() {
        return buf.getInt(at + 8);
    }
}
