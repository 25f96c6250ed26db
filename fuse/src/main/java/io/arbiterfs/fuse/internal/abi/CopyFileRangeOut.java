package io.arbiterfs.fuse.internal.abi;

/** fuse_copy_file_range_out (COPY_FILE_RANGE_64). Size 8. */
public final class CopyFileRangeOut extends Struct<CopyFileRangeOut> {
    public static final int SIZE = 8;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long bytesCopied() {
        return buf.getLong(at);
    }

    public CopyFileRangeOut bytesCopied(long v) {
        buf.putLong(at + 0, v);
        return this;
    }
}
