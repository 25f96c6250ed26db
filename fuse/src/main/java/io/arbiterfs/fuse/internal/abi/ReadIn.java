package io.arbiterfs.fuse.internal.abi;

/** fuse_read_in (READ, READDIR, READDIRPLUS). Size 40. */
public final class ReadIn extends Struct<ReadIn> {
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

    public int readFlags() {
        return buf.getInt(at + 20);
    }

    public long lockOwner() {
        return buf.getLong(at + 24);
    }

    public int flags() {
        return buf.getInt(at + 32);
    }
}
