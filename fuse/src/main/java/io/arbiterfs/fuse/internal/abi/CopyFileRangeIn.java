package io.arbiterfs.fuse.internal.abi;

/** fuse_copy_file_range_in (COPY_FILE_RANGE and COPY_FILE_RANGE_64). Size 56. */
public final class CopyFileRangeIn extends Struct<CopyFileRangeIn> {
    public static final int SIZE = 56;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long fhIn() {
        return buf.getLong(at);
    }

    public long offIn() {
        return buf.getLong(at + 8);
    }

    public long nodeIdOut() {
        return buf.getLong(at + 16);
    }

    public long fhOut() {
        return buf.getLong(at + 24);
    }

    public long offOut() {
        return buf.getLong(at + 32);
    }

    public long len() {
        return buf.getLong(at + 40);
    }

    public long flags() {
        return buf.getLong(at + 48);
    }
}
