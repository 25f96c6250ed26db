package io.arbiterfs.fuse.internal.abi;

/** fuse_write_in; the payload follows. Size 40. */
public final class WriteIn extends Struct<WriteIn> {
    public static final int SIZE = 40;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long fh() {
        return buf.getLong(at);
    }

    public long offset() {
        return buf.getLong(at + 8);
    }

    public int size() {
        return buf.getInt(at + 16);
    }

    public int writeFlags() {
        return buf.getInt(at + 20);
    }

    public long lockOwner() {
        return buf.getLong(at + 24);
    }

    public int flags() {
        return buf.getInt(at + 32);
    }
}
