package io.arbiterfs.fuse.internal.abi;

/** fuse_write_out (WRITE and COPY_FILE_RANGE). Size 8. */
public final class WriteOut extends Struct<WriteOut> {
    public static final int SIZE = 8;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int size() {
        return buf.getInt(at);
    }

    public WriteOut size(int v) {
        buf.putInt(at + 0, v);
        return this;
    }
}
